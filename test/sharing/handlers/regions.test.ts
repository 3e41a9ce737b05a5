/**
 * The handlers' part in `regions`: CopyToRegion copies the home Region's shared snapshot in the
 * destination Region under its key; a plan naming a Region sends every RDS call of CheckSnapshot,
 * ShareSnapshot, CleanUp and CleanUpFailedRun to that Region; a Region not configured (or the
 * function's own) is refused by name.
 */
import {
  CopyDBClusterSnapshotCommand, DeleteDBClusterSnapshotCommand, DescribeAccountAttributesCommand, DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand, KMSKeyNotAccessibleFault, ModifyDBClusterSnapshotAttributeCommand, RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ACCOUNT, CLUSTER, mockSnapshots, ownedSnapshot, OWNER_ID, RUN_ID, SHARED_ID, sharedAvailablePlan, SHARING_KEY_ARN, snapshot, snapshotArn,
  TARGET_ACCOUNT_IDS, useHandlerEnvironment,
} from './helpers';
import { ENV } from '../../../src/shared/constants';
import { handler as checkSnapshot } from '../../../src/sharing/handlers/check-snapshot.lambda';
import { handler as cleanUpFailedRun } from '../../../src/sharing/handlers/clean-up-failed-run.lambda';
import { handler as cleanUp } from '../../../src/sharing/handlers/clean-up.lambda';
import { handler as copyToRegion } from '../../../src/sharing/handlers/copy-to-region.lambda';
import { handler as shareSnapshot } from '../../../src/sharing/handlers/share-snapshot.lambda';
import type { RunPlan, RunResult } from '../../../src/sharing/handlers/workflow-state.lambda-shared';

const rdsMock = mockClient(RDSClient);
const DR = 'eu-central-1';
const DR_KEY = `arn:aws:kms:${DR}:${ACCOUNT}:key/dr-key`;
const drArn = (id: string) => `arn:aws:rds:${DR}:${ACCOUNT}:cluster-snapshot:${id}`;

/** The home run after CleanUp: the plan, shared, with its run result beside it. */
const HOME: RunPlan & { run: RunResult } = {
  ...sharedAvailablePlan(true),
  sharedWith: TARGET_ACCOUNT_IDS,
  run: {
    clusterIdentifier: CLUSTER,
    databaseKind: 'cluster',
    databaseIdentifier: CLUSTER,
    snapshotIdentifier: SHARED_ID,
    snapshotArn: snapshotArn(SHARED_ID),
    kmsKeyArn: SHARING_KEY_ARN,
    sharedWith: TARGET_ACCOUNT_IDS,
    runId: RUN_ID,
    snapshotCreateTime: '2026-11-27T03:10:00.000Z',
  },
};
/** The Region's plan, as CopyToRegion returns it. */
const IN_DR: RunPlan = {
  clusterIdentifier: CLUSTER,
  runId: RUN_ID,
  sharedSnapshotIdentifier: SHARED_ID,
  copyRequired: false,
  region: DR,
  awaitingSnapshotIdentifier: SHARED_ID,
  deadline: '2026-11-27T05:00:00.000Z',
};

/** The Region each RDS call was sent to (the calling client's). */
async function regionsCalled(): Promise<string[]> {
  return Promise.all(rdsMock.calls().map(async (call) => (call.thisValue as RDSClient).config.region()));
}

