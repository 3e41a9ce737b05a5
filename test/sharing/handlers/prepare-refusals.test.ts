/**
 * What RDS would refuse to share is refused by Prepare, by name, before anything is created: TDE
 * and permanent or persistent options of a DB instance's option group, and a Multi-AZ DB cluster
 * whose snapshot would need a copy. Oracle Timezone/OLS is shared, and the plan says what a
 * target's copy needs.
 */
import {
  CreateDBSnapshotCommand, DBCluster, DeleteDBSnapshotCommand, DescribeDBClustersCommand, DescribeDBClusterSnapshotsCommand,
  DescribeDBInstancesCommand, DescribeOptionGroupsCommand, Option, RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { CLUSTER, NOW, OTHER_KEY_ARN, RUN_ID, SHARING_KEY_ARN, useHandlerEnvironment } from './helpers';
import { AWS_RDS_KEY, dbInstance, INSTANCE, instancePlan, mockDbSnapshots } from './instance-helpers';
import { ENV } from '../../../src/shared/constants';
import { handler } from '../../../src/sharing/handlers/prepare.lambda';

const rdsMock = mockClient(RDSClient);
const INSTANCE_EVENT = { input: { instanceIdentifier: INSTANCE, runId: RUN_ID }, executionStartTime: NOW.toISOString() };
const CLUSTER_EVENT = { input: { clusterIdentifier: CLUSTER, runId: RUN_ID }, executionStartTime: NOW.toISOString() };

useHandlerEnvironment(NOW, { [ENV.INSTANCE_IDENTIFIERS]: INSTANCE, [ENV.ADDITIONAL_SHARING_KEY_ARNS]: OTHER_KEY_ARN });

function givenOracle(options: Option[]): void {
  rdsMock.on(DescribeDBInstancesCommand).resolves({
    DBInstances: [dbInstance({ Engine: 'oracle-ee', KmsKeyId: SHARING_KEY_ARN, OptionGroupMemberships: [{ OptionGroupName: 'ledger-options', Status: 'in-sync' }] })],
  });
  rdsMock.on(DescribeOptionGroupsCommand).resolves({ OptionGroupsList: [{ OptionGroupName: 'ledger-options', EngineName: 'oracle-ee', Options: options }] });
}

function givenCluster(cluster: Partial<DBCluster>): void {
  rdsMock.on(DescribeDBClustersCommand).resolves({
    DBClusters: [{ DBClusterIdentifier: CLUSTER, Status: 'available', StorageEncrypted: true, StorageEncryptionType: 'sse-kms', ...cluster }],
  });
}

beforeEach(() => {
  rdsMock.reset();
  mockDbSnapshots(rdsMock, []);
  rdsMock.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [] });
});

