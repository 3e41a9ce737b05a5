/**
 * The receiver's knobs, the same as the source's (props `vpc`, `vpcSubnets`, `securityGroups`,
 * `architecture`, `memorySize`, `logRetention`, `keyRemovalPolicy`): what each puts in the
 * template, its default, and its validation; and the functions' descriptions.
 */
import { App, Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ReceivedClusterSnapshots, ReceivedClusterSnapshotsProps } from '../../src';
import { VPC_NETWORK_INTERFACE_ACTIONS } from '../../src/shared/function-options';
import { IGNORED_KEY_REMOVAL_POLICY_WARNING } from '../../src/shared/key-removal';

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
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

function roleStatements(stack: Stack, template: Template, fn: lambda.IFunction): Json[] {
  const roleId = stack.getLogicalId(fn.role!.node.defaultChild as iam.CfnRole);
  return Object.values<Json>(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => asList(policy.Properties.Roles).some((role: Json) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
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

function buildInVpc(props: (vpc: ec2.Vpc, stack: Stack) => Partial<ReceivedClusterSnapshotsProps> = () => ({})) {
  const stack = newStack();
  const vpc = vpcIn(stack);
  return { vpc, ...build({ vpc, ...props(vpc, stack) }, stack) };
}

describe('architecture', () => {
  test('every function runs on arm64 by default, as the source\'s do', () => {
    const { stack, construct, template } = build();
    expect(everyFunction(construct)).toHaveLength(5);
    for (const fn of everyFunction(construct)) expect(functionProperties(stack, template, fn).Architectures).toEqual(['arm64']);
  });

  test('architecture overrides it for every function', () => {
    const { stack, construct, template } = build({ architecture: lambda.Architecture.X86_64 });
    for (const fn of everyFunction(construct)) expect(functionProperties(stack, template, fn).Architectures).toEqual(['x86_64']);
  });
});

describe('memorySize', () => {
  test('256 MB for every function by default; memorySize sets every one', () => {
    for (const [props, expected] of [[{}, 256], [{ memorySize: 1024 }, 1024]] as const) {
      const { stack, construct, template } = build(props);
      for (const fn of everyFunction(construct)) expect(functionProperties(stack, template, fn).MemorySize).toBe(expected);
    }
  });

  test.each([128, 10_240])('Lambda\'s bounds are allowed: %d', (memorySize) => {
    expect(() => build({ memorySize })).not.toThrow();
  });

  test.each([127, 10_241, 0, 256.5])('%d is refused, naming the prop, the value and the bounds', (memorySize) => {
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

  test('with vpc: every function in the private subnets, with one shared security group that allows outbound HTTPS only', () => {
    const { stack, vpc, construct, template } = buildInVpc();
    const groups = template.findResources('AWS::EC2::SecurityGroup');
    expect(Object.keys(groups)).toHaveLength(1);
    const [group] = Object.values<Json>(groups);
    expect(group.Properties.GroupDescription).toBe('ReceivedClusterSnapshots functions: outbound HTTPS to AWS APIs only');
    expect(group.Properties.SecurityGroupEgress).toEqual([
      { CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: expect.stringContaining('HTTPS') },
    ]);
    expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    const privateSubnets = vpc.privateSubnets.map((subnet) => stack.resolve(subnet.subnetId));
    for (const fn of everyFunction(construct)) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: functionProperties(stack, template, fn).Description,
        VpcConfig: { SubnetIds: privateSubnets, SecurityGroupIds: [{ 'Fn::GetAtt': [Object.keys(groups)[0], 'GroupId'] }] },
      });
    }
  });

  test('every role may manage the functions\' network interfaces, inline, and each function waits for its policy', () => {
    const { stack, construct, template } = buildInVpc();
    for (const fn of everyFunction(construct)) {
      expect(roleStatements(stack, template, fn)).toContainEqual({ Effect: 'Allow', Action: VPC_NETWORK_INTERFACE_ACTIONS, Resource: '*' });
      const policy = fn.role!.node.findChild('DefaultPolicy').node.defaultChild as iam.CfnPolicy;
      expect(template.toJSON().Resources[logicalIdOf(stack, fn)].DependsOn).toContain(stack.getLogicalId(policy));
    }
  });

  test('vpcSubnets chooses the subnets', () => {
    const { stack, vpc, construct, template } = buildInVpc(() => ({ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }));
    const isolated = vpc.isolatedSubnets.map((subnet) => stack.resolve(subnet.subnetId));
    for (const fn of everyFunction(construct)) expect(functionProperties(stack, template, fn).VpcConfig.SubnetIds).toEqual(isolated);
  });

  test('securityGroups replaces the shared group; none is created', () => {
    const { construct, template, stack } = buildInVpc((_vpc, s) => ({ securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(s, 'Proxy', 'sg-0123456789abcdef0')] }));
    template.resourceCountIs('AWS::EC2::SecurityGroup', 0);
    for (const fn of everyFunction(construct)) {
      expect(functionProperties(stack, template, fn).VpcConfig.SecurityGroupIds).toEqual(['sg-0123456789abcdef0']);
    }
  });

  test.each(['vpcSubnets', 'securityGroups'] as const)('%s without vpc is refused, naming both props', (prop) => {
    const stack = newStack();
    const value = prop === 'vpcSubnets' ? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } : [ec2.SecurityGroup.fromSecurityGroupId(stack, 'G', 'sg-1')];
    expect(() => build({ [prop]: value }, stack)).toThrow(`${prop} is given without vpc: it places the functions in a VPC, so give vpc too`);
  });

  test.each([0, 6])('securityGroups with %d groups is refused (Lambda allows 1 to 5)', (count) => {
    const stack = newStack();
    const vpc = vpcIn(stack);
    const securityGroups = Array.from({ length: count }, (_, i) => ec2.SecurityGroup.fromSecurityGroupId(stack, `G${i}`, `sg-${i}`));
    expect(() => build({ vpc, securityGroups }, stack)).toThrow(`securityGroups must list 1 to 5 security groups (Lambda's limit per function), got ${count}`);
  });
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
    const encryptionKey = kms.Key.fromKeyArn(stack, 'Key', `arn:aws:kms:${REGION}:222222222222:key/11111111-2222-3333-4444-555555555555`);
    build({ encryptionKey, keyRemovalPolicy: RemovalPolicy.DESTROY }, stack);
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('keyRemovalPolicy is ignored'));
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0].entry.data)).toContain(`[ack: ${IGNORED_KEY_REMOVAL_POLICY_WARNING}]`);
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 0);
  });

  test('no such warning without keyRemovalPolicy', () => {
    const stack = newStack();
    const encryptionKey = kms.Key.fromKeyArn(stack, 'Key', `arn:aws:kms:${REGION}:222222222222:key/11111111-2222-3333-4444-555555555555`);
    build({ encryptionKey }, stack);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('keyRemovalPolicy'))).toEqual([]);
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
      Handler: 'index.handler',
    });
  });

  test('each role is described with the construct and the function', () => {
    for (const fn of everyFunction(construct)) {
      const role = template.toJSON().Resources[stack.getLogicalId(fn.role!.node.defaultChild as iam.CfnRole)];
      expect(role.Properties.Description).toBe(`ReceivedClusterSnapshots ${fn.node.id} handler`);
    }
  });
});