describe('regions in the handlers', () => {
  useHandlerEnvironment(undefined, { [ENV.SHARING_REGIONS]: `${DR}=${DR_KEY}`, AWS_REGION: 'eu-west-1', [ENV.MAX_CONCURRENT_COPIES]: '5' });
  beforeEach(() => {
    rdsMock.reset();
    mockSnapshots(rdsMock, []);
  });

  test('CopyToRegion copies the home shared snapshot by ARN, in the destination Region, under that Region\'s key, tagged as this run\'s shared snapshot', async () => {
    const plan = await copyToRegion({ region: DR, plan: HOME });
    const [copy] = rdsMock.commandCalls(CopyDBClusterSnapshotCommand);
    expect(copy.args[0].input).toMatchObject({
      SourceDBClusterSnapshotIdentifier: snapshotArn(SHARED_ID),
      TargetDBClusterSnapshotIdentifier: SHARED_ID,
      KmsKeyId: DR_KEY,
      CopyTags: false,
      Tags: expect.arrayContaining([{ Key: 'shared-cluster-snapshots:owner', Value: OWNER_ID }, { Key: 'shared-cluster-snapshots:role', Value: 'shared' }]),
    });
    expect(new Set(await regionsCalled())).toEqual(new Set([DR]));
    expect(plan).toEqual(IN_DR);
  });

  test('CopyToRegion waits for a copy slot counted in the destination Region', async () => {
    const copying = [1, 2, 3, 4, 5].map((i) => snapshot({ id: `other-copy-${i}`, status: 'copying' }));
    mockSnapshots(rdsMock, copying);
    await expect(copyToRegion({ region: DR, plan: HOME })).rejects.toMatchObject({ name: 'CopyLimitReached' });
    expect(rdsMock.commandCalls(CopyDBClusterSnapshotCommand)).toHaveLength(0);
    expect(new Set(await regionsCalled())).toEqual(new Set([DR]));
  });

  test('a disabled key in the destination Region is KmsKeyNotAccessible', async () => {
    rdsMock.on(CopyDBClusterSnapshotCommand).rejects(new KMSKeyNotAccessibleFault({ message: 'disabled', $metadata: {} }));
    rdsMock.on(DescribeAccountAttributesCommand).resolves({});
    await expect(copyToRegion({ region: DR, plan: HOME })).rejects.toMatchObject({ name: 'KmsKeyNotAccessible', message: expect.stringContaining(DR_KEY) });
  });

  test.each<[string, object, RegExp]>([
    ['a Region not configured', { region: 'us-east-1', plan: HOME }, /Region "us-east-1" is not one of this instance's regions/],
    ['another snapshot as the source', { region: DR, plan: { ...HOME, run: { ...HOME.run, snapshotArn: snapshotArn('shared-someone-else') } } }, /must be this run's shared cluster-snapshot/],
    ['a source in another Region', { region: DR, plan: { ...HOME, run: { ...HOME.run, snapshotArn: drArn(SHARED_ID) } } }, /in this Region/],
    ['a snapshot not shared yet', { region: DR, plan: { ...HOME, sharedWith: undefined } }, /only once it is shared in this one/],
  ])('CopyToRegion refuses %s (InvalidInput), calling nothing', async (_name, input, message) => {
    await expect(copyToRegion(input as any)).rejects.toMatchObject({ name: 'InvalidInput', message: expect.stringMatching(message) });
    expect(rdsMock.calls()).toHaveLength(0);
  });

  test('the function\'s own Region is refused as a Region (an environment-agnostic stack cannot refuse it at synth)', async () => {
    process.env[ENV.SHARING_REGIONS] = `eu-west-1=${DR_KEY}`;
    await expect(copyToRegion({ region: 'eu-west-1', plan: HOME })).rejects.toMatchObject({ name: 'InvalidInput', message: expect.stringMatching(/this stack's own Region/) });
  });

  test('CheckSnapshot, ShareSnapshot and CleanUp of a Region\'s plan call RDS in that Region only; the result names the Region', async () => {
    const copy = { ...ownedSnapshot(RUN_ID, 'shared'), DBClusterSnapshotArn: drArn(SHARED_ID), KmsKeyId: DR_KEY };
    mockSnapshots(rdsMock, [copy], [copy]);
    rdsMock.on(DescribeDBClusterSnapshotAttributesCommand).resolves({ DBClusterSnapshotAttributesResult: { DBClusterSnapshotAttributes: [] } });
    const checked = await checkSnapshot(IN_DR);
    expect(checked.snapshotArn).toBe(drArn(SHARED_ID));
    const shared = await shareSnapshot(checked);
    expect(rdsMock.commandCalls(ModifyDBClusterSnapshotAttributeCommand)[0].args[0].input)
      .toMatchObject({ DBClusterSnapshotIdentifier: SHARED_ID, ValuesToAdd: TARGET_ACCOUNT_IDS });
    const result = await cleanUp(shared);
    expect(result).toMatchObject({ region: DR, snapshotArn: drArn(SHARED_ID), kmsKeyArn: DR_KEY, sharedWith: TARGET_ACCOUNT_IDS });
    expect(new Set(await regionsCalled())).toEqual(new Set([DR]));
  });

  test('CleanUp in a Region deletes an older copy there once the new one is shared, and only there', async () => {
    const older = { ...ownedSnapshot('202611260300', 'shared'), SnapshotCreateTime: new Date('2026-11-26T03:10:00Z') };
    const current = ownedSnapshot(RUN_ID, 'shared');
    mockSnapshots(rdsMock, [older, current], [older, current]);
    rdsMock.on(DescribeDBClusterSnapshotAttributesCommand).resolves({
      DBClusterSnapshotAttributesResult: { DBClusterSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: TARGET_ACCOUNT_IDS }] },
    });
    await cleanUp({ ...IN_DR, snapshotArn: drArn(SHARED_ID), sharedWith: TARGET_ACCOUNT_IDS });
    expect(rdsMock.commandCalls(DeleteDBClusterSnapshotCommand).map((c) => c.args[0].input.DBClusterSnapshotIdentifier))
      .toEqual([older.DBClusterSnapshotIdentifier]);
    expect(new Set(await regionsCalled())).toEqual(new Set([DR]));
  });

  test('a plan naming a Region not configured is refused before any call', async () => {
    await expect(checkSnapshot({ ...IN_DR, region: 'us-east-1' })).rejects.toMatchObject({ name: 'InvalidInput' });
    expect(rdsMock.calls()).toHaveLength(0);
  });

  test('a Region\'s failure deletes this run\'s unshared copy in that Region only, and its Failed event names the Region', async () => {
    mockSnapshots(rdsMock, [], [ownedSnapshot(RUN_ID, 'shared')]);
    rdsMock.on(DescribeDBClusterSnapshotAttributesCommand).resolves({ DBClusterSnapshotAttributesResult: { DBClusterSnapshotAttributes: [] } });
    const out = await cleanUpFailedRun({ region: DR, run: HOME.run, error: { Error: 'SnapshotFailed', Cause: 'the copy failed' } } as any);
    expect(rdsMock.commandCalls(DeleteDBClusterSnapshotCommand).map((c) => c.args[0].input.DBClusterSnapshotIdentifier)).toEqual([SHARED_ID]);
    expect(new Set(await regionsCalled())).toEqual(new Set([DR]));
    expect(out.failedEvent).toEqual({
      clusterIdentifier: CLUSTER, databaseKind: 'cluster', databaseIdentifier: CLUSTER, runId: RUN_ID, region: DR, error: 'SnapshotFailed', cause: 'the copy failed',
    });
  });

  test('a Region\'s failure after its copy was shared there deletes nothing', async () => {
    mockSnapshots(rdsMock, [], [ownedSnapshot(RUN_ID, 'shared')]);
    rdsMock.on(DescribeDBClusterSnapshotAttributesCommand).resolves({
      DBClusterSnapshotAttributesResult: { DBClusterSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: TARGET_ACCOUNT_IDS }] },
    });
    const out = await cleanUpFailedRun({ region: DR, run: HOME.run, error: { Error: 'SharedEventNotPut' } } as any);
    expect(rdsMock.commandCalls(DeleteDBClusterSnapshotCommand)).toHaveLength(0);
    expect(out.cleanedUp).toEqual({});
  });

  test('DescribeDBClusterSnapshots is the only read CopyToRegion makes before the copy (no home call)', async () => {
    await copyToRegion({ region: DR, plan: HOME });
    expect(rdsMock.calls().map((c) => c.args[0].constructor.name))
      .toEqual([DescribeDBClusterSnapshotsCommand.name, CopyDBClusterSnapshotCommand.name]);
  });
});
