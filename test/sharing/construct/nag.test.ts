import { CfnResource, Duration, Stack, TimeZone } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import { NagSuppressions } from 'cdk-nag';
import { ACCOUNT, addSnapshots, handlerFunctions, newStack, REGION } from './helpers';
import { SharedClusterSnapshots, SharedClusterSnapshotsProps } from '../../../src';
import { addCdkNagSuppressions, CDK_NAG_METADATA_KEY, suppressWildcards } from '../../../src/shared/nag';
import { CfnRule, NAG_FINDING, nagRules, runNag } from '../../nag-helpers';

/** Every optional feature on; the key and topic are built to pass AwsSolutions themselves. */
function fullStack(): { stack: Stack; construct: SharedClusterSnapshots } {
  const stack = newStack();
  const encryptionKey = new kms.Key(stack, 'SharingKey', { enableKeyRotation: true });
  const alarmTopic = new sns.Topic(stack, 'Alarms', {
    enforceSSL: true,
    masterKey: new kms.Key(stack, 'AlarmsKey', { enableKeyRotation: true }),
  });
  const construct = addSnapshots(stack, {
    clusterIdentifiers: ['orders-db', 'Billing-DB'],
    clusterTag: { key: 'share-snapshots', value: 'true' },
    targetAccountIds: ['222222222222', '333333333333'],
    encryptionKey,
    alarmTopic,
    schedule: ScheduleExpression.cron({ hour: '2', minute: '30', timeZone: TimeZone.EUROPE_BERLIN }),
    waitInterval: Duration.seconds(30),
    snapshotTimeout: Duration.hours(2),
    retainSnapshots: 3,
    snapshotPrefix: 'nightly',
    allowUnencrypted: true,
    logRetention: logs.RetentionDays.ONE_YEAR,
    notifyTargetAccounts: true,
    retainUntilCopied: true,
    maxRetention: Duration.days(14),
    maxSnapshotAge: Duration.hours(50),
  });
  return { stack, construct };
}

/** What a consumer writes first: required props only, in an environment-agnostic stack. */
function consumerStack(props: Partial<SharedClusterSnapshotsProps> = {}): { stack: Stack; construct: SharedClusterSnapshots } {
  const stack = newStack({ withEnv: false });
  return { stack, construct: addSnapshots(stack, props) };
}

function tagOnlyStack(): { stack: Stack; construct: SharedClusterSnapshots } {
  return consumerStack({ clusterIdentifiers: undefined, clusterTag: { key: 'share-snapshots', value: 'true' } });
}

/** Two instances in one stack, told apart by prefix. */
function twoInstancesStack(): { stack: Stack; construct: SharedClusterSnapshots } {
  const { stack, construct } = consumerStack();
  addSnapshots(stack, { clusterIdentifiers: ['billing-db'], snapshotPrefix: 'other' }, 'Other');
  return { stack, construct };
}

/** The functions in a VPC (private subnets without NAT, as regulated accounts have them), with every knob set. */
function vpcStack(): { stack: Stack; construct: SharedClusterSnapshots } {
  const stack = newStack();
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    natGateways: 0,
    subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    flowLogs: { all: {} },
  });
  const construct = addSnapshots(stack, {
    clusterTag: { key: 'share-snapshots', value: 'true' },
    vpc,
    architecture: lambda.Architecture.X86_64,
    memorySize: 512,
    snapshotTags: { 'cost-center': '1234' },
    scheduleEnabled: false,
  });
  return { stack, construct };
}

/** Two other Regions, with DB instances beside the clusters: every per-Region statement and wildcard. */
function regionsStack(): { stack: Stack; construct: SharedClusterSnapshots } {
  const stack = newStack();
  const key = (region: string) => kms.Key.fromKeyArn(stack, `Key-${region}`, `arn:aws:kms:${region}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`);
  const construct = addSnapshots(stack, {
    instanceIdentifiers: ['payments-pg'],
    regions: [{ region: 'eu-central-1', encryptionKey: key('eu-central-1') }, { region: 'us-east-1', encryptionKey: key('us-east-1') }],
  });
  return { stack, construct };
}

