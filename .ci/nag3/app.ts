/*
 * A consumer app for .ci/nag3.sh: both constructs, with several prop combinations, checked by
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
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ReceivedClusterSnapshots, SharedClusterSnapshots } from 'cdk-shared-cluster-snapshots';

const outdir = path.resolve(process.argv[2] ?? 'cdk.out');
const SOURCE = { account: '111111111111', region: 'eu-west-1' };
const TARGET = { account: '222222222222', region: 'eu-west-1' };
const TARGETS = [TARGET.account, '333333333333'];

const app = new App({ outdir });

/** A topic that passes AwsSolutions itself (SNS2, SNS3), so only the constructs' findings count. */
function alarmTopic(stack: Stack): sns.Topic {
  return new sns.Topic(stack, 'Alarms', { enforceSSL: true, masterKey: new kms.Key(stack, 'AlarmsKey', { enableKeyRotation: true }) });
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
say(...failed ? ['FAILED:', ...failed] : ['no unsuppressed cdk-nag 3 finding on either construct (the control\'s own finding was reported, as expected)']);
// aws-cdk-lib sets a failing exit code for any finding, the control's included: the verdict decides.
process.exitCode = failed ? 1 : 0;
