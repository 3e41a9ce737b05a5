/*
 * A consumer app for .ci/nag3.sh: every construct, with several prop combinations, checked by
 * cdk-nag 3's AwsSolutions pack the way cdk-nag 3 runs (a CDK validation plugin). It passes when
 * the only finding is the control's: a wildcard of this app's own, which proves the pack ran and
 * that the library's acknowledgments reach no resource but their own.
 *
 *   node app.js <outdir>      (compiled by .ci/nag3.sh against the packed library)
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnResource, Duration, RemovalPolicy, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  DatabaseKind, OwnedClusterSnapshotCopies, PostRestoreStep, ReceivedClusterSnapshots, RefreshedDatabase, RefreshMode, SharedClusterSnapshots,
} from 'cdk-shared-cluster-snapshots';

const outdir = path.resolve(process.argv[2] ?? 'cdk.out');
const SOURCE = { account: '111111111111', region: 'eu-west-1' };
const TARGET = { account: '222222222222', region: 'eu-west-1' };
const TARGETS = [TARGET.account, '333333333333'];

const app = new App({ outdir });

/** A topic that passes AwsSolutions itself (SNS2, SNS3), so only the constructs' findings count. */
function alarmTopic(stack: Stack): sns.Topic {
  return new sns.Topic(stack, 'Alarms', { enforceSSL: true, masterKey: new kms.Key(stack, 'AlarmsKey', { enableKeyRotation: true }) });
}

/** Acknowledges a finding on the app's own resource, as the library does (src/shared/nag-acknowledgments.ts). */
function acknowledgeOwn(resource: CfnResource, id: string, reason: string): void {
  try {
    Validations.of(resource).acknowledge({ id, reason });
  } catch {
    // aws-cdk-lib 2.258-2.268 refuse ids with two '::': the metadata cdk-nag 3 reads, directly.
    resource.node.addMetadata((Validations as unknown as { ACKNOWLEDGED_RULES_METADATA_KEY: string }).ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
  }
}

/** Private subnets without NAT, with flow logs (VPC7), as regulated accounts have them. */
function isolatedVpc(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }], flowLogs: { all: {} } });
}

// The source side.
const sourceRequired = new Stack(app, 'SourceRequiredPropsOnly'); // environment-agnostic, as a first try is
new SharedClusterSnapshots(sourceRequired, 'Snapshots', { clusterIdentifiers: ['orders-db'], targetAccountIds: [TARGET.account] });

const sourceImportedKey = new Stack(app, 'SourceImportedKeyAndNotifications', { env: SOURCE });
new SharedClusterSnapshots(sourceImportedKey, 'Snapshots', {
  clusterIdentifiers: ['orders-db', 'Billing-DB'],
  clusterTag: { key: 'share-snapshots', value: 'true' },
  targetAccountIds: TARGETS,
  encryptionKey: kms.Key.fromKeyArn(sourceImportedKey, 'SharingKey', `arn:aws:kms:${SOURCE.region}:${SOURCE.account}:key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee`),
  notifyTargetAccounts: true,
  retainUntilCopied: true,
  maxRetention: Duration.days(14),
  alarmTopic: alarmTopic(sourceImportedKey),
  schedule: ScheduleExpression.cron({ hour: '2', minute: '30', timeZone: TimeZone.EUROPE_BERLIN }),
  retainSnapshots: 3,
  snapshotPrefix: 'nightly',
  allowUnencrypted: true,
  logRetention: logs.RetentionDays.ONE_YEAR,
});

const sourceVpc = new Stack(app, 'SourceInVpcTwoInstances', { env: SOURCE });
const vpc = isolatedVpc(sourceVpc);
new SharedClusterSnapshots(sourceVpc, 'Snapshots', {
  clusterTag: { key: 'share-snapshots', value: 'true' },
  targetAccountIds: TARGETS,
  vpc,
  architecture: lambda.Architecture.X86_64,
  memorySize: 512,
  snapshotTags: { 'cost-center': '1234' },
});
new SharedClusterSnapshots(sourceVpc, 'Other', { clusterIdentifiers: ['billing-db'], targetAccountIds: [TARGET.account], snapshotPrefix: 'other', vpc });