function nagFindings(stack: Stack): string[] {
  const annotations = Annotations.fromStack(stack);
  return [...annotations.findError('*', NAG_FINDING), ...annotations.findWarning('*', NAG_FINDING)]
    .map((message) => {
      // "AwsSolutions-IAM5[Resource::...]: The IAM entity contains wildcard permissions and ..." -> rule, finding and first clause.
      const data = String(message.entry.data);
      const match = /^(AwsSolutions-\w+(?:\[.*?\])?): ([^.\n]*)/.exec(data);
      return `${message.id}: ${match ? `${match[1]}: ${match[2]}` : data.split('\n')[0]}`;
    });
}

function policyPathOf(role: iam.IRole | undefined): string {
  return role!.node.findChild('DefaultPolicy').node.findChild('Resource').node.path;
}

const STACKS: Array<[string, () => { stack: Stack; construct: SharedClusterSnapshots }]> = [
  ['every optional feature', fullStack],
  ['required props only (consumer)', () => consumerStack()],
  ['tag discovery only', tagOnlyStack],
  ['two instances in one stack', twoInstancesStack],
  ['functions in a VPC', vpcStack],
  ['other Regions, with DB instances', regionsStack],
];

describe('cdk-nag AwsSolutions', () => {
  test.each(STACKS)('%s: no AwsSolutions errors or warnings', (_name, build) => {
    const { stack } = build();
    runNag(stack);
    const findings = nagFindings(stack);
    expect(findings).toEqual([]);
  });

  test.each(STACKS)('%s: every suppression matches a finding cdk-nag actually reports (none is broader than needed)', (_name, build) => {
    const { stack } = build();
    const logger = runNag(stack);
    Template.fromStack(stack); // synthesizes, which runs the checks
    const unused: string[] = [];
    for (const [path, rules] of nagRules(stack)) {
      for (const rule of rules) {
        const hits = logger.suppressed.filter((s) => s.path === path && s.ruleId === rule.id);
        if (rule.applies_to === undefined) {
          if (hits.length === 0) unused.push(`${path} ${rule.id}`);
          continue;
        }
        for (const appliesTo of rule.applies_to) {
          if (!hits.some((hit) => hit.findingId === appliesTo)) unused.push(`${path} ${rule.id}[${JSON.stringify(appliesTo)}]`);
        }
      }
    }
    expect(unused).toEqual([]);
  });

  test('only the construct\'s own non-nag warning remains (imported key)', () => {
    const { stack } = fullStack();
    runNag(stack);
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((message) => String(message.entry.data));
    expect(warnings).toEqual([expect.stringContaining('cdk-shared-cluster-snapshots:importedKey')]);
  });

  test('a consumer\'s own suppression on a handler role merges with the construct\'s', () => {
    const { stack, construct } = consumerStack();
    const policy = construct.handlers.prepare.role!.node.findChild('DefaultPolicy');
    NagSuppressions.addResourceSuppressions(policy, [{ id: 'AwsSolutions-IAM5', reason: 'consumer reason text', appliesTo: ['Resource::extra'] }]);
    const rules = nagRules(stack).get(policyPathOf(construct.handlers.prepare.role))!;
    expect(rules.map((rule) => rule.reason)).toContain('consumer reason text');
    expect(rules.filter((rule) => rule.reason !== 'consumer reason text').length).toBeGreaterThan(0);
    runNag(stack);
    expect(nagFindings(stack)).toEqual([]);
  });

  test('AwsSolutions-L1 is suppressed on every function only while a newer runtime of its family exists', () => {
    const before = consumerStack();
    expect([...nagRules(before.stack).values()].flat().filter((rule) => rule.id === 'AwsSolutions-L1')).toEqual([]);

    const newer = new lambda.Runtime('nodejs98.x', lambda.RuntimeFamily.NODEJS);
    try {
      const { stack, construct } = consumerStack();
      const functions = [...handlerFunctions(construct), construct.starterFunction];
      for (const fn of functions) {
        const rules = nagRules(stack).get(fn.node.findChild('Resource').node.path) ?? [];
        expect(rules).toEqual([{ id: 'AwsSolutions-L1', reason: expect.stringMatching(/pinned to nodejs22\.x deliberately.*nodejs98\.x/) }]);
      }
      runNag(stack);
      expect(nagFindings(stack)).toEqual([]);
    } finally {
      lambda.Runtime.ALL.splice(lambda.Runtime.ALL.indexOf(newer), 1);
    }
  });
});

