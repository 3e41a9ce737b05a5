/**
 * `snapshotSource: newestAutomatedSnapshot(maxAge)`: Prepare picks the instance's newest available
 * automated snapshot within maxAge, CopySnapshot copies it straight to the shared snapshot, and the
 * run result says which source was used and its time.
 */
import { CopyDBSnapshotCommand, DBSnapshot, DescribeDBInstancesCommand, DescribeDBSnapshotsCommand, DescribeOptionGroupsCommand, RDSClient } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { DEADLINE, NOW, OWNER_ID, RUN_ID, SHARING_KEY_ARN, TARGET_ACCOUNT_IDS, useHandlerEnvironment } from './helpers';
import { dbInstance, dbSnapshot, dbSnapshotArn, DB_SHARED_ID, DB_TEMP_ID, INSTANCE, instancePlan, mockDbRestore } from './instance-helpers';
import { ENV } from '../../../src/shared/constants';
import { handler as cleanUp } from '../../../src/sharing/handlers/clean-up.lambda';
import { handler as copySnapshot } from '../../../src/sharing/handlers/copy-snapshot.lambda';
import { handler as prepare } from '../../../src/sharing/handlers/prepare.lambda';
import { ownershipTags } from '../../../src/sharing/handlers/tags.lambda-shared';
import type { RunPlan } from '../../../src/sharing/handlers/workflow-state.lambda-shared';

const rdsMock = mockClient(RDSClient);
const HOUR = 3600_000;
const EVENT = { input: { instanceIdentifier: INSTANCE, runId: RUN_ID }, executionStartTime: NOW.toISOString() };

useHandlerEnvironment(NOW, { [ENV.INSTANCE_IDENTIFIERS]: INSTANCE, [ENV.AUTOMATED_SNAPSHOT_MAX_AGE_SECONDS]: String(6 * 3600), [ENV.MAX_CONCURRENT_INSTANCE_COPIES]: '20' });

function automated(hoursAgo: number, status = 'available'): DBSnapshot {
  const taken = new Date(NOW.getTime() - hoursAgo * HOUR);
  const id = `rds:${INSTANCE}-${taken.toISOString().slice(0, 16).replace(/[T:]/g, '-')}`;
  return { ...dbSnapshot(id, { status, created: taken }), SnapshotType: 'automated', TagList: [] };
}

/** Answers listings: automated ones by type, none manual (no earlier runs, no copies in progress). */
function givenAutomated(snapshots: DBSnapshot[]): void {
  rdsMock.on(DescribeDBSnapshotsCommand).callsFake((input) => ({ DBSnapshots: input.SnapshotType === 'automated' ? snapshots : [] }));
}

beforeEach(() => {
  rdsMock.reset();
  rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [dbInstance()] });
  rdsMock.on(DescribeOptionGroupsCommand).resolves({ OptionGroupsList: [{ OptionGroupName: 'default:postgres-16', Options: [] }] });
  rdsMock.on(CopyDBSnapshotCommand).resolves({});
});

describe('Prepare with snapshotSource automated', () => {
  test('plans a copy of the newest available automated snapshot within maxAge, with no temporary snapshot', async () => {
    const newest = automated(2);
    givenAutomated([automated(26), newest, automated(1, 'creating')]);
    await expect(prepare(EVENT)).resolves.toEqual({
      ...instancePlan(false),
      copyRequired: true,
      sourceSnapshotIdentifier: newest.DBSnapshotIdentifier,
      sourceSnapshotTime: newest.SnapshotCreateTime!.toISOString(),
      copyDeadline: DEADLINE,
    });
    expect(rdsMock.commandCalls(DescribeDBSnapshotsCommand).map((c) => c.args[0].input)).toContainEqual({
      DBInstanceIdentifier: INSTANCE, SnapshotType: 'automated', MaxRecords: 100,
    });
  });

  test('an instance on the sharing key is copied too: an automated snapshot cannot be shared itself', async () => {
    rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [dbInstance({ KmsKeyId: SHARING_KEY_ARN })] });
    givenAutomated([automated(2)]);
    await expect(prepare(EVENT)).resolves.toMatchObject({ copyRequired: true, temporarySnapshotIdentifier: undefined });
  });

  test.each<[string, DBSnapshot[]]>([
    ['none is young enough', [automated(7), automated(30)]],
    ['automated backups are off', []],
  ])('when %s, a new snapshot as usual', async (_, snapshots) => {
    givenAutomated(snapshots);
    await expect(prepare(EVENT)).resolves.toEqual(instancePlan(true));
  });
});

describe('CopySnapshot from an automated snapshot', () => {
  const source = automated(2);
  const plan: RunPlan = {
    ...instancePlan(false),
    copyRequired: true,
    sourceSnapshotIdentifier: source.DBSnapshotIdentifier,
    sourceSnapshotTime: source.SnapshotCreateTime!.toISOString(),
    copyDeadline: DEADLINE,
  };

  test('copies it straight to the shared snapshot with the sharing key, tagged as this run\'s', async () => {
    givenAutomated([]);
    const { copyDeadline: _, ...rest } = plan;
    await expect(copySnapshot(plan)).resolves.toEqual({ ...rest, awaitingSnapshotIdentifier: DB_SHARED_ID, deadline: DEADLINE });
    expect(rdsMock.commandCalls(CopyDBSnapshotCommand).map((c) => c.args[0].input)).toEqual([{
      SourceDBSnapshotIdentifier: source.DBSnapshotIdentifier,
      TargetDBSnapshotIdentifier: DB_SHARED_ID,
      KmsKeyId: SHARING_KEY_ARN,
      CopyTags: false,
      Tags: ownershipTags({ ownerId: OWNER_ID, clusterIdentifier: INSTANCE, role: 'shared', runId: RUN_ID }),
    }]);
  });

  test.each<[string, Partial<RunPlan>]>([
    ['another instance\'s automated snapshot', { sourceSnapshotIdentifier: 'rds:billing-pg-2026-11-27-01-00' }],
    ['a manual snapshot', { sourceSnapshotIdentifier: 'someones-snapshot' }],
    ['a cluster run', { databaseKind: undefined, clusterIdentifier: INSTANCE }],
    ['a temporary snapshot beside it', { temporarySnapshotIdentifier: DB_TEMP_ID }],
    ['no source time', { sourceSnapshotTime: undefined }],
  ])('a plan naming %s is refused: InvalidInput, nothing copied', async (_, change) => {
    await expect(copySnapshot({ ...plan, ...change })).rejects.toMatchObject({ name: 'InvalidInput' });
    expect(rdsMock.commandCalls(CopyDBSnapshotCommand)).toHaveLength(0);
  });

  test('the run result says the source was the automated snapshot, and its time', async () => {
    const shared = { ...dbSnapshot(DB_SHARED_ID, { created: NOW, owner: { role: 'shared' } }), OriginalSnapshotCreateTime: source.SnapshotCreateTime };
    rdsMock.on(DescribeDBSnapshotsCommand).resolves({ DBSnapshots: [shared] });
    mockDbRestore(rdsMock);
    const done = { ...plan, awaitingSnapshotIdentifier: DB_SHARED_ID, snapshotArn: dbSnapshotArn(DB_SHARED_ID), sharedWith: TARGET_ACCOUNT_IDS };
    const result = await cleanUp(done);
    expect(result).toMatchObject({
      snapshotSource: 'automated',
      sourceSnapshotIdentifier: source.DBSnapshotIdentifier,
      sourceSnapshotTime: source.SnapshotCreateTime!.toISOString(),
      snapshotCreateTime: source.SnapshotCreateTime!.toISOString(),
    });
  });
});