const sourceInstances = new Stack(app, 'SourceDbInstancesAndClusters', { env: SOURCE });
new SharedClusterSnapshots(sourceInstances, 'Snapshots', {
  clusterIdentifiers: ['orders-db'],
  instanceIdentifiers: ['billing-postgres', 'legacy-mysql'],
  instanceTag: { key: 'share-snapshots', value: 'true' },
  maxConcurrentInstanceCopies: 5,
  targetAccountIds: TARGETS,
  notifyTargetAccounts: true,
});

const sourceRegions = new Stack(app, 'SourceCopiesInOtherRegions', { env: SOURCE });
new SharedClusterSnapshots(sourceRegions, 'Snapshots', {
  clusterIdentifiers: ['orders-db'],
  instanceIdentifiers: ['billing-postgres'],
  targetAccountIds: TARGETS,
  regions: [
    { region: 'eu-central-1', encryptionKey: kms.Key.fromKeyArn(sourceRegions, 'CentralKey', `arn:aws:kms:eu-central-1:${SOURCE.account}:key/cccccccc-dddd-eeee-ffff-000000000000`) },
    { region: 'us-east-1', encryptionKey: kms.Key.fromKeyArn(sourceRegions, 'EastKey', `arn:aws:kms:us-east-1:${SOURCE.account}:key/dddddddd-eeee-ffff-0000-111111111111`) },
  ],
  alarmTopic: alarmTopic(sourceRegions),
});

// The receiving side.
const receiverRequired = new Stack(app, 'ReceiverRequiredPropsOnly');
new ReceivedClusterSnapshots(receiverRequired, 'Received', { sourceAccountIds: [SOURCE.account] });

const receiverEvery = new Stack(app, 'ReceiverEveryOption', { env: TARGET });
new ReceivedClusterSnapshots(receiverEvery, 'Received', {
  sourceAccountIds: [SOURCE.account, '333333333333'],
  sourceSnapshotPrefix: 'shared',
  clusterIdentifiers: ['orders-db'],
  encryptionKey: new kms.Key(receiverEvery, 'CopyKey', { enableKeyRotation: true }),
  retainCopies: 3,
  copyPrefix: 'dr',
  schedule: ScheduleExpression.rate(Duration.hours(2)),
  maxCopyAge: Duration.hours(30),
  confirmCopies: true,
  alarmTopic: alarmTopic(receiverEvery),
});

const receiverVpc = new Stack(app, 'ReceiverInVpcEveryKnob', { env: TARGET });
const receiverNetwork = isolatedVpc(receiverVpc);
new ReceivedClusterSnapshots(receiverVpc, 'Received', {
  sourceAccountIds: [SOURCE.account],
  vpc: receiverNetwork,
  vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
  securityGroups: [new ec2.SecurityGroup(receiverVpc, 'Functions', { vpc: receiverNetwork, allowAllOutbound: true })],
  architecture: lambda.Architecture.X86_64,
  memorySize: 512,
  logRetention: logs.RetentionDays.ONE_YEAR,
  keyRemovalPolicy: RemovalPolicy.DESTROY,
  dashboard: true,
  alarmTopic: alarmTopic(receiverVpc),
});

const receiverInstances = new Stack(app, 'ReceiverDbInstancesAndClusters', { env: TARGET });
new ReceivedClusterSnapshots(receiverInstances, 'Received', {
  sourceAccountIds: [SOURCE.account],
  clusterIdentifiers: ['orders-db'],
  instanceIdentifiers: ['billing-postgres', 'ledger-oracle'],
  optionGroupName: 'oracle-timezone',
  confirmCopies: true,
});

