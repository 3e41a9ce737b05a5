/**
 * The knobs a platform team sets (props `vpc`, `vpcSubnets`, `securityGroups`, `architecture`,
 * `memorySize`, `keyRemovalPolicy`, `snapshotTags`, `scheduleEnabled`): what each puts in the
 * template, its default, and its validation. Those the receiver has too run as one suite on both
 * constructs (test/function-knobs.ts).
 */
import { Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { addSnapshots, build, handlerFunctions, HANDLER_NAMES, Json, lambdaEnvironment, logicalIdOf, newStack, REGION } from './helpers';
import { SharedClusterSnapshots } from '../../../src';
import { ENV } from '../../../src/shared/constants';
import { VPC_NETWORK_INTERFACE_ACTIONS } from '../../../src/shared/function-options';
import { describeSharedKnobs } from '../../function-knobs';

/** Every function of the construct: the workflow's handlers and the starter. */
function everyFunction(construct: SharedClusterSnapshots): lambda.IFunction[] {
  return [...handlerFunctions(construct), construct.starterFunction];
}

function functionProperties(stack: Stack, template: Template, fn: lambda.IFunction): Json {
  return template.toJSON().Resources[logicalIdOf(stack, fn)].Properties;
}

describeSharedKnobs({
  constructName: 'SharedClusterSnapshots',
  newStack: () => newStack(),
  addTo: (stack, props) => everyFunction(addSnapshots(stack, props)),
});

describe('vpc: the source side', () => {
  test('the ENI actions are exactly those of AWSLambdaVPCAccessExecutionRole v3 without its logs actions', () => {
    // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaVPCAccessExecutionRole.html
    expect(VPC_NETWORK_INTERFACE_ACTIONS).toEqual([
      'ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets',
      'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses',
    ]);
  });

  test('an imported VPC (Vpc.fromLookup-style attributes) works', () => {
    const stack = newStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-1234', availabilityZones: [`${REGION}a`, `${REGION}b`], privateSubnetIds: ['subnet-a', 'subnet-b'],
    });
    const { construct, template } = build({ vpc }, stack);
    expect(functionProperties(stack, template, construct.starterFunction).VpcConfig.SubnetIds).toEqual(['subnet-a', 'subnet-b']);
  });

});

