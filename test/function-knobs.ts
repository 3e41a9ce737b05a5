/**
 * The knobs both constructs have under the same names, defaults and rules (`architecture`,
 * `memorySize`, `vpc`, `vpcSubnets`, `securityGroups`, `keyRemovalPolicy`: src/shared/function-options.ts
 * and src/shared/key-removal.ts), as one suite each construct's knobs test runs on itself.
 */
import { Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { HandlerFunctionProps } from '../src';
import { VPC_NETWORK_INTERFACE_ACTIONS } from '../src/shared/function-options';
import { IGNORED_KEY_REMOVAL_POLICY_WARNING } from '../src/shared/key-removal';

type Json = any;

/** The props of either construct that this suite sets. */
export interface KnobProps extends HandlerFunctionProps {
  readonly keyRemovalPolicy?: RemovalPolicy;
  readonly encryptionKey?: kms.IKey;
}

/** One construct, as the suite builds and reads it. */
export interface KnobSubject {
  /** The construct's class name, as its security group's description starts. */
  readonly constructName: string;
  /** A stack with an explicit account and Region. */
  newStack(): Stack;
  /** Adds the construct with its required props and `props` to `stack`, and returns every function it creates. */
  addTo(stack: Stack, props: KnobProps): lambda.IFunction[];
}

const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const logicalIdOf = (stack: Stack, fn: lambda.IFunction) => stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction);

