import { App, Aspects, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  AwsSolutionsChecks, INagLogger, NagLoggerComplianceData, NagLoggerErrorData, NagLoggerNonComplianceData,
  NagLoggerNotApplicableData, NagLoggerSuppressedData, NagLoggerSuppressedErrorData,
} from 'cdk-nag';
import { ReceivedClusterSnapshots, ReceivedClusterSnapshotsProps } from '../../src';
import { CDK_NAG_METADATA_KEY } from '../../src/shared/nag';

const NAG_FINDING = Match.stringLikeRegexp('AwsSolutions-.*');
const SOURCES = ['111111111111', '333333333333'];

interface CfnRule { readonly id: string; readonly reason: string; readonly applies_to?: string[] }

/** Collects what cdk-nag suppressed, to prove every suppression is used. */
class SuppressedFindings implements INagLogger {
  public readonly suppressed: Array<{ path: string; ruleId: string; findingId: string }> = [];
  public onSuppressed(data: NagLoggerSuppressedData): void {
    this.suppressed.push({ path: data.resource.node.path, ruleId: data.ruleId, findingId: data.findingId });
  }
  public onCompliance(_data: NagLoggerComplianceData): void {}
  public onNonCompliance(_data: NagLoggerNonComplianceData): void {}
  public onError(_data: NagLoggerErrorData): void {}
  public onSuppressedError(_data: NagLoggerSuppressedErrorData): void {}
  public onNotApplicable(_data: NagLoggerNotApplicableData): void {}
}

function full(): { stack: Stack; construct: ReceivedClusterSnapshots } {
  const stack = new Stack(new App(), 'Full', { env: { account: '222222222222', region: 'eu-west-1' } });
  const construct = new ReceivedClusterSnapshots(stack, 'Received', {
    sourceAccountIds: SOURCES,
    sourceSnapshotPrefix: 'shared',
    clusterIdentifiers: ['orders-db'],
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

function runNag(stack: Stack): SuppressedFindings {
  const logger = new SuppressedFindings();
  Aspects.of(stack).add(new AwsSolutionsChecks({ verbose: true, additionalLoggers: [logger] }));
  Template.fromStack(stack); // synthesizes, which runs the checks
  return logger;
}

function findings(stack: Stack): string[] {
  const annotations = Annotations.fromStack(stack);
  return [...annotations.findError('*', NAG_FINDING), ...annotations.findWarning('*', NAG_FINDING)]
    .map((message) => `${message.id}: ${String(message.entry.data).split('\n')[0]}`);
}

function rulesOf(stack: Stack): Map<string, CfnRule[]> {
  const rules = new Map<string, CfnRule[]>();
  for (const child of stack.node.findAll()) {
    if (!(child instanceof CfnResource)) continue;
    const metadata = child.getMetadata(CDK_NAG_METADATA_KEY) as { rules_to_suppress?: CfnRule[] } | undefined;
    if (metadata?.rules_to_suppress) rules.set(child.node.path, metadata.rules_to_suppress);
  }
  return rules;
}

const STACKS: Array<[string, () => { stack: Stack; construct: ReceivedClusterSnapshots }]> = [
  ['every optional prop', full],
  ['required props only (environment-agnostic)', () => consumer()],
];

describe('cdk-nag AwsSolutions on ReceivedClusterSnapshots', () => {
  test.each(STACKS)('%s: no AwsSolutions errors or warnings', (_name, build) => {
    const { stack } = build();
    runNag(stack);
    expect(findings(stack)).toEqual([]);
  });

  test.each(STACKS)('%s: every suppression matches a finding cdk-nag reports', (_name, build) => {
    const { stack } = build();
    const logger = runNag(stack);
    const unused: string[] = [];
    for (const [path, rules] of rulesOf(stack)) {
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
    for (const rules of rulesOf(stack).values()) {
      for (const rule of rules.filter((r) => r.id === 'AwsSolutions-IAM5')) {
        expect(rule.applies_to?.length).toBeGreaterThan(0);
        expect(rule.reason).toMatch(/ Granted: .+\.$/);
        expect(rule.applies_to!.every((finding) => finding.startsWith('Resource::'))).toBe(true);
      }
    }
  });

  test('a consumer\'s own unconditioned wildcard write on a handler role is not suppressed', () => {
    const { stack, construct } = consumer();
    construct.handlers.retainCopies.role!.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['rds:DeleteDBClusterSnapshot'], resources: ['arn:aws:rds:eu-west-1:222222222222:cluster-snapshot:*'],
    }));
    runNag(stack);
    expect(findings(stack).some((f) => f.includes('AwsSolutions-IAM5'))).toBe(true);
  });

  test('AwsSolutions-L1 is suppressed only while a newer runtime of the family exists', () => {
    const newer = new lambda.Runtime('nodejs98.x', lambda.RuntimeFamily.NODEJS);
    try {
      const { stack, construct } = consumer();
      for (const fn of Object.values(construct.handlers)) {
        expect(rulesOf(stack).get(fn.node.findChild('Resource').node.path)).toEqual([
          { id: 'AwsSolutions-L1', reason: expect.stringMatching(/pinned to nodejs22\.x deliberately.*nodejs98\.x/) },
        ]);
      }
      runNag(stack);
      expect(findings(stack)).toEqual([]);
    } finally {
      lambda.Runtime.ALL.splice(lambda.Runtime.ALL.indexOf(newer), 1);
    }
  });
});