describe('snapshotTags', () => {
  const TAGS = { 'cost-center': '1234', 'team': 'data platform' };

  test('carried as JSON to CreateSnapshot and CopySnapshot, the handlers that create snapshots, and to no other', () => {
    const { stack, construct, template } = build({ snapshotTags: TAGS });
    for (const name of HANDLER_NAMES) {
      const value = lambdaEnvironment(stack, template, construct.handlers[name])[ENV.SNAPSHOT_TAGS];
      if (name === 'createSnapshot' || name === 'copySnapshot') expect(JSON.parse(value as string)).toEqual(TAGS);
      else expect(value).toBeUndefined();
    }
    expect(lambdaEnvironment(stack, template, construct.starterFunction)[ENV.SNAPSHOT_TAGS]).toBeUndefined();
  });

  test.each([undefined, {}])('%p: no variable at all', (snapshotTags) => {
    const { stack, construct, template } = build({ snapshotTags });
    expect(lambdaEnvironment(stack, template, construct.handlers.createSnapshot)).not.toHaveProperty(ENV.SNAPSHOT_TAGS);
  });

  test('a token value is resolved into the JSON at deploy time', () => {
    const stack = newStack();
    const { construct, template } = build({ snapshotTags: { 'stack-id': stack.stackId } }, stack);
    const value = lambdaEnvironment(stack, template, construct.handlers.copySnapshot)[ENV.SNAPSHOT_TAGS] as Json;
    expect(JSON.stringify(value)).toContain('"Ref":"AWS::StackId"');
    expect(value['Fn::Join']).toBeDefined();
  });

  test('46 tags fit: with this construct\'s 4, RDS\'s 50 per snapshot', () => {
    const snapshotTags = Object.fromEntries(Array.from({ length: 46 }, (_, i) => [`t${i}`, 'v']));
    expect(() => build({ snapshotTags })).not.toThrow();
    const tooMany = { ...snapshotTags, t46: 'v' };
    expect(() => build({ snapshotTags: tooMany }))
      .toThrow('snapshotTags has 47 tags; at most 46 fit (RDS allows 50 tags per snapshot, and this construct sets 4)');
  });

  test.each([
    ['shared-cluster-snapshots:owner', "starts with 'shared-cluster-snapshots:', which is reserved for this construct's own tags"],
    ['Shared-Cluster-Snapshots:Team', "starts with 'shared-cluster-snapshots:', which is reserved"],
    ['aws:cloudformation:stack-name', "starts with 'aws:', which AWS reserves"],
    ['AWS:team', "starts with 'aws:', which AWS reserves"],
    ['rds:team', "starts with 'rds:', which AWS reserves"],
    ['', 'must be 1 to 128 characters, got 0'],
    ['k'.repeat(129), 'must be 1 to 128 characters, got 129'],
    ['cost#center', 'may hold only Unicode letters, digits, white space and _ . : / = + - @'],
  ])('key %p is refused', (key, message) => {
    expect(() => build({ snapshotTags: { [key]: 'v' } })).toThrow(`snapshotTags key '${key}' ${message}`);
  });

  test.each([
    ['v'.repeat(257), 'must be at most 256 characters, got 257'],
    ['aws:x', "is 'aws:x', which starts with 'aws:'; RDS refuses tag values with that prefix"],
    ['a,b', "is 'a,b'; a tag value may hold only Unicode letters"],
  ])('value %p is refused', (value, message) => {
    expect(() => build({ snapshotTags: { team: value } })).toThrow(`snapshotTags['team'] ${message}`);
  });

  test('RDS\'s full character set is allowed, including Unicode letters and an empty value', () => {
    expect(() => build({ snapshotTags: { 'Kostenstelle_ä.1:/=+-@ x': 'Größe 2 @team', 'empty': '' } })).not.toThrow();
  });

  test('a token key is refused: reserved keys could not be checked', () => {
    const stack = newStack();
    expect(() => build({ snapshotTags: { [stack.stackName.concat(Lazy.string({ produce: () => 'x' }))]: 'v' } }, stack))
      .toThrow('snapshotTags keys must be literal strings, not tokens');
  });

  test('every problem of the knobs is reported at once', () => {
    expect(() => build({ memorySize: 64, snapshotTags: { 'aws:x': 'v', 'team': 'v'.repeat(300) } })).toThrow(
      /- memorySize must be[^\n]*got 64\n- snapshotTags key 'aws:x'[^\n]*\n- snapshotTags\['team'\] must be at most 256 characters, got 300/,
    );
  });

  test('tags that overflow Lambda\'s 4 KB environment fail at synth, naming snapshotTags', () => {
    const snapshotTags = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`tag-${i}`.padEnd(100, 'k'), 'v'.repeat(200)]));
    expect(() => build({ snapshotTags })).toThrow(/snapshotTags make the CreateSnapshot handler's environment about \d+ bytes, over Lambda's 4096-byte limit/);
    // A ValidationError of the construct, with its path, like every synth-time error.
    expect(() => build({ snapshotTags })).toThrow(expect.objectContaining({ name: 'ValidationError', message: expect.stringContaining('TestStack/Snapshots') }));
  });
});

describe('scheduleEnabled', () => {
  test('the schedule is enabled by default', () => {
    build().template.hasResourceProperties('AWS::Scheduler::Schedule', { State: 'ENABLED' });
  });

  test('false deploys it DISABLED; the state machine and the starter are still there to run by hand', () => {
    const { template } = build({ scheduleEnabled: false });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { State: 'DISABLED' });
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
  });
});
