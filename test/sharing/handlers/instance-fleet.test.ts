/**
 * The fleet-wide handlers with DB instances: the starter (selection, discovery, the instance quota,
 * execution names and inputs), the freshness publisher and the confirmation recorder.
 */
import {
  AddTagsToResourceCommand, DescribeAccountAttributesCommand, DescribeDBClustersCommand, DescribeDBClusterSnapshotsCommand,
  DescribeDBInstancesCommand, DescribeDBSnapshotsCommand, RDSClient,
} from '@aws-sdk/client-rds';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { ACCOUNT, NOW, OWNER_ID, useHandlerEnvironment } from './helpers';
import { dbSnapshot, dbSnapshotArn, DB_SHARED_ID, INSTANCE, mockDbSnapshots } from './instance-helpers';
import { ENV, EVENT_DETAIL_TYPE, EVENT_SOURCE, SOURCE_EVENTS_ENV } from '../../../src/shared/constants';
import { handler as publishFreshness } from '../../../src/sharing/handlers/publish-freshness.lambda';
import { handler as recordCopy } from '../../../src/sharing/handlers/record-copy.lambda';
import { handler as start } from '../../../src/sharing/handlers/start-executions.lambda';

const rdsMock = mockClient(RDSClient);
const sfnMock = mockClient(SFNClient);

useHandlerEnvironment(NOW, {
  [ENV.CLUSTER_IDENTIFIERS]: 'orders-db',
  [ENV.INSTANCE_IDENTIFIERS]: INSTANCE,
  [ENV.INSTANCE_TAG_KEY]: 'share',
  [ENV.INSTANCE_TAG_VALUE]: 'yes',
  [SOURCE_EVENTS_ENV.ACCOUNT_ID]: ACCOUNT,
  AWS_REGION: 'eu-west-1',
});

function quotas(instancesUsed: number, clustersUsed = 0): void {
  rdsMock.on(DescribeAccountAttributesCommand).resolves({
    AccountQuotas: [{ AccountQuotaName: 'ManualClusterSnapshots', Used: clustersUsed, Max: 100 }, { AccountQuotaName: 'ManualSnapshots', Used: instancesUsed, Max: 100 }],
  });
}

beforeEach(() => {
  rdsMock.reset();
  sfnMock.reset();
  quotas(0);
  rdsMock.on(DescribeDBInstancesCommand).resolves({
    DBInstances: [
      { DBInstanceIdentifier: 'Tagged-PG', Engine: 'postgres', TagList: [{ Key: 'share', Value: 'yes' }] },
      { DBInstanceIdentifier: 'untagged-pg', Engine: 'postgres', TagList: [] },
      { DBInstanceIdentifier: 'graph-1', Engine: 'neptune', TagList: [{ Key: 'share', Value: 'yes' }] },
    ],
  });
  rdsMock.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [] });
  rdsMock.on(DescribeDBClusterSnapshotsCommand).resolves({ DBClusterSnapshots: [] });
  sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn', startDate: NOW });
});