describe('a DB instance\'s option group', () => {
  test('is read by DescribeOptionGroups; options that are neither permanent nor persistent are no obstacle', async () => {
    givenOracle([{ OptionName: 'S3_INTEGRATION', Permanent: false, Persistent: false }]);
    await expect(handler(INSTANCE_EVENT)).resolves.toEqual(instancePlan(false));
    expect(rdsMock.commandCalls(DescribeOptionGroupsCommand).map((c) => c.args[0].input)).toEqual([{ OptionGroupName: 'ledger-options' }]);
  });

  test.each<[string, Option[]]>([
    ['Oracle TDE', [{ OptionName: 'TDE', Permanent: true, Persistent: true }]],
    ['SQL Server TDE (persistent only)', [{ OptionName: 'TDE', Permanent: false, Persistent: true }]],
  ])('%s: TdeNotShareable, naming the instance, the option group, why and what to do', async (_, options) => {
    givenOracle(options);
    await expect(handler(INSTANCE_EVENT)).rejects.toMatchObject({
      name: 'TdeNotShareable',
      message: expect.stringMatching(/'orders-pg' uses Transparent Data Encryption \(option TDE in option group 'ledger-options'\): RDS cannot share .*Nothing was created\. Remove the instance/),
    });
    expect(rdsMock.commandCalls(DeleteDBSnapshotCommand)).toHaveLength(0);
    expect(rdsMock.commandCalls(CreateDBSnapshotCommand)).toHaveLength(0);
  });

  test('other permanent or persistent options: OptionsNotShareable, naming each', async () => {
    givenOracle([{ OptionName: 'Timezone', Permanent: true, Persistent: true }, { OptionName: 'XYZ', Permanent: true }, { OptionName: 'ABC', Persistent: true }]);
    await expect(handler(INSTANCE_EVENT)).rejects.toMatchObject({
      name: 'OptionsNotShareable',
      message: expect.stringMatching(/option group 'ledger-options' with permanent or persistent options \(XYZ, ABC\): RDS cannot share .*only Oracle Timezone and OLS/),
    });
  });

  test('Oracle Timezone and OLS are shared; the plan names the group and the options a target\'s copy needs', async () => {
    givenOracle([{ OptionName: 'Timezone', Permanent: true, Persistent: true }, { OptionName: 'OLS', Permanent: true, Persistent: true }]);
    await expect(handler(INSTANCE_EVENT)).resolves.toEqual({ ...instancePlan(false), optionGroupName: 'ledger-options', requiredOptions: ['OLS', 'Timezone'] });
  });

  test('is checked before the instance\'s availability: a refusal is never retried as "not available"', async () => {
    givenOracle([{ OptionName: 'TDE', Permanent: true, Persistent: true }]);
    rdsMock.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [dbInstance({ DBInstanceStatus: 'backing-up', OptionGroupMemberships: [{ OptionGroupName: 'ledger-options' }] })],
    });
    await expect(handler(INSTANCE_EVENT)).rejects.toMatchObject({ name: 'TdeNotShareable' });
  });
});

describe('a Multi-AZ DB cluster', () => {
  test.each<[string, Partial<DBCluster>, string]>([
    ['on the aws/rds key', { Engine: 'postgres', KmsKeyId: AWS_RDS_KEY }, `the KMS key ${AWS_RDS_KEY}`],
    ['on an AWS-owned key', { Engine: 'mysql', StorageEncrypted: false, StorageEncryptionType: 'sse-rds' }, 'an AWS-owned key'],
  ])('%s: MultiAzClusterNotShareable, explaining the options, before anything is created', async (_, cluster, key) => {
    givenCluster(cluster);
    await expect(handler(CLUSTER_EVENT)).rejects.toMatchObject({
      name: 'MultiAzClusterNotShareable',
      message: expect.stringContaining(`'orders-db' is a Multi-AZ DB cluster (engine ${cluster.Engine}) encrypted with ${key}`),
    });
    expect(rdsMock.commandCalls(DescribeDBClusterSnapshotsCommand)).toHaveLength(0);
  });

  test.each<[string, string]>([['the sharing key', SHARING_KEY_ARN], ['a key declared in additionalSharingKeys', OTHER_KEY_ARN]])(
    'on %s: shared as it is, no copy', async (_, key) => {
      givenCluster({ Engine: 'postgres', KmsKeyId: key });
      await expect(handler(CLUSTER_EVENT)).resolves.toMatchObject({ copyRequired: false, temporarySnapshotIdentifier: undefined });
    });

  test('unencrypted, without allowUnencrypted: UnencryptedCluster, as any cluster', async () => {
    givenCluster({ Engine: 'postgres', StorageEncrypted: false, StorageEncryptionType: 'none' });
    await expect(handler(CLUSTER_EVENT)).rejects.toMatchObject({ name: 'UnencryptedCluster' });
  });
});

test('an Aurora cluster or a DB instance on a declared additional key is shared without a copy too', async () => {
  givenCluster({ Engine: 'aurora-postgresql', KmsKeyId: OTHER_KEY_ARN });
  await expect(handler(CLUSTER_EVENT)).resolves.toMatchObject({ copyRequired: false });
  rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [dbInstance({ KmsKeyId: OTHER_KEY_ARN })] });
  rdsMock.on(DescribeOptionGroupsCommand).resolves({ OptionGroupsList: [{ OptionGroupName: 'default:postgres-16', Options: [] }] });
  await expect(handler(INSTANCE_EVENT)).resolves.toEqual(instancePlan(false));
});