const receiverReplicas = new Stack(app, 'ReceiverReplicasInOtherRegions', { env: TARGET });
new ReceivedClusterSnapshots(receiverReplicas, 'Received', {
  sourceAccountIds: [SOURCE.account],
  replicaRegions: [
    { region: 'us-east-1', encryptionKey: kms.Key.fromKeyArn(receiverReplicas, 'EastKey', `arn:aws:kms:us-east-1:${TARGET.account}:key/eeeeeeee-ffff-0000-1111-222222222222`) },
    { region: 'eu-central-1', encryptionKey: kms.Key.fromKeyArn(receiverReplicas, 'CentralKey', `arn:aws:kms:eu-central-1:${TARGET.account}:key/ffffffff-0000-1111-2222-333333333333`), retainCopies: 2 },
  ],
  alarmTopic: alarmTopic(receiverReplicas),
});

// The refresh, in the target account: scheduled, restore tests, a Route 53 record, on each new copy.
/** A refresh of `orders-db` into `network`'s isolated subnets; `props` override the defaults. */
function refreshed(stack: Stack, network: ec2.Vpc, source: ReceivedClusterSnapshots | undefined, id: string,
  props: Partial<ConstructorParameters<typeof RefreshedDatabase>[2]> = {}): RefreshedDatabase {
  return new RefreshedDatabase(stack, id, {
    source: source ?? OwnedClusterSnapshotCopies.fromAttributes({
      copyPrefix: 'received', ownerId: 'c8e3e7f6e08d068fc1e087cdc9e794847a073b76c8',
      encryptionKey: kms.Key.fromKeyArn(stack, `${id}CopyKey`, `arn:aws:kms:${TARGET.region}:${TARGET.account}:key/bbbbbbbb-cccc-dddd-eeee-ffffffffffff`),
    }),
    sourceClusterIdentifier: 'orders-db',
    databaseIdentifier: `orders-${id.toLowerCase()}`,
    subnetGroup: new rds.SubnetGroup(stack, `${id}Subnets`, { vpc: network, description: id, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }),
    databaseSecurityGroups: [new ec2.SecurityGroup(stack, `${id}Clients`, { vpc: network, description: `${id} clients` })],
    ...props,
  });
}

const refreshScheduled = new Stack(app, 'RefreshScheduledEveryOption', { env: TARGET });
const refreshNetwork = isolatedVpc(refreshScheduled);
const refreshReceiver = new ReceivedClusterSnapshots(refreshScheduled, 'Received', { sourceAccountIds: [SOURCE.account] });
// The user's own post-restore function: a stand-in whose findings are the app's, not the library's.
const sanitize = new lambda.Function(refreshScheduled, 'Sanitize', {
  runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({});'),
});
acknowledgeOwn(sanitize.node.defaultChild as CfnResource, 'AwsSolutions-L1', 'the app\'s stand-in for a user\'s function');
acknowledgeOwn(sanitize.role!.node.defaultChild as CfnResource,
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', 'the app\'s stand-in for a user\'s function');
refreshed(refreshScheduled, refreshNetwork, refreshReceiver, 'Staging', {
  encryptionKey: new kms.Key(refreshScheduled, 'DatabaseKey', { enableKeyRotation: true }),
  masterUserSecretKey: new kms.Key(refreshScheduled, 'SecretKey', { enableKeyRotation: true }),
  postRestore: PostRestoreStep.fromFunction(sanitize),
  keepPrevious: Duration.hours(2),
  finalSnapshot: true,
  tags: { team: 'data' },
  vpc: refreshNetwork,
  alarmTopic: alarmTopic(refreshScheduled),
});

const refreshTests = new Stack(app, 'RefreshRestoreTestsInVpc', { env: TARGET });
const testNetwork = isolatedVpc(refreshTests);
refreshed(refreshTests, testNetwork, undefined, 'Tests', { mode: RefreshMode.RESTORE_TEST, vpc: testNetwork, runOnNewCopy: true });
refreshed(refreshTests, testNetwork, undefined, 'Instance', { kind: DatabaseKind.DB_INSTANCE, sourceClusterIdentifier: 'billing-postgres', instanceClass: 'db.t4g.medium' });

