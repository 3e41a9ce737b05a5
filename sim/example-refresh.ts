import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as rds from 'aws-cdk-lib/aws-rds';
import { REGION } from './aws-env';
import type { Simulation } from './simulation';
import { PostRestoreStep, ReceivedClusterSnapshots, ReceivedClusterSnapshotsProps, RefreshedDatabase, RefreshedDatabaseProps } from '../src';
import {
  ENV, TARGET_ENV, TARGET_TAG_OWNER, TARGET_TAG_SOURCE_ACCOUNT, TARGET_TAG_SOURCE_CLUSTER, TARGET_TAG_SOURCE_SNAPSHOT,
  TARGET_TAG_SOURCE_SNAPSHOT_TIME,
} from '../src/shared/constants';
import { runIdFromTime, snapshotIdentifier } from '../src/shared/naming.lambda-shared';

/** The owner id of the example source (sim/example-stack.ts: stack SharedSnapshotsExample, construct Snapshots). */
const EXAMPLE_SOURCE_OWNER_ID = 'SharedSnapshotsExample/Snapshots';

type CfnTemplate = { Resources: Record<string, any> };

/** The construct id of the user's post-restore function in the example (its logical ids start with it). */
export const POST_RESTORE_FUNCTION_ID = 'Sanitize';

export interface RefreshExample {
  /** The receiver's props besides `sourceAccountIds`. */
  readonly receiver?: Partial<ReceivedClusterSnapshotsProps>;
  /** The refresh's props besides the source, network and `sourceClusterIdentifier`. */
  readonly refresh?: Partial<RefreshedDatabaseProps>;
  /** Give the refresh a post-restore Lambda function (its code is the simulation's `userFunctions`). */
  readonly postRestore?: boolean;
  /** Run the refresh's functions in the VPC (a restore test's built-in check then connects to the database). */
  readonly functionsInVpc?: boolean;
}

/**
 * Synthesizes a target account's stack: a VPC with isolated subnets, a ReceivedClusterSnapshots of
 * `sourceAccount`, and a RefreshedDatabase `orders-staging` of `orders-db` fed by it.
 */
export function synthesizeRefreshTemplate(account: string, sourceAccount: string, example: RefreshExample = {}, stackName = 'RefreshedDatabaseExample'): CfnTemplate {
  const stack = new Stack(new App(), stackName, { env: { account, region: REGION } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const received = new ReceivedClusterSnapshots(stack, 'Received', { sourceAccountIds: [sourceAccount], ...example.receiver });
  const postRestore = example.postRestore ? PostRestoreStep.fromFunction(new lambda.Function(stack, POST_RESTORE_FUNCTION_ID, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({});'),
  })) : undefined;
  new RefreshedDatabase(stack, 'Staging', {
    source: received,
    sourceClusterIdentifier: 'orders-db',
    databaseIdentifier: 'orders-staging',
    subnetGroup: new rds.SubnetGroup(stack, 'Subnets', { vpc, description: 'orders-staging', vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }),
    databaseSecurityGroups: [new ec2.SecurityGroup(stack, 'DatabaseGroup', { vpc, description: 'orders-staging clients' })],
    postRestore,
    ...(example.functionsInVpc ? { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } } : {}),
    ...example.refresh,
  });
  return Template.fromStack(stack).toJSON() as CfnTemplate;
}

/**
 * Puts the receiver's copy of `sourceAccount`'s snapshot of `cluster` taken at `takenAt` in place,
 * available, named and tagged as the receiver of the simulated template names and tags its copies.
 * Returns its identifier.
 */
export function seedReceiverCopy(sim: Simulation, sourceAccount: string, takenAt: number, cluster = 'orders-db'): string {
  const receiver = [...sim.functionsByArn.values()].find((f) => TARGET_ENV.COPY_PREFIX in f.environment)!.environment[ENV.OWNER_ID];
  const sourceId = snapshotIdentifier({ prefix: 'shared', ownerId: EXAMPLE_SOURCE_OWNER_ID }, cluster, runIdFromTime(new Date(takenAt)), 'shared');
  const id = `received-${sourceId}`;
  sim.rds.addForeignSnapshot(id, cluster, {
    [TARGET_TAG_OWNER]: receiver,
    [TARGET_TAG_SOURCE_ACCOUNT]: sourceAccount,
    [TARGET_TAG_SOURCE_CLUSTER]: cluster,
    [TARGET_TAG_SOURCE_SNAPSHOT]: `arn:aws:rds:${REGION}:${sourceAccount}:cluster-snapshot:${sourceId}`,
    [TARGET_TAG_SOURCE_SNAPSHOT_TIME]: new Date(takenAt).toISOString(),
  });
  return id;
}