describe('the starter with DB instances', () => {
  test('starts one execution per cluster and per instance (explicit and tagged, no Neptune), with the instance input and a -db name', async () => {
    const result = await start({ scheduledTime: NOW.toISOString() });
    expect(rdsMock.commandCalls(DescribeDBInstancesCommand)[0].args[0].input).toEqual({ MaxRecords: 100 });
    const inputs = sfnMock.commandCalls(StartExecutionCommand).map((c) => c.args[0].input).sort((a, b) => a.name!.localeCompare(b.name!));
    expect(inputs.map((i) => [i.name, JSON.parse(i.input!)])).toEqual([
      ['orders-db-202611270300', { clusterIdentifier: 'orders-db', runId: '202611270300' }],
      ['orders-pg-202611270300-db', { instanceIdentifier: 'orders-pg', runId: '202611270300' }],
      ['tagged-pg-202611270300-db', { instanceIdentifier: 'tagged-pg', runId: '202611270300' }],
    ]);
    expect(result.started.sort()).toEqual(['instance:orders-pg', 'instance:tagged-pg', 'orders-db']);
    expect(rdsMock.commandCalls(DescribeDBClustersCommand)).toHaveLength(0);
  });

  test('checks the DB instance snapshot quota apart from the cluster one, and starts nothing when it has no room', async () => {
    quotas(97);
    await expect(start({ scheduledTime: NOW.toISOString() })).rejects.toMatchObject({
      name: 'SnapshotQuotaExceeded',
      message: expect.stringMatching(/manual DB instance snapshot quota has room for 3 more \(97 of 100 used\); this run of 2 DB instances needs up to 4/),
    });
    expect(rdsMock.commandCalls(DescribeDBSnapshotsCommand)[0].args[0].input).toEqual({ SnapshotType: 'manual', MaxRecords: 100 });
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  test('a full cluster quota does not hold the instances back from the check, nor the other way round', async () => {
    quotas(0, 99);
    await expect(start({ scheduledTime: NOW.toISOString() })).rejects.toMatchObject({ message: expect.stringContaining('manual DB cluster snapshot quota') });
  });
});

describe('freshness with DB instances', () => {
  test('publishes each instance as instance:<id>, aged by when its data was taken (OriginalSnapshotCreateTime)', async () => {
    const copyOfOlder = { ...dbSnapshot(DB_SHARED_ID, { created: NOW, owner: { role: 'shared' } }), OriginalSnapshotCreateTime: new Date(NOW.getTime() - 3600_000) };
    rdsMock.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [copyOfOlder] });
    const { clusters } = await publishFreshness();
    expect(clusters).toEqual(expect.arrayContaining([
      { clusterIdentifier: 'instance:orders-pg', newestSnapshotAgeSeconds: 3600, newestSnapshotIdentifier: DB_SHARED_ID },
      expect.objectContaining({ clusterIdentifier: 'orders-db' }),
    ]));
    expect(rdsMock.commandCalls(DescribeDBSnapshotsCommand)[0].args[0].input).toEqual({ Filters: [{ Name: 'snapshot-type', Values: ['manual'] }], MaxRecords: 100 });
  });
});

describe('a confirmation of a DB snapshot', () => {
  const event = (arn: string) => ({
    'source': EVENT_SOURCE,
    'detail-type': EVENT_DETAIL_TYPE.copied,
    'account': '222222222222',
    'detail': { sourceAccount: ACCOUNT, sourceSnapshotArn: arn, clusterIdentifier: INSTANCE, copyArn: 'x', targetAccount: '222222222222' },
  });

  test('is read by DescribeDBSnapshots and recorded on the DB snapshot', async () => {
    mockDbSnapshots(rdsMock, [dbSnapshot(DB_SHARED_ID, { owner: { role: 'shared' } })]);
    rdsMock.on(AddTagsToResourceCommand).resolves({});
    await expect(recordCopy(event(dbSnapshotArn(DB_SHARED_ID)))).resolves.toEqual({ snapshotIdentifier: DB_SHARED_ID, targetAccount: '222222222222', outcome: 'recorded' });
    expect(rdsMock.commandCalls(DescribeDBSnapshotsCommand)[0].args[0].input).toEqual({ DBSnapshotIdentifier: DB_SHARED_ID });
    expect(rdsMock.commandCalls(AddTagsToResourceCommand)[0].args[0].input).toEqual({
      ResourceName: dbSnapshotArn(DB_SHARED_ID), Tags: [{ Key: 'shared-cluster-snapshots:copied-222222222222', Value: NOW.toISOString() }],
    });
  });

  test('one naming a DB snapshot of another owner is refused', async () => {
    mockDbSnapshots(rdsMock, [dbSnapshot(DB_SHARED_ID, { owner: { role: 'shared', ownerId: `${OWNER_ID}-other` } })]);
    await expect(recordCopy(event(dbSnapshotArn(DB_SHARED_ID)))).rejects.toMatchObject({ name: 'ConfirmationRefused' });
  });
});
