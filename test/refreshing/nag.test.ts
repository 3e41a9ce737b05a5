import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { refreshStack, RefreshStack, userFunction } from './stack';
import { PostRestoreStep, RefreshMode } from '../../src';
import { NAG_FINDING, nagRules, runNag, SuppressedFindings } from '../nag-helpers';

function full(): RefreshStack {
  return refreshStack({}, {}, (stack: Stack, vpc: ec2.IVpc) => ({
    encryptionKey: new kms.Key(stack, 'DatabaseKey', { enableKeyRotation: true }),
    masterUserSecretKey: new kms.Key(stack, 'SecretKey', { enableKeyRotation: true }),
    parameterGroupName: 'staging-params',
    keepPrevious: Duration.hours(12),
    finalSnapshot: true,
    postRestore: PostRestoreStep.fromFunction(userFunction(stack)),
    alarmTopic: new sns.Topic(stack, 'Alarms', { enforceSSL: true, masterKey: new kms.Key(stack, 'AlarmsKey', { enableKeyRotation: true }) }),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    tags: { team: 'data' },
  }));
}

function withStateMachineStep(): RefreshStack {
  return refreshStack({}, {}, (stack: Stack) => ({
    postRestore: PostRestoreStep.fromStateMachine(new sfn.StateMachine(stack, 'Migrate', {
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Nothing')),
      tracingEnabled: true,
    })),
  }));
}

/** Runs the AwsSolutions checks on `stack` now (by synthesizing it). */
function nagChecked(stack: Stack): SuppressedFindings {
  const logger = runNag(stack);
  Template.fromStack(stack);
  return logger;
}

/** The findings on the refresh's own resources (the test's VPC, user function and receiver are not its business). */
function findings(stack: Stack): string[] {
  const annotations = Annotations.fromStack(stack);
  return [...annotations.findError('*', NAG_FINDING), ...annotations.findWarning('*', NAG_FINDING)]
    .filter((message) => message.id.startsWith('/Refresh/Staging') || message.id.startsWith('/Refresh/SchedulerRole'))
    .map((message) => `${message.id}: ${String(message.entry.data).split('\n')[0]}`);
}

const STACKS: Array<[string, () => RefreshStack]> = [
  ['every optional prop, in a VPC', full],
  ['a state machine as the post-restore step', withStateMachineStep],
  ['required props only', () => refreshStack()],
  ['restore tests, in a VPC', () => refreshStack({ mode: RefreshMode.RESTORE_TEST }, {}, (_stack, vpc) => ({ vpc }))],
  ['required props only, environment-agnostic', () => refreshStack({}, false)],
];

describe('cdk-nag AwsSolutions on RefreshedDatabase', () => {
  test.each(STACKS)('%s: no AwsSolutions errors or warnings on its resources', (_name, build) => {
    const { stack } = build();
    nagChecked(stack);
    expect(findings(stack)).toEqual([]);
  });

  test.each(STACKS)('%s: every suppression of its resources matches a finding cdk-nag reports', (_name, build) => {
    const { stack } = build();
    const logger = nagChecked(stack);
    const unused: string[] = [];
    for (const [path, rules] of nagRules(stack)) {
      if (!path.startsWith('Refresh/Staging')) continue;
      for (const rule of rules) {
        for (const appliesTo of rule.applies_to ?? [undefined]) {
          const used = logger.suppressed.some((s) => s.path === path && s.ruleId === rule.id
            && (appliesTo === undefined || s.findingId === appliesTo));
          if (!used) unused.push(`${path} ${rule.id} ${appliesTo ?? ''}`);
        }
      }
    }
    expect(unused).toEqual([]);
  });

  test('a consumer\'s own unconditioned wildcard delete on a handler role is not suppressed', () => {
    const { stack, refreshed } = refreshStack();
    refreshed.handlers.deleteDatabases.role!.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['rds:DeleteDBCluster'], resources: ['arn:aws:rds:eu-west-1:222222222222:cluster:*'],
    }));
    nagChecked(stack);
    expect(findings(stack).some((f) => f.includes('AwsSolutions-IAM5'))).toBe(true);
  });
});
