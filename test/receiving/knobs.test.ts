/**
 * The receiver's knobs, the same as the source's (props `vpc`, `vpcSubnets`, `securityGroups`,
 * `architecture`, `memorySize`, `keyRemovalPolicy`: the suite of test/function-knobs.ts, run on the
 * receiver; `logRetention` here): what each puts in the template, its default, and its
 * validation; and the functions' descriptions.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ReceivedClusterSnapshots, ReceivedClusterSnapshotsProps } from '../../src';
import { describeSharedKnobs } from '../function-knobs';

type Json = any;
const REGION = 'eu-west-1';

function newStack(): Stack {
  return new Stack(new App(), 'Target', { env: { account: '222222222222', region: REGION } });
}

function build(props: Partial<ReceivedClusterSnapshotsProps> = {}, stack = newStack()) {
  const construct = new ReceivedClusterSnapshots(stack, 'Received', { sourceAccountIds: ['111111111111'], ...props });
  return { stack, construct, template: Template.fromStack(stack) };
}

const everyFunction = (construct: ReceivedClusterSnapshots): lambda.IFunction[] => Object.values(construct.handlers);
const logicalIdOf = (stack: Stack, fn: lambda.IFunction) => stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction);
const functionProperties = (stack: Stack, template: Template, fn: lambda.IFunction): Json =>
  template.toJSON().Resources[logicalIdOf(stack, fn)].Properties;

describeSharedKnobs({
  constructName: 'ReceivedClusterSnapshots',
  newStack,
  addTo: (stack, props) => everyFunction(build(props, stack).construct),
});

test('the receiver has five functions, all of which the shared knobs apply to', () => {
  expect(everyFunction(build().construct).map((fn) => fn.node.id).sort())
    .toEqual(['CheckCopy', 'CopySharedSnapshot', 'ReceiveEvent', 'RetainCopies', 'ScanSharedSnapshots']);
});

describe('logRetention', () => {
  const retentions = (template: Template) => Object.values<Json>(template.findResources('AWS::Logs::LogGroup')).map((g) => g.Properties.RetentionInDays);

  test('three months for the state machine\'s and every function\'s log group by default; logRetention sets every one', () => {
    expect(retentions(build().template)).toEqual(Array(6).fill(90));
    expect(retentions(build({ logRetention: logs.RetentionDays.ONE_YEAR }).template)).toEqual(Array(6).fill(365));
  });

  test('the state machine logs under /aws/vendedlogs/states/, as the source\'s does (no Logs resource-policy entry)', () => {
    const { stack, construct, template } = build();
    const group = template.toJSON().Resources[stack.getLogicalId(construct.stateMachineLogGroup.node.defaultChild as logs.CfnLogGroup)];
    expect(JSON.stringify(group.Properties.LogGroupName)).toContain('/aws/vendedlogs/states/');
  });
});

describe('function descriptions', () => {
  const { stack, construct, template } = build();
  const descriptions = everyFunction(construct).map((fn) => functionProperties(stack, template, fn).Description as string);

  test('say what each function does, name the construct, are distinct and not source paths', () => {
    for (const description of descriptions) {
      expect(description).toMatch(/^ReceivedClusterSnapshots: /);
      expect(description).not.toMatch(/\.ts\b|src\//);
      expect(description.length).toBeLessThanOrEqual(256); // Lambda's limit for Description
    }
    expect(new Set(descriptions).size).toBe(5);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'ReceivedClusterSnapshots: copies a shared snapshot under this account\'s key (CopySharedSnapshot step)',
      Handler: 'receiving.copySharedSnapshot',
    });
  });

  test('each role is described with the construct and the function', () => {
    for (const fn of everyFunction(construct)) {
      const role = template.toJSON().Resources[stack.getLogicalId(fn.role!.node.defaultChild as iam.CfnRole)];
      expect(role.Properties.Description).toBe(`ReceivedClusterSnapshots ${fn.node.id} handler`);
    }
  });
});