describe('cdk_nag metadata (what a consumer running cdk-nag relies on)', () => {
  const iam5 = (rules: CfnRule[] | undefined) => (rules ?? []).filter((rule) => rule.id === 'AwsSolutions-IAM5');
  const appliesTo = (rules: CfnRule[] | undefined) => iam5(rules).flatMap((rule) => rule.applies_to ?? []);

  test('is on every role policy with a wildcard, with a specific reason and an exact applies_to for each IAM5 rule', () => {
    const { stack, construct } = fullStack();
    const rules = nagRules(stack);
    const arn = (resource: string) => `Resource::arn:<AWS::Partition>:rds:${REGION}:${ACCOUNT}:${resource}`;
    const own = arn('cluster-snapshot:nightly-*');
    const expected: Array<[string, iam.IRole | undefined, unknown[]]> = [
      ['prepare', construct.handlers.prepare.role, [arn('cluster:*'), arn('cluster-snapshot:*'), own]],
      // cluster:* carries a tag condition: aws:RequestTag for the explicit clusters, aws:ResourceTag for clusterTag.
      ['createSnapshot', construct.handlers.createSnapshot.role, [own, arn('cluster:*')]],
      ['checkSnapshot', construct.handlers.checkSnapshot.role, [own]],
      // cluster:*, cluster-snapshot:* and * to count the copies in progress and read the quota.
      ['copySnapshot', construct.handlers.copySnapshot.role, [
        own, `Resource::arn:<AWS::Partition>:kms:${REGION}:${ACCOUNT}:key/*`, arn('cluster:*'), arn('cluster-snapshot:*'), 'Resource::*',
      ]],
      // cluster:* and cluster-snapshot:* to list the cluster's retained shared snapshots (revocation).
      ['shareSnapshot', construct.handlers.shareSnapshot.role, [own, arn('cluster:*'), arn('cluster-snapshot:*')]],
      ['cleanUp', construct.handlers.cleanUp.role, [arn('cluster:*'), arn('cluster-snapshot:*'), own]],
      ['cleanUpFailedRun', construct.handlers.cleanUpFailedRun.role, [own]],
      // cluster:* for tag discovery, cluster:* and cluster-snapshot:* for listing this run's own
      // snapshots (a retried quota check credits them); * for rds:DescribeAccountAttributes.
      ['starter', construct.starterFunction.role, [arn('cluster:*'), arn('cluster-snapshot:*'), 'Resource::*']],
      ['state machine', construct.stateMachine.role, [
        ...handlerFunctions(construct).map((fn) => `Resource::<${stack.getLogicalId(fn.node.defaultChild as CfnResource)}.Arn>:*`),
        'Resource::*',
      ]],
    ];
    for (const [name, role, findings] of expected) {
      const onPolicy = rules.get(policyPathOf(role));
      expect({ name, appliesTo: appliesTo(onPolicy).sort() }).toEqual({ name, appliesTo: [...findings].sort() });
      for (const rule of onPolicy!) {
        expect(rule.applies_to?.length).toBeGreaterThan(0);
        expect(rule.reason.length).toBeGreaterThan(40);
        expect(rule.reason).toMatch(/^[\x20-\x7e]+$/);
      }
    }
    // Reasons name the actual prefix, never the default one.
    for (const rule of iam5(rules.get(policyPathOf(construct.handlers.shareSnapshot.role))).filter((r) => r.applies_to!.some((x) => String(x).includes('nightly-*')))) {
      expect(rule.reason).toContain("'nightly-' prefix");
      expect(rule.reason).not.toContain("'shared-'");
    }
  });

  test('with vpc, each role\'s Resource "*" rule explains the network-interface actions Lambda needs, and lists them', () => {
    const { stack, construct } = vpcStack();
    for (const fn of [...handlerFunctions(construct), construct.starterFunction]) {
      const star = iam5(nagRules(stack).get(policyPathOf(fn.role))).filter((rule) => rule.applies_to!.includes('Resource::*'));
      expect(star).toHaveLength(1);
      expect(star[0].reason).toContain('AWSLambdaVPCAccessExecutionRole');
      expect(star[0].reason).toMatch(/Granted: [^.]*ec2:CreateNetworkInterface, ec2:DescribeNetworkInterfaces/);
    }
  });

  test('covers the scheduler\'s roles for the starter and the freshness publisher, children of the stack', () => {
    const { stack, construct } = consumerStack();
    const schedulerRoles = stack.node.children.filter((child): child is iam.Role => child instanceof iam.Role && child.node.id.startsWith('SchedulerRoleForTarget-'));
    expect(schedulerRoles.length).toBeGreaterThanOrEqual(1);
    const idOf = (fn: { node: { defaultChild?: unknown } }) => stack.getLogicalId(fn.node.defaultChild as CfnResource);
    const freshness = construct.node.findChild('PublishFreshness');
    expect(schedulerRoles.flatMap((role) => appliesTo(nagRules(stack).get(policyPathOf(role)))).sort()).toEqual([
      `Resource::<${idOf(construct.starterFunction)}.Arn>:*`, `Resource::<${idOf(freshness)}.Arn>:*`,
    ].sort());
  });

  test('follows the stack environment and the default prefix; no tag-discovery rule without clusterTag', () => {
    const { stack, construct } = consumerStack();
    const rules = nagRules(stack);
    expect(appliesTo(rules.get(policyPathOf(construct.handlers.shareSnapshot.role)))).toEqual(expect.arrayContaining([
      'Resource::arn:<AWS::Partition>:rds:<AWS::Region>:<AWS::AccountId>:cluster-snapshot:shared-*',
    ]));
    const starterPolicy = construct.starterFunction.role!.node.findChild('DefaultPolicy') as iam.Policy;
    const statements = stack.resolve(starterPolicy.document.toJSON()).Statement as Array<{ Action: string | string[] }>;
    const starterActions = statements.flatMap((st) => st.Action);
    expect(starterActions).not.toContain('rds:DescribeDBClusters');
  });

  test('each reason lists the actions and conditions the policy grants on the wildcard', () => {
    const { stack, construct } = fullStack();
    const shareRule = iam5(nagRules(stack).get(policyPathOf(construct.handlers.shareSnapshot.role))).find((rule) => rule.applies_to!.some((a) => String(a).includes('nightly-*')))!;
    expect(shareRule.reason).toMatch(/Granted: rds:ModifyDBClusterSnapshotAttribute if aws:ResourceTag\/shared-cluster-snapshots:owner \(StringEquals\); rds:DescribeDBClusterSnapshotAttributes\.$/);
    const keyRule = iam5(nagRules(stack).get(policyPathOf(construct.handlers.copySnapshot.role))).find((rule) => rule.applies_to!.some((a) => String(a).includes(':kms:')))!;
    expect(keyRule.reason).toContain('kms:CreateGrant if kms:ViaService (StringEquals) and kms:GrantIsForAWSResource (Bool)');
  });

  test('is written to the synthesized template', () => {
    const { stack, construct } = consumerStack();
    const template = Template.fromStack(stack).toJSON();
    const policy = construct.handlers.cleanUpFailedRun.role!.node.findChild('DefaultPolicy').node.defaultChild as CfnResource;
    expect(template.Resources[stack.getLogicalId(policy)].Metadata.cdk_nag).toEqual({
      rules_to_suppress: [{
        reason: expect.stringContaining("'shared-' prefix"),
        id: 'AwsSolutions-IAM5',
        applies_to: ['Resource::arn:<AWS::Partition>:rds:<AWS::Region>:<AWS::AccountId>:cluster-snapshot:shared-*'],
      }],
    });
  });

  test('does not lock logical ids: a consumer may still override them after construction', () => {
    const { construct } = consumerStack();
    const fn = construct.handlers.prepare.node.defaultChild as CfnResource;
    expect(() => fn.overrideLogicalId('PrepareFunction')).not.toThrow();
  });
});

