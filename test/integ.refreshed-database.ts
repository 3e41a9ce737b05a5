/**
 * Integration test for a real account (see CONTRIBUTING.md): one account plays the target. It
 * deploys a small Aurora Serverless v2 cluster on its own KMS key and a RefreshedDatabase fed by
 * "copies" of that cluster: a snapshot the test takes with a receiver's name and tags (what
 * `ReceivedClusterSnapshots` would make from a share), named through
 * `OwnedClusterSnapshotCopies.fromAttributes`. It starts one refresh and asserts with AWS API calls
 * that the stable identifier serves an available database restored from that copy, with a master
 * secret of its own; then it deletes what the refresh and the test made.
 *
 * The build only checks this app's snapshot (`npx projen integ`, offline); nothing is deployed
 * unless you run `npx projen integ:deploy` with credentials. No second account is needed.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import { OwnedClusterSnapshotCopies, RefreshedDatabase } from '../src';
import {
  TARGET_TAG_OWNER, TARGET_TAG_SOURCE_ACCOUNT, TARGET_TAG_SOURCE_CLUSTER, TARGET_TAG_SOURCE_SNAPSHOT, TARGET_TAG_SOURCE_SNAPSHOT_TIME,
} from '../src/shared/constants';

const COPY_PREFIX = 'integ-copies';
const COPY_OWNER = 'integ-refresh-copies';
const SOURCE_CLUSTER = 'integ-orders-db';
const DATABASE = 'integ-orders-staging';
const COPY_ID = `${COPY_PREFIX}-${SOURCE_CLUSTER}-1`;

const app = new App();
const stack = new Stack(app, 'RefreshedDatabaseInteg');

// Aurora PostgreSQL Serverless v2 at 0.5 ACU in isolated subnets, on a key of the stack's: the
// copies' key, which the refresh restores with (as a receiver's copies are on the receiver's key).
const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
const key = new kms.Key(stack, 'CopyKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY, pendingWindow: Duration.days(7) });
const cluster = new rds.DatabaseCluster(stack, 'Cluster', {
  clusterIdentifier: SOURCE_CLUSTER,
  engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_6 }),
  writer: rds.ClusterInstance.serverlessV2('Writer'),
  serverlessV2MinCapacity: 0.5,
  serverlessV2MaxCapacity: 1,
  vpc,
  vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
  storageEncryptionKey: key,
  deletionProtection: false,
  removalPolicy: RemovalPolicy.DESTROY,
});

const refreshed = new RefreshedDatabase(stack, 'Staging', {
  source: OwnedClusterSnapshotCopies.fromAttributes({ copyPrefix: COPY_PREFIX, ownerId: COPY_OWNER, encryptionKey: key }),
  sourceClusterIdentifier: SOURCE_CLUSTER,
  databaseIdentifier: DATABASE,
  subnetGroup: new rds.SubnetGroup(stack, 'Subnets', { vpc, description: DATABASE, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, removalPolicy: RemovalPolicy.DESTROY }),
  databaseSecurityGroups: [new ec2.SecurityGroup(stack, 'DatabaseGroup', { vpc, description: `${DATABASE} clients` })],
  serverlessV2: { minCapacity: 0.5, maxCapacity: 1 },
  // The test deletes the refreshed database itself at the end.
  deletionProtection: false,
  waitInterval: Duration.seconds(30),
  restoreTimeout: Duration.minutes(50),
});

const integ = new IntegTest(app, 'RefreshedDatabaseTest', {
  testCases: [stack],
  // Asset bodies (the bundled handlers) are not part of the committed snapshot.
  diffAssets: false,
  // Each run deploys from scratch; the committed snapshot has no assets to deploy from.
  stackUpdateWorkflow: false,
});

// 1. The "copy": a snapshot of the cluster with the receiver's name and tags.
const copySnapshotArn = stack.formatArn({ service: 'rds', resource: 'cluster-snapshot', resourceName: COPY_ID, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
const takeCopy = integ.assertions.awsApiCall('RDS', 'createDBClusterSnapshot', {
  DBClusterIdentifier: cluster.clusterIdentifier,
  DBClusterSnapshotIdentifier: COPY_ID,
  Tags: [
    { Key: TARGET_TAG_OWNER, Value: COPY_OWNER },
    { Key: TARGET_TAG_SOURCE_ACCOUNT, Value: stack.account },
    { Key: TARGET_TAG_SOURCE_CLUSTER, Value: SOURCE_CLUSTER },
    { Key: TARGET_TAG_SOURCE_SNAPSHOT, Value: copySnapshotArn },
    { Key: TARGET_TAG_SOURCE_SNAPSHOT_TIME, Value: '2026-01-01T00:00:00.000Z' },
  ],
});
const copyAvailable = integ.assertions
  .awsApiCall('RDS', 'describeDBClusterSnapshots', { DBClusterSnapshotIdentifier: COPY_ID })
  .expect(ExpectedResult.objectLike({ DBClusterSnapshots: [Match.objectLike({ Status: 'available' })] }))
  .waitForAssertions({ totalTimeout: Duration.minutes(30), interval: Duration.minutes(1) });

// 2. One refresh, started by hand as the README's "refresh now" does: restore, instance, password, swap.
const start = integ.assertions.awsApiCall('StepFunctions', 'startExecution', { stateMachineArn: refreshed.stateMachine.stateMachineArn, input: '{}' });
const succeeded = integ.assertions
  .awsApiCall('StepFunctions', 'describeExecution', { executionArn: start.getAttString('executionArn') })
  .expect(ExpectedResult.objectLike({ status: 'SUCCEEDED' }))
  .waitForAssertions({ totalTimeout: Duration.minutes(55), interval: Duration.minutes(1) });

// 3. The stable identifier serves the restored copy, available, with RDS's own master secret and the refresh's tags.
const serving = integ.assertions.awsApiCall('RDS', 'describeDBClusters', { DBClusterIdentifier: DATABASE });
serving.expect(ExpectedResult.objectLike({
  DBClusters: [Match.objectLike({
    Status: 'available',
    MasterUserSecret: Match.objectLike({ SecretStatus: 'active' }),
    TagList: Match.arrayWith([
      { Key: 'refreshed-database:owner', Value: refreshed.ownerId },
      { Key: 'refreshed-database:role', Value: 'serving' },
      { Key: 'refreshed-database:source-snapshot-arn', Value: copySnapshotArn },
    ]),
  })],
}));

// 4. Tidy up what outlives the stack: the refreshed database (its instance first) and the copy.
const instanceOf = integ.assertions.awsApiCall('RDS', 'describeDBClusters', { DBClusterIdentifier: DATABASE, MaxRecords: 20 });
const deleteInstance = integ.assertions.awsApiCall('RDS', 'deleteDBInstance', {
  DBInstanceIdentifier: instanceOf.getAttString('DBClusters.0.DBClusterMembers.0.DBInstanceIdentifier'),
  SkipFinalSnapshot: true,
});
const deleteDatabase = integ.assertions.awsApiCall('RDS', 'deleteDBCluster', { DBClusterIdentifier: DATABASE, SkipFinalSnapshot: true })
  .waitForAssertions({ totalTimeout: Duration.minutes(30), interval: Duration.minutes(1) });
const deleteCopy = integ.assertions.awsApiCall('RDS', 'deleteDBClusterSnapshot', { DBClusterSnapshotIdentifier: COPY_ID });

// In this order; each call starts when the one before it has succeeded.
takeCopy.next(copyAvailable).next(start).next(succeeded).next(serving).next(instanceOf).next(deleteInstance).next(deleteDatabase).next(deleteCopy);