const refreshRecord = new Stack(app, 'RefreshRoute53RecordOnNewCopy', { env: TARGET });
const recordNetwork = isolatedVpc(refreshRecord);
refreshed(refreshRecord, recordNetwork, new ReceivedClusterSnapshots(refreshRecord, 'Received', { sourceAccountIds: [SOURCE.account] }), 'Record', {
  endpointRecord: { zone: new route53.PrivateHostedZone(refreshRecord, 'Zone', { zoneName: 'staging.internal', vpc: recordNetwork }), recordName: 'orders', ttl: Duration.seconds(30) },
  runOnNewCopy: true,
  keepPrevious: Duration.hours(1),
});

// The control: the same finding id the constructs acknowledge on their own roles (Resource::*).
const control = new Stack(app, 'Control');
new iam.Role(control, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') })
  .addToPolicy(new iam.PolicyStatement({ actions: ['rds:DescribeDBClusterSnapshots'], resources: ['*'] }));
const CONTROL_FINDING = 'AwsSolutions-IAM5[Resource::*] at Control/Role/DefaultPolicy/Resource';

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
try {
  app.synth();
} catch (error) {
  // Newer aws-cdk-lib throws when a plugin reports an error; older ones only print. The report decides.
  if (!/Validation failed/.test(String(error))) throw error;
}

interface ReportedViolation {
  readonly ruleName: string;
  readonly severity?: string;
  readonly violatingConstructs?: Array<{ constructPath?: string }>;
  readonly violatingResources?: Array<{ constructPath?: string; resourceLogicalId?: string }>; // before 2.258
}
interface PluginReport {
  readonly pluginName?: string;
  readonly summary?: { pluginName?: string; metadata?: { error?: string } };
  readonly violations?: ReportedViolation[];
}

// validation-report.json since aws-cdk-lib 2.258; policy-validation-report.json before.
const reportFile = ['validation-report.json', 'policy-validation-report.json'].map((name) => path.join(outdir, name)).find((file) => fs.existsSync(file));
const reports: PluginReport[] = reportFile ? JSON.parse(fs.readFileSync(reportFile, 'utf8')).pluginReports ?? [] : [];
const pluginErrors = reports.map((report) => report.summary?.metadata?.error).filter((error): error is string => error !== undefined);
const findings = [...new Set(reports.flatMap((report) => (report.violations ?? []).flatMap((violation) =>
  (violation.violatingConstructs ?? violation.violatingResources ?? []).map((resource) =>
    `${violation.ruleName} at ${resource.constructPath ?? ('resourceLogicalId' in resource ? resource.resourceLogicalId : '?')}`))))].sort();
const unexpected = findings.filter((finding) => finding !== CONTROL_FINDING);
const resources = app.node.findAll().filter((construct) => construct instanceof CfnResource).length;

/** Why the check fails, if it does. */
function failure(): string[] | undefined {
  if (pluginErrors.length > 0) return [`cdk-nag 3 did not check the app: ${pluginErrors.join('; ')}`];
  if (unexpected.length > 0) return [`${unexpected.length} unsuppressed cdk-nag 3 finding(s):`, ...unexpected.map((finding) => `  ${finding}`)];
  if (!findings.includes(CONTROL_FINDING)) {
    return [`the control finding was not reported (${CONTROL_FINDING}): cdk-nag 3 did not check, or an acknowledgment reached beyond its own resource`];
  }
  return undefined;
}

// The verdict, each line prefixed so .ci/nag3.sh can tell it from synth's own output.
const say = (...lines: string[]) => lines.forEach((line) => console.log(`nag3: ${line}`));
const failed = failure();
say(`aws-cdk-lib ${require('aws-cdk-lib/package.json').version}, cdk-nag ${require('cdk-nag/package.json').version}: `
  + `${app.node.children.filter((child) => child instanceof Stack).length} stacks, ${resources} resources checked`);
say(...failed ? ['FAILED:', ...failed] : ['no unsuppressed cdk-nag 3 finding on any construct (the control\'s own finding was reported, as expected)']);
// aws-cdk-lib sets a failing exit code for any finding, the control's included: the verdict decides.
process.exitCode = failed ? 1 : 0;