/** A VPC with private subnets (with a NAT gateway) and isolated ones (without), in two AZs. */
export function vpcIn(stack: Stack): ec2.Vpc {
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

/** The `describe` blocks of the shared knobs, run on `subject`. */
export function describeSharedKnobs(subject: KnobSubject): void {
  const build = (props: KnobProps | ((stack: Stack) => KnobProps) = {}) => {
    const stack = subject.newStack();
    const functions = subject.addTo(stack, typeof props === 'function' ? props(stack) : props);
    const template = Template.fromStack(stack);
    const properties = (fn: lambda.IFunction): Json => template.toJSON().Resources[logicalIdOf(stack, fn)].Properties;
    const statements = (fn: lambda.IFunction): Json[] => {
      const roleId = stack.getLogicalId(fn.role!.node.defaultChild as iam.CfnRole);
      return Object.values<Json>(template.findResources('AWS::IAM::Policy'))
        .filter((policy) => asList(policy.Properties.Roles).some((role: Json) => role.Ref === roleId))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    };
    return { stack, functions, template, properties, statements };
  };
  const inVpc = (props: (vpc: ec2.Vpc, stack: Stack) => KnobProps = () => ({})) => {
    let vpc!: ec2.Vpc;
    const built = build((stack) => {
      vpc = vpcIn(stack);
      return { vpc, ...props(vpc, stack) };
    });
    return { ...built, vpc };
  };
  const refuses = (props: (stack: Stack) => KnobProps) => () => {
    const stack = subject.newStack();
    subject.addTo(stack, props(stack));
  };

  describe('architecture', () => {
    test('every function runs on arm64 by default', () => {
      const { functions, properties } = build();
      for (const fn of functions) expect(properties(fn).Architectures).toEqual(['arm64']);
    });

    test('architecture overrides it for every function', () => {
      const { functions, properties } = build({ architecture: lambda.Architecture.X86_64 });
      for (const fn of functions) expect(properties(fn).Architectures).toEqual(['x86_64']);
    });
  });

  describe('memorySize', () => {
    test('256 MB for every function by default; memorySize sets every one', () => {
      for (const [props, expected] of [[{}, 256], [{ memorySize: 1024 }, 1024]] as const) {
        const { functions, properties } = build(props);
        for (const fn of functions) expect(properties(fn).MemorySize).toBe(expected);
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
      const { functions, template, properties, statements } = build();
      template.resourceCountIs('AWS::EC2::SecurityGroup', 0);
      for (const fn of functions) {
        expect(properties(fn).VpcConfig).toBeUndefined();
        expect(statements(fn).flatMap((st) => asList(st.Action)).filter((a: string) => a.startsWith('ec2:'))).toEqual([]);
      }
    });

    test('with vpc: every function in the private subnets, with one shared security group', () => {
      const { stack, vpc, functions, template, properties } = inVpc();
      const groups = template.findResources('AWS::EC2::SecurityGroup');
      expect(Object.keys(groups)).toHaveLength(1);
      const privateSubnets = vpc.privateSubnets.map((subnet) => stack.resolve(subnet.subnetId));
      for (const fn of functions) {
        expect(properties(fn).VpcConfig).toEqual({ SubnetIds: privateSubnets, SecurityGroupIds: [{ 'Fn::GetAtt': [Object.keys(groups)[0], 'GroupId'] }] });
      }
    });

    test('the shared security group allows outbound HTTPS only, and nothing inbound', () => {
      const { template } = inVpc();
      const group = Object.values<Json>(template.findResources('AWS::EC2::SecurityGroup'))[0];
      expect(group.Properties.GroupDescription).toBe(`${subject.constructName} functions: outbound HTTPS to AWS APIs only`);
      expect(group.Properties.SecurityGroupEgress).toEqual([
        { CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: expect.stringContaining('HTTPS') },
      ]);
      expect(group.Properties.SecurityGroupIngress).toBeUndefined();
      template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
    });

    test('every role may manage the functions\' network interfaces, as AWSLambdaVPCAccessExecutionRole allows, inline', () => {
      const { stack, functions, template, statements } = inVpc();
      for (const fn of functions) {
        expect(statements(fn)).toContainEqual({ Effect: 'Allow', Action: VPC_NETWORK_INTERFACE_ACTIONS, Resource: '*' });
        // No AWS managed policy: a role may already hold IAM's 10 managed policies (the source's CreateSnapshot role, for its clusters).
        const role = template.toJSON().Resources[stack.getLogicalId(fn.role!.node.defaultChild as iam.CfnRole)];
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      }
    });

    test('each function is created after its role\'s policy, so Lambda can create its network interfaces', () => {
      const { stack, functions, template } = inVpc();
      for (const fn of functions) {
        const policy = fn.role!.node.findChild('DefaultPolicy').node.defaultChild as iam.CfnPolicy;
        expect(template.toJSON().Resources[logicalIdOf(stack, fn)].DependsOn).toContain(stack.getLogicalId(policy));
      }
    });

    test('vpcSubnets chooses the subnets', () => {
      const { stack, vpc, functions, properties } = inVpc(() => ({ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }));
      const isolated = vpc.isolatedSubnets.map((subnet) => stack.resolve(subnet.subnetId));
      for (const fn of functions) expect(properties(fn).VpcConfig.SubnetIds).toEqual(isolated);
    });

    test('securityGroups replaces the shared group; none is created', () => {
      const { functions, template, properties } = inVpc((_vpc, s) => ({ securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(s, 'Proxy', 'sg-0123456789abcdef0')] }));
      template.resourceCountIs('AWS::EC2::SecurityGroup', 0);
      for (const fn of functions) expect(properties(fn).VpcConfig.SecurityGroupIds).toEqual(['sg-0123456789abcdef0']);
    });

    test.each(['vpcSubnets', 'securityGroups'] as const)('%s without vpc is refused, naming both props', (prop) => {
      expect(refuses((stack) => ({
        [prop]: prop === 'vpcSubnets' ? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } : [ec2.SecurityGroup.fromSecurityGroupId(stack, 'G', 'sg-1')],
      }))).toThrow(`${prop} is given without vpc: it places the functions in a VPC, so give vpc too`);
    });

    test.each([0, 6])('securityGroups with %d groups is refused (Lambda allows 1 to 5)', (count) => {
      const stack = subject.newStack();
      const vpc = vpcIn(stack);
      const securityGroups = Array.from({ length: count }, (_, i) => ec2.SecurityGroup.fromSecurityGroupId(stack, `G${i}`, `sg-${i}`));
      expect(() => subject.addTo(stack, { vpc, securityGroups }))
        .toThrow(`securityGroups must list 1 to 5 security groups (Lambda's limit per function), got ${count}`);
    });

    test('Lambda\'s own check: public subnets are refused', () => {
      expect(() => inVpc(() => ({ vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }))).toThrow(/public subnet/i);
    });
  });

  describe('keyRemovalPolicy', () => {
    const keyOf = (template: Template) => Object.values<Json>(template.findResources('AWS::KMS::Key'))[0];
    const importedKey = (stack: Stack) => kms.Key.fromKeyArn(stack, 'Key', `arn:aws:kms:${stack.region}:${stack.account}:key/11111111-2222-3333-4444-555555555555`);

    test('the created key is retained by default', () => {
      expect(keyOf(build().template)).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });

    test('RemovalPolicy.DESTROY lets a test stack delete its key', () => {
      expect(keyOf(build({ keyRemovalPolicy: RemovalPolicy.DESTROY }).template)).toMatchObject({ DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    });

    test('with an imported encryptionKey it is ignored, with a warning that can be acknowledged', () => {
      const { stack, template } = build((s) => ({ encryptionKey: importedKey(s), keyRemovalPolicy: RemovalPolicy.DESTROY }));
      const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('keyRemovalPolicy is ignored'));
      expect(warnings).toHaveLength(1);
      expect(String(warnings[0].entry.data)).toContain(`[ack: ${IGNORED_KEY_REMOVAL_POLICY_WARNING}]`);
      template.resourceCountIs('AWS::KMS::Key', 0);
    });

    test('no such warning without keyRemovalPolicy', () => {
      const { stack } = build((s) => ({ encryptionKey: importedKey(s) }));
      expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('keyRemovalPolicy'))).toEqual([]);
    });
  });
}
