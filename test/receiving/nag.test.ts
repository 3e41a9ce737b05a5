import { App, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ReceivedClusterSnapshots, ReceivedClusterSnapshotsProps } from '../../src';
import { NAG_FINDING, nagRules, runNag, SuppressedFindings } from '../nag-helpers';

const SOURCES = ['111111111111', '333333333333'];

function full(): { stack: Stack; construct: ReceivedClusterSnapshots } {
  const stack = new Stack(new App(), 'Full', { env: { account: '222222222222', region: 'eu-west-1' } });
  const construct = new ReceivedClusterSnapshots(stack, 'Received', {
    sourceAccountIds: SOURCES,
    sourceSnapshotPrefix: 'shared',
    clusterIdentifiers: ['orders-db'],
    instanceIdentifiers: ['ledger-pg', 'billing-oracle'],
    optionGroupName: 'target-oracle-tz',
    encryptionKey: new kms.Key(stack, 'CopyKey', { enableKeyRotation: true }),
    retainCopies: 3,
    copyPrefix: 'dr',
    schedule: ScheduleExpression.rate(Duration.hours(2)),
    maxCopyAge: Duration.hours(30),
    confirmCopies: true,
    alarmTopic: new sns.Topic(stack, 'Alarms', { enforceSSL: true, masterKey: new kms.Key(stack, 'AlarmsKey', { enableKeyRotation: true }) }),
  });
  return { stack, construct };
}

function consumer(props: Partial<ReceivedClusterSnapshotsProps> = {}): { stack: Stack; construct: ReceivedClusterSnapshots } {
  const stack = new Stack(new App(), 'Consumer');
  return { stack, construct: new ReceivedClusterSnapshots(stack, 'Received', { sourceAccountIds: ['111111111111'], ...props }) };
}

/** Runs the AwsSolutions checks on `stack` now (by synthesizing it). */
function nagChecked(stack: Stack): SuppressedFindings {
  const logger = runNag(stack);
  Template.fromStack(stack); // synthesizes, which runs the checks
  return logger;
}

function findings(stack: Stack): string[] {
  const annotations = Annotations.fromStack(stack);
  return [...annotations.findError('*', NAG_FINDING), ...annotations.findWarning('*', NAG_FINDING)]
    .map((message) => `${message.id}: ${String(message.entry.data).split('\n')[0]}`);
}

/** The functions in a VPC, with a dashboard: the knobs that add resources and permissions. */
function inVpc(): { stack: Stack; construct: ReceivedClusterSnapshots } {
  const stack = new Stack(new App(), 'InVpc', { env: { account: '222222222222', region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    natGateways: 0,
    subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    flowLogs: { all: {} },
  });
  const construct = new ReceivedClusterSnapshots(stack, 'Received', { sourceAccountIds: SOURCES, vpc, dashboard: true, architecture: lambda.Architecture.X86_64 });
  return { stack, construct };
}

/** Two replica Regions, their keys imported by ARN. */
function withReplicas(): { stack: Stack; construct: ReceivedClusterSnapshots } {
  const stack = new Stack(new App(), 'Replicas', { env: { account: '222222222222', region: 'eu-west-1' } });
  const key = (region: string) => kms.Key.fromKeyArn(stack, `Key-${region}`, `arn:aws:kms:${region}:222222222222:key/dr-${region}`);
  const construct = new ReceivedClusterSnapshots(stack, 'Received', {
    sourceAccountIds: SOURCES,
    replicaRegions: [{ region: 'us-east-1', encryptionKey: key('us-east-1') }, { region: 'eu-central-1', encryptionKey: key('eu-central-1'), retainCopies: 2 }],
  });
  return { stack, construct };
}

const STACKS: Array<[string, () => { stack: Stack; construct: ReceivedClusterSnapshots }]> = [
  ['every optional prop', full],
  ['with two replica Regions', withReplicas],
  ['required props only (environment-agnostic)', () => consumer()],
  ['in a VPC, with a dashboard', inVpc],
  ['DB instances only, with an option group', () => consumer({ instanceIdentifiers: ['ledger-pg'], optionGroupName: 'target-oracle-tz' })],
];

describe('cdk-nag AwsSolutions on ReceivedClusterSnapshots', () => {
  test.each(STACKS)('%s: no AwsSolutions errors or warnings', (_name, build) => {
    const { stack } = build();
    nagChecked(stack);
    expect(findings(stack)).toEqual([]);
  });

  test.each(STACKS)('%s: every suppression matches a finding cdk-nag reports', (_name, build) => {
    const { stack } = build();
    const logger = nagChecked(stack);
    const unused: string[] = [];
    for (const [path, rules] of nagRules(stack)) {
      for (const rule of rules) {
        for (const appliesTo of rule.applies_to ?? [undefined]) {
          const used = logger.suppressed.some((s) =>
            s.path === path && s.ruleId === rule.id && (appliesTo === undefined || s.findingId === appliesTo));
          if (!used) unused.push(`${path} ${rule.id} ${appliesTo ?? ''}`);
        }
      }
    }
    expect(unused).toEqual([]);
  });

  test('every IAM5 suppression has a specific reason naming what is granted, and exact findings', () => {
    const { stack } = full();
    for (const rules of nagRules(stack).values()) {
      for (const rule of rules.filter((r) => r.id === 'AwsSolutions-IAM5')) {
        expect(rule.applies_to?.length).toBeGreaterThan(0);
        expect(rule.reason).toMatch(/ Granted: .+\.$/);
        expect(rule.applies_to!.every((finding) => typeof finding === 'string' && finding.startsWith('Resource::'))).toBe(true);
      }
    }
  });

  test('a consumer\'s own unconditioned wildcard write on a handler role is not suppressed', () => {
    const { stack, construct } = consumer();
    construct.handlers.retainCopies.role!.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['rds:DeleteDBClusterSnapshot'], resources: ['arn:aws:rds:eu-west-1:222222222222:cluster-snapshot:*'],
    }));
    nagChecked(stack);
    expect(findings(stack).some((f) => f.includes('AwsSolutions-IAM5'))).toBe(true);
  });

  test('AwsSolutions-L1 is suppressed only while a newer runtime of the family exists', () => {
    const newer = new lambda.Runtime('nodejs98.x', lambda.RuntimeFamily.NODEJS);
    try {
      const { stack, construct } = consumer();
      for (const fn of Object.values(construct.handlers)) {
        expect(nagRules(stack).get(fn.node.findChild('Resource').node.path)).toEqual([
          { id: 'AwsSolutions-L1', reason: expect.stringMatching(/pinned to nodejs22\.x deliberately.*nodejs98\.x/) },
        ]);
      }
      nagChecked(stack);
      expect(findings(stack)).toEqual([]);
    } finally {
      lambda.Runtime.ALL.splice(lambda.Runtime.ALL.indexOf(newer), 1);
    }
  });
});