describe('suppressWildcards', () => {
  function roleWith(...statements: iam.PolicyStatement[]): iam.Role {
    const role = new iam.Role(new Stack(), 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    for (const statement of statements) role.addToPrincipalPolicy(statement);
    return role;
  }
  const rulesOf = (role: iam.Role) =>
    ((role.node.findChild('DefaultPolicy').node.defaultChild as CfnResource).getMetadata(CDK_NAG_METADATA_KEY) as { rules_to_suppress: CfnRule[] } | undefined)
      ?.rules_to_suppress ?? [];
  const expected = { resource: 'arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:x-*', finding: 'Resource::x', reason: 'a specific reason' };

  test('suppresses only wildcards the policy grants, listing what it grants', () => {
    const role = roleWith(new iam.PolicyStatement({ actions: ['rds:DescribeDBClusterSnapshots'], resources: [expected.resource] }));
    suppressWildcards(role, [expected, { ...expected, resource: 'arn:aws:rds:eu-west-1:111111111111:cluster:*', finding: 'Resource::y' }]);
    expect(rulesOf(role)).toEqual([{ id: 'AwsSolutions-IAM5', reason: 'a specific reason Granted: rds:DescribeDBClusterSnapshots.', applies_to: ['Resource::x'] }]);
  });

  test('leaves a wildcard for review when a write on it has no condition', () => {
    const role = roleWith(new iam.PolicyStatement({ actions: ['rds:DeleteDBClusterSnapshot'], resources: [expected.resource] }));
    suppressWildcards(role, [expected]);
    expect(rulesOf(role)).toEqual([]);
  });

  test('leaves a wildcard for review when an action outside onlyActions is granted on it', () => {
    const role = roleWith(new iam.PolicyStatement({ actions: ['rds:DescribeDBClusterSnapshots', 'rds:DescribeDBClusters'], resources: [expected.resource] }));
    suppressWildcards(role, [{ ...expected, onlyActions: ['rds:DescribeDBClusterSnapshots'] }]);
    expect(rulesOf(role)).toEqual([]);
  });
});

describe('addCdkNagSuppressions', () => {
  function resource(): CfnResource {
    return new CfnResource(new Stack(), 'R', { type: 'Test::Resource' });
  }

  test('keeps existing metadata, adds in cdk-nag\'s format, and does not repeat identical rules', () => {
    const r = resource();
    r.addMetadata(CDK_NAG_METADATA_KEY, { rules_to_suppress: [{ reason: 'existing reason', id: 'AwsSolutions-S1' }] });
    const rule = { id: 'AwsSolutions-IAM5', reason: 'a specific reason', appliesTo: ['Resource::a*'] };
    addCdkNagSuppressions(r, [rule]);
    addCdkNagSuppressions(r, [rule]);
    expect(r.getMetadata(CDK_NAG_METADATA_KEY)).toEqual({
      rules_to_suppress: [
        { reason: 'existing reason', id: 'AwsSolutions-S1' },
        { reason: 'a specific reason', id: 'AwsSolutions-IAM5', applies_to: ['Resource::a*'] },
      ],
    });
  });

  test('writes the same JSON as NagSuppressions.addResourceSuppressions, including encoded reasons', () => {
    const ours = resource();
    const theirs = resource();
    const rules = [
      { id: 'AwsSolutions-IAM5', reason: 'a specific reason', appliesTo: ['Resource::a*'] },
      { id: 'AwsSolutions-L1', reason: 'r\u00e9sum\u00e9 \u2013 non-Latin-1 reason' },
    ];
    addCdkNagSuppressions(ours, rules);
    NagSuppressions.addResourceSuppressions(theirs, rules);
    expect(JSON.stringify(ours.getMetadata(CDK_NAG_METADATA_KEY))).toEqual(JSON.stringify(theirs.getMetadata(CDK_NAG_METADATA_KEY)));
  });

  test('drops a rule whose appliesTo is empty instead of writing it', () => {
    const r = resource();
    addCdkNagSuppressions(r, [{ id: 'AwsSolutions-IAM5', reason: 'a specific reason', appliesTo: [] }]);
    expect(r.getMetadata(CDK_NAG_METADATA_KEY)).toBeUndefined();
  });
});
