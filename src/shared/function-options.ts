import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { DEFAULT_MEMORY_SIZE_MB, MAX_FUNCTION_SECURITY_GROUPS, MAX_MEMORY_SIZE_MB, MIN_MEMORY_SIZE_MB } from './constants';
import type { HandlerFunctionProps } from './function-props';

/*
 * What every function of a construct gets besides its code, role and environment: the
 * architecture, the memory and, optionally, a VPC (props `architecture`, `memorySize`, `vpc`,
 * `vpcSubnets`, `securityGroups`, with the same names, defaults and rules on both constructs).
 */

/**
 * The EC2 actions Lambda uses with a function's own role to attach it to a VPC: those of the AWS
 * managed policy AWSLambdaVPCAccessExecutionRole (v3, 2024-01-05), without its logs actions (each
 * role may already write its own log group). Granted on "*", as that policy does: the Lambda
 * Developer Guide ("Giving Lambda functions access to resources in an Amazon VPC") notes that
 * ec2:DescribeNetworkInterfaces works only on "*". Inline rather than the managed policy: the
 * CreateSnapshot role may already hold IAM's 10 managed policies for its clusters.
 */
export const VPC_NETWORK_INTERFACE_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];

/** The AWS APIs are reached over HTTPS, through VPC endpoints or a NAT gateway. */
const HTTPS = ec2.Port.tcp(443);

/** The `lambda.FunctionOptions` this module decides. */
export type HandlerFunctionOptions = Pick<lambda.FunctionOptions, 'architecture' | 'memorySize' | 'vpc' | 'vpcSubnets' | 'securityGroups'>;

/** The options of every function, and what each function's role needs for them. */
export class HandlerFunctionSettings {
  public readonly options: HandlerFunctionOptions;
  /** The security group created for the functions when `vpc` is given without `securityGroups`. */
  public readonly securityGroup?: ec2.SecurityGroup;

  /**
   * Creates the functions' shared security group under `scope` when one is needed, described with
   * `constructName`.
   */
  constructor(scope: Construct, props: HandlerFunctionProps, constructName: string) {
    const common = {
      architecture: props.architecture ?? lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? DEFAULT_MEMORY_SIZE_MB,
    };
    if (!props.vpc) {
      this.options = common;
      return;
    }
    if (!props.securityGroups) {
      // One group for all the functions: they reach the same APIs, and none accepts connections.
      this.securityGroup = new ec2.SecurityGroup(scope, 'FunctionSecurityGroup', {
        vpc: props.vpc,
        description: `${constructName} functions: outbound HTTPS to AWS APIs only`,
        allowAllOutbound: false,
      });
      this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), HTTPS, 'HTTPS to AWS APIs (VPC endpoints or a NAT gateway)');
    }
    this.options = {
      ...common,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: props.securityGroups ?? [this.securityGroup!],
    };
  }

  /** The statements a function's role needs for these options: new ones for each role. */
  public roleStatements(): iam.PolicyStatement[] {
    if (!this.options.vpc) return [];
    return [new iam.PolicyStatement({ actions: VPC_NETWORK_INTERFACE_ACTIONS, resources: ['*'] })];
  }
}

/** What is wrong with the function options, one message per problem, each naming the prop, the value and the rule. */
export function functionOptionProblems(props: HandlerFunctionProps): string[] {
  const problems: string[] = [];
  const memory = props.memorySize;
  if (memory !== undefined && !Token.isUnresolved(memory)
    && (!Number.isInteger(memory) || memory < MIN_MEMORY_SIZE_MB || memory > MAX_MEMORY_SIZE_MB)) {
    problems.push(`memorySize must be a whole number of MB from ${MIN_MEMORY_SIZE_MB} to ${MAX_MEMORY_SIZE_MB.toLocaleString('en-US')} (Lambda's limits), got ${memory}`);
  }
  if (!props.vpc) {
    for (const prop of ['vpcSubnets', 'securityGroups'] as const) {
      if (props[prop] !== undefined) problems.push(`${prop} is given without vpc: it places the functions in a VPC, so give vpc too (or leave ${prop} out)`);
    }
    return problems;
  }
  const groups = props.securityGroups;
  if (groups !== undefined && (groups.length < 1 || groups.length > MAX_FUNCTION_SECURITY_GROUPS)) {
    problems.push(
      `securityGroups must list 1 to ${MAX_FUNCTION_SECURITY_GROUPS} security groups (Lambda's limit per function), got ${groups.length}; `
      + 'leave it out for one that allows outbound HTTPS only',
    );
  }
  return problems;
}
