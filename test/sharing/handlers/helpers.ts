import {
  DBClusterSnapshot,
  DeleteDBClusterSnapshotCommand,
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { DEFAULTS, ENV, SILENT_LOGS_VARIABLE } from '../../../src/shared/constants';
import type { SnapshotRole } from '../../../src/shared/naming.lambda-shared';
import { ownershipTags } from '../../../src/sharing/handlers/tags.lambda-shared';
import type { RunPlan } from '../../../src/sharing/handlers/workflow-state.lambda-shared';
import { awsError, freezeTime as freezeClock, useEnvironment } from '../../handler-helpers';

export { awsError };

// Shared fixtures for the handler tests. Values are spelled out (not derived with the code under
// test) so a change in naming shows up as a failing assertion.

export const ACCOUNT = '111111111111';
export const OWNER_ID = 'stack-owner-1';
export const PREFIX = 'shared';
export const CLUSTER = 'orders-db';
export const RUN_ID = '202611270300';
/** The owner part of OWNER_ID's snapshot names (`ownerDiscriminator('stack-owner-1')`). */
export const OWNER_MARK = 'u66vbj';
export const NAMING = { prefix: PREFIX, ownerId: OWNER_ID };
export const SHARED_ID = 'shared-orders-db-202611270300-u66vbj';
export const TEMP_ID = 'shared-orders-db-202611270300-u66vbj-tmp';
export const SHARING_KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
export const OTHER_KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/99999999-8888-7777-6666-555555555555`;
export const TARGET_ACCOUNT_IDS = ['222222222222', '333333333333'];
export const SNAPSHOT_TIMEOUT_SECONDS = 7200;
export const STATE_MACHINE_ARN = `arn:aws:states:eu-west-1:${ACCOUNT}:stateMachine:SharedClusterSnapshots`;
/** The scheduled minute of RUN_ID. */
export const NOW = new Date('2026-11-27T03:00:00Z');
/** NOW + SNAPSHOT_TIMEOUT_SECONDS: the deadline of a snapshot (or copy) requested at NOW. */
export const DEADLINE = '2026-11-27T05:00:00.000Z';

/** Fake timers that move only the clock: awaited SDK mocks still resolve. */
export function freezeTime(now: Date = NOW): void {
  freezeClock(now);
}

/** Every handler setting, as the construct sets them, plus silent logs. */
export function handlerEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    [SILENT_LOGS_VARIABLE]: 'true',
    [ENV.OWNER_ID]: OWNER_ID,
    [ENV.SNAPSHOT_PREFIX]: PREFIX,
    [ENV.SHARING_KEY_ARN]: SHARING_KEY_ARN,
    [ENV.TARGET_ACCOUNT_IDS]: TARGET_ACCOUNT_IDS.join(','),
    [ENV.RETAIN_SNAPSHOTS]: '1',
    [ENV.ALLOW_UNENCRYPTED]: 'false',
    [ENV.SNAPSHOT_TIMEOUT_SECONDS]: String(SNAPSHOT_TIMEOUT_SECONDS),
    [ENV.WAIT_INTERVAL_SECONDS]: String(DEFAULTS.waitIntervalSeconds),
    [ENV.RDS_REQUESTS_PER_SECOND]: String(DEFAULTS.rdsRequestsPerSecond),
    [ENV.CLUSTER_IDENTIFIERS]: CLUSTER,
    [ENV.STATE_MACHINE_ARN]: STATE_MACHINE_ARN,
    ...overrides,
  };
}

/**
 * Registers the per-test set-up every handler test shares: the handler environment (with
 * `overrides`) and a frozen clock at `now`, both restored after each test.
 */
export function useHandlerEnvironment(now: Date = NOW, overrides: Record<string, string> = {}): void {
  useEnvironment(handlerEnv(overrides), now);
}

/**
 * Registers, for each test, a capture of what the handlers write straight to stdout (their
 * embedded-metric-format lines) and silences their console logs. Returns the metric lines written
 * so far in the test, each checked to be one whole line, parsed.
 */
export function useMetricLineCapture(): () => Array<Record<string, any>> {
  let written: string[] = [];
  beforeEach(() => {
    written = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    for (const level of ['log', 'warn', 'error'] as const) jest.spyOn(console, level).mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());
  return () => written.filter((chunk) => chunk.includes('"_aws"')).map((line) => {
    expect(line).toMatch(/^\{[^\n]*\}\n$/);
    return JSON.parse(line);
  });
}

export function snapshotArn(snapshotIdentifier: string): string {
  return `arn:aws:rds:eu-west-1:${ACCOUNT}:cluster-snapshot:${snapshotIdentifier}`;
}

export function sharedId(runId: string, cluster = CLUSTER): string {
  return `${PREFIX}-${cluster}-${runId}-${OWNER_MARK}`;
}

export function tempId(runId: string, cluster = CLUSTER): string {
  return `${sharedId(runId, cluster)}-tmp`;
}

export interface SnapshotSpec {
  readonly id: string;
  readonly status?: string;
  readonly created?: Date;
  readonly clusterIdentifier?: string;
  /** The ownership tags; `undefined` for a user's own snapshot without them. */
  readonly owner?: { ownerId?: string; clusterIdentifier?: string; role: SnapshotRole; runId: string };
  readonly extraTags?: { Key: string; Value: string }[];
}

/** A manual cluster snapshot as DescribeDBClusterSnapshots returns it. */
export function snapshot(spec: SnapshotSpec): DBClusterSnapshot {
  const clusterIdentifier = spec.clusterIdentifier ?? CLUSTER;
  const tags = spec.owner
    ? ownershipTags({
      ownerId: spec.owner.ownerId ?? OWNER_ID,
      clusterIdentifier: spec.owner.clusterIdentifier ?? clusterIdentifier,
      role: spec.owner.role,
      runId: spec.owner.runId,
    })
    : [];
  return {
    DBClusterSnapshotIdentifier: spec.id,
    DBClusterSnapshotArn: snapshotArn(spec.id),
    DBClusterIdentifier: clusterIdentifier,
    SnapshotType: 'manual',
    Status: spec.status ?? 'available',
    SnapshotCreateTime: spec.created ?? new Date(NOW.getTime() - 24 * 3600 * 1000),
    TagList: [...tags, ...(spec.extraTags ?? [])],
  };
}

/** A snapshot this construct made for `runId` of CLUSTER, with the given role. */
export function ownedSnapshot(runId: string, role: SnapshotRole, spec: Partial<SnapshotSpec> = {}): DBClusterSnapshot {
  return snapshot({
    id: role === 'shared' ? sharedId(runId) : tempId(runId),
    owner: { role, runId },
    ...spec,
  });
}

/**
 * Answers DescribeDBClusterSnapshots: a listing (by filter) returns `listing`, a look-up by
 * identifier returns the snapshot of that id from `listing` plus `extra`, or the not-found fault.
 */
export function mockSnapshots(rdsMock: AwsClientStub<RDSClient>, listing: DBClusterSnapshot[], extra: DBClusterSnapshot[] = []): void {
  rdsMock.on(DescribeDBClusterSnapshotsCommand).callsFake((input) => {
    if (input.DBClusterSnapshotIdentifier === undefined) return { DBClusterSnapshots: listing };
    const found = [...extra, ...listing].find((s) => s.DBClusterSnapshotIdentifier === input.DBClusterSnapshotIdentifier);
    if (!found) throw awsError('DBClusterSnapshotNotFoundFault');
    return { DBClusterSnapshots: [found] };
  });
}

/** The plan Prepare returns for CLUSTER and RUN_ID. */
export function preparedPlan(copyRequired: boolean): RunPlan {
  return {
    clusterIdentifier: CLUSTER,
    runId: RUN_ID,
    sharedSnapshotIdentifier: SHARED_ID,
    temporarySnapshotIdentifier: copyRequired ? TEMP_ID : undefined,
    copyRequired,
  };
}

/** The plan once the run's shared snapshot is found available (by CheckCopy, or CheckSnapshot without a copy). */
export function sharedAvailablePlan(copyRequired = true): RunPlan {
  return { ...preparedPlan(copyRequired), awaitingSnapshotIdentifier: SHARED_ID, deadline: DEADLINE, snapshotArn: snapshotArn(SHARED_ID) };
}

/** The identifiers passed to every DeleteDBClusterSnapshot call, in call order. */
export function deletedIds(rdsMock: AwsClientStub<RDSClient>): (string | undefined)[] {
  return rdsMock.commandCalls(DeleteDBClusterSnapshotCommand).map((c) => c.args[0].input.DBClusterSnapshotIdentifier);
}

/**
 * Answers DescribeDBClusterSnapshotAttributes with the `restore` accounts of each snapshot: those in
 * `restore` by identifier, `fallback` for any other (by default shared with the target accounts).
 */
export function mockRestoreAttributes(
  rdsMock: AwsClientStub<RDSClient>,
  restore: Record<string, string[]> = {},
  fallback: string[] = TARGET_ACCOUNT_IDS,
): void {
  rdsMock.on(DescribeDBClusterSnapshotAttributesCommand).callsFake((input) => ({
    DBClusterSnapshotAttributesResult: {
      DBClusterSnapshotIdentifier: input.DBClusterSnapshotIdentifier,
      DBClusterSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: restore[input.DBClusterSnapshotIdentifier ?? ''] ?? fallback }],
    },
  }));
}

/** The identifiers passed to every DescribeDBClusterSnapshotAttributes call, in call order. */
export function attributeLookups(rdsMock: AwsClientStub<RDSClient>): (string | undefined)[] {
  return rdsMock.commandCalls(DescribeDBClusterSnapshotAttributesCommand).map((c) => c.args[0].input.DBClusterSnapshotIdentifier);
}
