import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import { ReceivedClusterSnapshots, RefreshedDatabase, RefreshedDatabaseProps } from '../../src';

/*
 * The stacks the refresh's construct tests build: a target account with a receiver and a refreshed
 * database fed by it, in a VPC of its own.
 */

export const TARGET = '222222222222';
export const SOURCE = '111111111111';
export const REGION = 'eu-west-1';
export const DATABASE = 'orders-staging';

export interface RefreshStack {
  readonly stack: Stack;
  readonly received: ReceivedClusterSnapshots;
  readonly refreshed: RefreshedDatabase;
  readonly vpc: ec2.Vpc;
}

/** A stack with a receiver and a RefreshedDatabase of `orders-db`; `props` override the refresh's. */
export function refreshStack(
  props: Partial<RefreshedDatabaseProps> = {},
  env: { account?: string; region?: string } | false = {},
  more?: (stack: Stack, vpc: ec2.IVpc) => Partial<RefreshedDatabaseProps>,
): RefreshStack {
  const stack = new Stack(new App(), 'Refresh', env === false ? {} : { env: { account: env.account ?? TARGET, region: env.region ?? REGION } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const received = new ReceivedClusterSnapshots(stack, 'Received', { sourceAccountIds: [SOURCE] });
  const refreshed = new RefreshedDatabase(stack, 'Staging', {
    source: received,
    sourceClusterIdentifier: 'orders-db',
    databaseIdentifier: DATABASE,
    subnetGroup: new rds.SubnetGroup(stack, 'Subnets', { vpc, description: 'orders-staging', vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }),
    databaseSecurityGroups: [new ec2.SecurityGroup(stack, 'DatabaseGroup', { vpc })],
    ...props,
    ...more?.(stack, vpc),
  });
  return { stack, received, refreshed, vpc };
}

/** A post-restore function of the user's. */
export function userFunction(stack: Stack, id = 'Sanitize'): lambda.Function {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({});'),
  });
}
