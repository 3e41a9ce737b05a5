/**
 * The knobs a platform team sets (props `vpc`, `vpcSubnets`, `securityGroups`, `architecture`,
 * `memorySize`, `keyRemovalPolicy`, `snapshotTags`, `scheduleEnabled`): what each puts in the
 * template, its default, and its validation.
 */
import { Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { addSnapshots, asList, build, handlerFunctions, HANDLER_NAMES, Json, lambdaEnvironment, logicalIdOf, newStack, REGION, roleIdOf } from './helpers';
import { SharedClusterSnapshots, SharedClusterSnapshotsProps } from '../../../src';
import { ENV } from '../../../src/shared/constants';
import { VPC_NETWORK_INTERFACE_ACTIONS } from '../../../src/shared/function-options';
import { IGNORED_KEY_REMOVAL_POLICY_WARNING } from '../../../src/sharing/sharing-key';

/** Every function of the construct: the workflow's handlers and the starter. */
function everyFunction(construct: SharedClusterSnapshots): lambda.IFunction[] {
  return [...handlerFunctions(construct), construct.starterFunction];
}

function functionProperties(stack: Stack, template: Template, fn: lambda.IFunction): Json {
  return template.toJSON().Resources[logicalIdOf(stack, fn)].Properties;
}

/** The statements of the role's default (inline) policy, as synthesized. */
function roleStatements(stack: Stack, template: Template, fn: lambda.IFunction): Json[] {
  const policies = Object.values<Json>(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => asList(policy.Properties.Roles).some((role: Json) => role.Ref === roleIdOf(stack, fn)));
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

/** A VPC with private subnets (with a NAT gateway) and isolated ones (without), in two AZs. */
function vpcIn(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
}

function buildInVpc(props: (vpc: ec2.Vpc, stack: Stack) => Partial<SharedClusterSnapshotsProps> = () => ({})) {
  const stack = newStack();
  const vpc = vpcIn(stack);
  return { vpc, ...build({ vpc, ...props(vpc, stack) }, stack) };
}

describe('architecture', () => {
  test('every function runs on arm64 by default', () => {
    const { stack, construct, template } = build();
    for (const fn of everyFunction(construct)) {
      expect(functionProperties(stack, template, fn).Architectures).toEqual(['arm64']);
    }
  });

  test('architecture overrides it for every function', () => {
    const { stack, construct, template } = build({ architecture: lambda.Architecture.X86_64 });
    for (const fn of everyFunction(construct)) {
      expect(functionProperties(stack, template, fn).Architectures).toEqual(['x86_64']);
    }
  });
});

describe('memorySize', () => {
  test('256 MB for every function by default; memorySize sets every one', () => {
    const defaults = build();
    const large = build({ memorySize: 1024 });
    for (const { stack, construct, template } of [defaults, large]) {
      const expected = construct === defaults.construct ? 256 : 1024;
      for (const fn of everyFunction(construct)) expect(functionProperties(stack, template, fn).MemorySize).toBe(expected);
    }
  });

  test.each([128, 10_240])('Lambda\'s bounds are allowed: %d', (memorySize) => {
    expect(() => build({ memorySize })).not.toThrow();
  });

  test.each([127, 10_241, 0, 256.5, -1])('%d is refused, naming the prop, the value and the bounds', (memorySize) => {
    expect(() => build({ memorySize })).toThrow(`memorySize must be a whole number of MB from 128 to 10,240 (Lambda's limits), got ${memorySize}`);
  });

  test('a token is not checked at synth', () => {
    expect(() => build({ memorySize: Lazy.number({ produce: () => 512 }) })).not.toThrow();
  });
});

describe('vpc, vpcSubnets, securityGroups', () => {
  test('without vpc: no function is in a VPC, no security group, no EC2 permission', () => {
    const { stack, construct, template } = build();
    template.resourceCountIs('AWS::EC2::SecurityGroup', 0);
    for (const fn of everyFunction(construct)) {
      expect(functionProperties(stack, template, fn).VpcConfig).toBeUndefined();
      expect(roleStatements(stack, template, fn).flatMap((st) => asList(st.Action)).filter((a: string) => a.startsWith('ec2:'))).toEqual([]);
    }
  });

  test('with vpc: every function (the starter too) in the private subnets, with one shared security group', () => {
    const { stack, vpc, construct, template } = buildInVpc();
    const groups = template.findResources('AWS::EC2::SecurityGroup');
    expect(Object.keys(groups)).toHaveLength(1);
    const privateSubnets = vpc.privateSubnets.map((subnet) => stack.resolve(subnet.subnetId));
    for (const fn of everyFunction(construct)) {
      expect(functionProperties(stack, template, fn).VpcConfig).toEqual({
        SubnetIds: privateSubnets,
        SecurityGroupIds: [{ 'Fn::GetAtt': [Object.keys(groups)[0], 'GroupId'] }],
      });
    }
  });

  test('the shared security group allows outbound HTTPS only, and nothing inbound', () => {
    const { template } = buildInVpc();
    const group = Object.values<Json>(template.findResources('AWS::EC2::SecurityGroup'))[0];
    expect(group.Properties.SecurityGroupEgress).toEqual([
      { CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: expect.stringContaining('HTTPS') },
    ]);
    expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });

  test('every role may manage the functions\' network interfaces, as AWSLambdaVPCAccessExecutionRole allows, inline', () => {
    const { stack, construct, template } = buildInVpc();
    for (const fn of everyFunction(construct)) {
      expect(roleStatements(stack, template, fn)).toContainEqual({ Effect: 'Allow', Action: VPC_NETWORK_INTERFACE_ACTIONS, Resource: '*' });
      // No AWS managed policy: the CreateSnapshot role may already hold IAM's 10 managed policies for its clusters.
      const role = template.toJSON().Resources[roleIdOf(stack, fn)];
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  test('each function is created after its role\'s policy, so Lambda can create its network interfaces', () => {
    const { stack, construct, template } = buildInVpc();
    for (const fn of everyFunction(construct)) {
      const policy = fn.role!.node.findChild('DefaultPolicy').node.defaultChild as iam.CfnPolicy;
      expect(template.toJSON().Resources[logicalIdOf(stack, fn)].DependsOn).toContain(stack.getLogicalId(policy));
    }
  });

  test('the ENI actions are exactly those of AWSLambdaVPCAccessExecutionRole v3 without its logs actions', () => {
    // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaVPCAccessExecutionRole.html
    expect(VPC_NETWORK_INTERFACE_ACTIONS).toEqual([
      'ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets',
      'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses',
    ]);
  });

  test('vpcSubnets chooses the subnets', () => {
    const { stack, vpc, construct, template } = buildInVpc(() => ({ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }));
    const isolated = vpc.isolatedSubnets.map((subnet) => stack.resolve(subnet.subnetId));
    for (const fn of everyFunction(construct)) expect(functionProperties(stack, template, fn).VpcConfig.SubnetIds).toEqual(isolated);
  });

  test('securityGroups replaces the shared group; none is created', () => {
    const { stack, construct, template } = buildInVpc((_vpc, s) => ({
      securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(s, 'Proxy', 'sg-0123456789abcdef0')],
    }));
    template.resourceCountIs('AWS::EC2::SecurityGroup', 0);
    for (const fn of everyFunction(construct)) {
      expect(functionProperties(stack, template, fn).VpcConfig.SecurityGroupIds).toEqual(['sg-0123456789abcdef0']);
    }
  });

  test('an imported VPC (Vpc.fromLookup-style attributes) works', () => {
    const stack = newStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-1234', availabilityZones: [`${REGION}a`, `${REGION}b`], privateSubnetIds: ['subnet-a', 'subnet-b'],
    });
    const { construct, template } = build({ vpc }, stack);
    expect(functionProperties(stack, template, construct.starterFunction).VpcConfig.SubnetIds).toEqual(['subnet-a', 'subnet-b']);
  });

  test.each(['vpcSubnets', 'securityGroups'] as const)('%s without vpc is refused, naming both props', (prop) => {
    const stack = newStack();
    const value = prop === 'vpcSubnets' ? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } : [ec2.SecurityGroup.fromSecurityGroupId(stack, 'G', 'sg-1')];
    expect(() => addSnapshots(stack, { [prop]: value })).toThrow(`${prop} is given without vpc: it places the functions in a VPC, so give vpc too`);
  });

  test.each([0, 6])('securityGroups with %d groups is refused (Lambda allows 1 to 5)', (count) => {
    const stack = newStack();
    const vpc = vpcIn(stack);
    const securityGroups = Array.from({ length: count }, (_, i) => ec2.SecurityGroup.fromSecurityGroupId(stack, `G${i}`, `sg-${i}`));
    expect(() => addSnapshots(stack, { vpc, securityGroups })).toThrow(`securityGroups must list 1 to 5 security groups (Lambda's limit per function), got ${count}`);
  });

  test('Lambda\'s own check: public subnets are refused', () => {
    expect(() => buildInVpc(() => ({ vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }))).toThrow(/public subnet/i);
  });
});

describe('keyRemovalPolicy', () => {
  const keyOf = (template: Template) => Object.values<Json>(template.findResources('AWS::KMS::Key'))[0];

  test('the created key is retained by default', () => {
    expect(keyOf(build().template)).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('RemovalPolicy.DESTROY lets a test stack delete its key', () => {
    expect(keyOf(build({ keyRemovalPolicy: RemovalPolicy.DESTROY }).template)).toMatchObject({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  test('with an imported encryptionKey it is ignored, with a warning that can be acknowledged', () => {
    const stack = newStack();
    const encryptionKey = kms.Key.fromKeyArn(stack, 'Key', `arn:aws:kms:${REGION}:111111111111:key/11111111-2222-3333-4444-555555555555`);
    addSnapshots(stack, { encryptionKey, keyRemovalPolicy: RemovalPolicy.DESTROY });
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('keyRemovalPolicy is ignored'));
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0].entry.data)).toContain(`[ack: ${IGNORED_KEY_REMOVAL_POLICY_WARNING}]`);
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 0);
  });

  test('no such warning without keyRemovalPolicy', () => {
    const stack = newStack();
    const encryptionKey = kms.Key.fromKeyArn(stack, 'Key', `arn:aws:kms:${REGION}:111111111111:key/11111111-2222-3333-4444-555555555555`);
    addSnapshots(stack, { encryptionKey });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('keyRemovalPolicy'))).toEqual([]);
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
