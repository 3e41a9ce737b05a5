import {
  DeleteDBSnapshotCommand, DescribeDBClustersCommand, DescribeDBInstancesCommand, DescribeDBSnapshotsCommand, DescribeOptionGroupsCommand, RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError, NOW, RUN_ID, SHARING_KEY_ARN, useHandlerEnvironment } from './helpers';
import { dbInstance, dbSnapshot, DB_SHARED_ID, DB_TEMP_ID, INSTANCE, instancePlan, mockDbSnapshots } from './instance-helpers';
import { ENV } from '../../../src/shared/constants';
import { handler } from '../../../src/sharing/handlers/prepare.lambda';

const rdsMock = mockClient(RDSClient);
const EVENT = { input: { instanceIdentifier: INSTANCE, runId: RUN_ID }, executionStartTime: NOW.toISOString() };

useHandlerEnvironment(NOW, { [ENV.INSTANCE_IDENTIFIERS]: INSTANCE });

function givenInstance(overrides: Parameters<typeof dbInstance>[0] = {}): void {
  rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [dbInstance(overrides)] });
}

beforeEach(() => {
  rdsMock.reset();
  givenInstance();
  mockDbSnapshots(rdsMock, []);
  rdsMock.on(DeleteDBSnapshotCommand).resolves({});
  rdsMock.on(DescribeOptionGroupsCommand).resolves({ OptionGroupsList: [{ OptionGroupName: 'default:postgres-16', EngineName: 'postgres', Options: [] }] });
});

describe('Prepare for a DB instance', () => {
  test('reads the instance and its own DB snapshots by the instance APIs, and plans a run of kind instance', async () => {
    await expect(handler(EVENT)).resolves.toEqual(instancePlan(true));
    expect(rdsMock.commandCalls(DescribeDBInstancesCommand)[0].args[0].input).toEqual({ DBInstanceIdentifier: INSTANCE });
    expect(rdsMock.commandCalls(DescribeDBSnapshotsCommand)[0].args[0].input).toEqual({
      Filters: [{ Name: 'db-instance-id', Values: [INSTANCE] }, { Name: 'snapshot-type', Values: ['manual'] }],
      MaxRecords: 100,
    });
    expect(rdsMock.commandCalls(DescribeDBClustersCommand)).toHaveLength(0);
  });

  test.each<[string, Parameters<typeof dbInstance>[0], Record<string, string>, boolean]>([
    ['on the aws/rds key: copied with the sharing key', {}, {}, true],
    ['on the sharing key: shared as it is', { KmsKeyId: SHARING_KEY_ARN }, {}, false],
    ['on an AWS-owned key (sse-rds): copied', { StorageEncrypted: false, StorageEncryptionType: 'sse-rds', KmsKeyId: undefined }, {}, true],
    ['unencrypted: copied, which encrypts it (a DB snapshot copy may)', { StorageEncrypted: false, StorageEncryptionType: 'none', KmsKeyId: undefined }, {}, true],
    ['unencrypted with allowUnencrypted: shared as it is', { StorageEncrypted: false, StorageEncryptionType: 'none', KmsKeyId: undefined },
      { [ENV.ALLOW_UNENCRYPTED]: 'true' }, false],
  ])('an instance %s', async (_, instance, env, copyRequired) => {
    Object.assign(process.env, env);
    givenInstance(instance);
    await expect(handler(EVENT)).resolves.toEqual(instancePlan(copyRequired));
  });

  test('an instance found by its tag is selected', async () => {
    process.env[ENV.INSTANCE_IDENTIFIERS] = '';
    process.env[ENV.INSTANCE_TAG_KEY] = 'share';
    process.env[ENV.INSTANCE_TAG_VALUE] = 'yes';
    givenInstance({ TagList: [{ Key: 'share', Value: 'yes' }] });
    await expect(handler(EVENT)).resolves.toEqual(instancePlan(true));
  });

  test('deletes a stale temporary DB snapshot of a dead run, by DeleteDBSnapshot', async () => {
    const stale = dbSnapshot(`shared-${INSTANCE}-202611260300-u66vbj-tmp`, { owner: { role: 'temporary', runId: '202611260300' } });
    mockDbSnapshots(rdsMock, [stale]);
    await handler(EVENT);
    expect(rdsMock.commandCalls(DeleteDBSnapshotCommand).map((c) => c.args[0].input)).toEqual([{ DBSnapshotIdentifier: stale.DBSnapshotIdentifier }]);
  });

  describe('refusals, each named and naming the instance, before anything is created', () => {
    test.each<[string, () => void, string, RegExp]>([
      ['an instance that does not exist', () => rdsMock.on(DescribeDBInstancesCommand).rejects(awsError('DBInstanceNotFoundFault')),
        'InstanceNotFound', /DB instance 'orders-pg' does not exist/],
      ['an Aurora member', () => givenInstance({ DBClusterIdentifier: 'orders-db', Engine: 'aurora-postgresql' }),
        'InstanceIsClusterMember', /'orders-pg' is a member of DB cluster 'orders-db'.*Select the cluster/],
      ['a read replica', () => givenInstance({ ReadReplicaSourceDBInstanceIdentifier: 'orders-primary' }),
        'InstanceIsReadReplica', /'orders-pg' is a read replica of 'orders-primary': select the source instance/],
      ['an instance not available', () => givenInstance({ DBInstanceStatus: 'backing-up' }),
        'InstanceNotAvailable', /'orders-pg' is 'backing-up', not 'available'/],
      ['an instance neither listed nor tagged', () => { process.env[ENV.INSTANCE_IDENTIFIERS] = 'other-pg'; },
        'InstanceNotConfigured', /'orders-pg' is not one of the configured instanceIdentifiers/],
    ])('%s', async (_, arrange, name, message) => {
      arrange();
      await expect(handler(EVENT)).rejects.toMatchObject({ name, message: expect.stringMatching(message) });
      expect(rdsMock.commandCalls(DeleteDBSnapshotCommand)).toHaveLength(0);
    });
  });

  test.each<[string, object]>([
    ['both identifiers', { clusterIdentifier: 'orders-db', instanceIdentifier: INSTANCE }],
    ['neither identifier', { runId: RUN_ID }],
    ['an invalid instance identifier', { instanceIdentifier: '1-bad' }],
  ])('an execution input with %s is InvalidInput', async (_, input) => {
    await expect(handler({ input, executionStartTime: NOW.toISOString() } as any)).rejects.toMatchObject({ name: 'InvalidInput' });
    expect(rdsMock.calls()).toHaveLength(0);
  });

  test('a run in progress of the instance blocks a second one', async () => {
    mockDbSnapshots(rdsMock, [dbSnapshot(DB_TEMP_ID.replace(RUN_ID, '202611270200'), { status: 'creating', created: NOW, owner: { role: 'temporary', runId: '202611270200' } })]);
    await expect(handler(EVENT)).rejects.toMatchObject({ name: 'RunInProgress' });
    expect(DB_SHARED_ID).toContain(INSTANCE);
  });
});
