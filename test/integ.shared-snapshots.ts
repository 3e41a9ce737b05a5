/**
 * Integration test for a real account (see CONTRIBUTING.md): deploys a small Aurora Serverless v2
 * cluster and the construct, starts one execution, and asserts with AWS API calls that the shared
 * snapshot exists, is encrypted with the sharing key and is shared with the target account.
 *
 * The build only checks this app's snapshot (`npx projen integ`, offline); nothing is deployed
 * unless you run `npx projen integ:deploy` with credentials.
 *
 * TARGET_ACCOUNT_ID (required to deploy): the account to share with, a second account you own. KMS
 * rejects a key policy that names an account that does not exist, so no dummy id can deploy.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import { SharedClusterSnapshots } from '../src';

/**
 * integ-runner synthesizes the snapshot it compares or writes with CDK_INTEG_ACCOUNT set to this
 * fixed dummy account (its DEFAULT_SYNTH_OPTIONS), and deploys without it.
 */
const INTEG_RUNNER_SNAPSHOT_ACCOUNT = '12345678';
/** The target in the committed snapshot only: it keeps the snapshot free of real account ids. It cannot deploy. */
const SNAPSHOT_PLACEHOLDER_TARGET = '000000000000';

function targetAccount(): string {
  if (process.env.CDK_INTEG_ACCOUNT === INTEG_RUNNER_SNAPSHOT_ACCOUNT) return SNAPSHOT_PLACEHOLDER_TARGET;
  const target = process.env.TARGET_ACCOUNT_ID;
  if (!target) {
    throw new Error('TARGET_ACCOUNT_ID is not set. The integration test shares its snapshot with that account, and KMS rejects a key '
      + 'policy naming an account that does not exist (MalformedPolicyDocumentException), so there is no default: set it to a second '
      + 'AWS account you own, not the deploying one, e.g. TARGET_ACCOUNT_ID=222222222222 npx projen integ:deploy (see CONTRIBUTING.md). '
      + 'The offline snapshot check, npx projen integ, needs no account.');
  }
  return target;
}

const targetAccountId = targetAccount();

const app = new App();
const stack = new Stack(app, 'SharedClusterSnapshotsInteg');

// The smallest cluster that behaves like a real one: Aurora PostgreSQL Serverless v2 at 0.5 ACU, in
// isolated subnets (no NAT gateway), encrypted with the AWS-managed aws/rds key, which cannot be
// shared: the run has to copy the snapshot to the sharing key.
const vpc = new ec2.Vpc(stack, 'Vpc', {
  maxAzs: 2,
  natGateways: 0,
  subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
});
const cluster = new rds.DatabaseCluster(stack, 'Cluster', {
  engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_6 }),
  writer: rds.ClusterInstance.serverlessV2('Writer'),
  serverlessV2MinCapacity: 0.5,
  serverlessV2MaxCapacity: 1,
  vpc,
  vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
  storageEncrypted: true,
  deletionProtection: false,
  removalPolicy: RemovalPolicy.DESTROY,
});

const snapshots = new SharedClusterSnapshots(stack, 'Snapshots', {
  clusterIdentifiers: [cluster.clusterIdentifier],
  targetAccountIds: [targetAccountId],
  waitInterval: Duration.seconds(30),
  snapshotTimeout: Duration.minutes(45),
});

const integ = new IntegTest(app, 'SharedClusterSnapshotsTest', {
  testCases: [stack],
  // Asset bodies (the bundled handlers) are not part of the committed snapshot.
  diffAssets: false,
  // Each run deploys from scratch; the committed snapshot has no assets to deploy from.
  stackUpdateWorkflow: false,
});

// 1. One execution for the cluster, started by hand as in the README's "Operating it".
const start = integ.assertions.awsApiCall('StepFunctions', 'startExecution', {
  stateMachineArn: snapshots.stateMachine.stateMachineArn,
  input: stack.toJsonString({ clusterIdentifier: cluster.clusterIdentifier }),
});

// 2. It succeeds: snapshot, copy to the sharing key, share, clean up. A new, empty cluster takes
//    minutes; the wait stays under CloudFormation's one-hour limit for a custom resource.
const execution = integ.assertions
  .awsApiCall('StepFunctions', 'describeExecution', { executionArn: start.getAttString('executionArn') })
  .expect(ExpectedResult.objectLike({ status: 'SUCCEEDED' }))
  .waitForAssertions({ totalTimeout: Duration.minutes(55), interval: Duration.minutes(1) });

// 3. Exactly one manual snapshot of the cluster is left: the shared one, encrypted with the sharing
//    key (the temporary snapshot on the aws/rds key was deleted).
const described = integ.assertions.awsApiCall('RDS', 'describeDBClusterSnapshots', {
  DBClusterIdentifier: cluster.clusterIdentifier,
  SnapshotType: 'manual',
});
described.expect(ExpectedResult.objectLike({
  DBClusterSnapshots: [
    Match.objectLike({
      Status: 'available',
      StorageEncrypted: true,
      KmsKeyId: snapshots.encryptionKey.keyArn,
      TagList: Match.arrayWith([{ Key: 'shared-cluster-snapshots:owner', Value: snapshots.ownerId }]),
    }),
  ],
}));
// Reading an attribute flattens the response, which `expect` cannot match against, so the same
// lookup runs again for the identifier (MaxRecords only makes it a distinct call).
const lookup = integ.assertions.awsApiCall('RDS', 'describeDBClusterSnapshots', {
  DBClusterIdentifier: cluster.clusterIdentifier,
  SnapshotType: 'manual',
  MaxRecords: 20,
});
const sharedSnapshotId = lookup.getAttString('DBClusterSnapshots.0.DBClusterSnapshotIdentifier');

// 4. Its restore attribute holds the target account, and only it.
const attributes = integ.assertions.awsApiCall('RDS', 'describeDBClusterSnapshotAttributes', {
  DBClusterSnapshotIdentifier: sharedSnapshotId,
});
attributes.expect(ExpectedResult.objectLike({
  DBClusterSnapshotAttributesResult: {
    DBClusterSnapshotIdentifier: sharedSnapshotId,
    DBClusterSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: [targetAccountId] }],
  },
}));

// 5. Tidy up what outlives the stack: the shared snapshot (the construct never deletes it on stack
//    deletion) and the sharing key (retained by design; scheduled for deletion after 7 days).
const deleteSnapshot = integ.assertions.awsApiCall('RDS', 'deleteDBClusterSnapshot', {
  DBClusterSnapshotIdentifier: sharedSnapshotId,
});
const deleteKey = integ.assertions.awsApiCall('KMS', 'scheduleKeyDeletion', {
  KeyId: snapshots.encryptionKey.keyId,
  PendingWindowInDays: 7,
});

// In this order; each call starts when the one before it has succeeded.
start.next(execution).next(described).next(lookup).next(attributes).next(deleteSnapshot).next(deleteKey);
