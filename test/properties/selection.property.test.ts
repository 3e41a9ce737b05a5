import {
  DBClusterSnapshot,
  DeleteDBClusterSnapshotCommand,
  DescribeDBClusterSnapshotAttributesCommand,
  DescribeDBClusterSnapshotsCommand,
  RDSClient,
  Tag,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { twelveDigits } from './arbitraries';
import { TAG_CLUSTER, TAG_OWNER, TAG_ROLE, TAG_RUN } from '../../src/shared/constants';
import { snapshotIdentifier } from '../../src/shared/naming.lambda-shared';
import { handler, selectExpiredSharedSnapshots } from '../../src/sharing/handlers/clean-up.lambda';
import { isOwnedBy } from '../../src/sharing/handlers/tags.lambda-shared';
import type { RunPlan } from '../../src/sharing/handlers/workflow-state.lambda-shared';

// Clean-up must only ever delete this construct's own snapshots of the cluster, and never the one
// just shared or the newest restore points. Snapshots here carry random mixes of right and wrong
// ownership tags, statuses, times and names, many of them deliberately close to ours.

const SEED = 31337;
const OURS = 'c8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9';
const PREFIX = 'shared';
const NAMING = { prefix: PREFIX, ownerId: OURS };
/** Another instance on the same cluster: its names differ from ours only in the owner part. */
const THEIRS = { prefix: PREFIX, ownerId: 'other-stack/Snapshots' };
const CLUSTER = 'orders-db';
const RUN = '202611270300';
const NOW = new Date('2026-11-27T03:10:00Z').getTime();
const HOUR = 3_600_000;
const SNAPSHOT_TIMEOUT_SECONDS = 21_600;
/** Never-shared copies older than this are orphans of runs that died (clean-up's rule: 2 × snapshotTimeout). */
const STALE_AFTER_MS = 2 * SNAPSHOT_TIMEOUT_SECONDS * 1000;
const TARGETS = ['222222222222'];
const CURRENT = snapshotIdentifier(NAMING, CLUSTER, RUN, 'shared');
const CURRENT_TMP = snapshotIdentifier(NAMING, CLUSTER, RUN, 'temporary');

const OWNERS = [OURS, 'c8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b8', 'someone-else', OURS.toUpperCase(), ''];
const TAG_CLUSTERS = [CLUSTER, 'orders-db-2', 'orders', 'Orders-DB', 'billing-db', ''];
const DB_CLUSTERS = [CLUSTER, CLUSTER, 'orders-db-2', 'billing-db', undefined];
const ROLES = ['shared', 'temporary', 'junk', 'missing'] as const;
const STATUSES = ['available', 'creating', 'copying', 'failed'];

// ---------------------------------------------------------------------------------------------
// Generators

interface Spec {
  readonly name: string;
  readonly owner: string | undefined;
  readonly tagCluster: string | undefined;
  readonly dbCluster: string | undefined;
  readonly role: (typeof ROLES)[number];
  readonly runId: string | undefined;
  readonly status: string;
  readonly ageMs: number | undefined;
  readonly extraTags: Tag[];
}

const runId = fc.oneof(
  { weight: 4, arbitrary: twelveDigits },
  { weight: 1, arbitrary: fc.constant(RUN) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

/** Names: ours for the tagged run (shared or temporary) or another run, this run's two, look-alikes, anything. */
type NameChoice = { readonly oursFor: 'shared' | 'temporary' } | { readonly fixed: string };
const nameChoice: fc.Arbitrary<NameChoice> = fc.oneof(
  fc.constantFrom<NameChoice>({ oursFor: 'shared' }, { oursFor: 'temporary' }),
  twelveDigits.map((r) => ({ fixed: snapshotIdentifier(NAMING, CLUSTER, r, 'shared') })),
  fc.constantFrom(CURRENT, CURRENT_TMP, snapshotIdentifier(THEIRS, CLUSTER, RUN, 'shared'), snapshotIdentifier(THEIRS, CLUSTER, RUN, 'temporary'), `${CURRENT}-x`, `${PREFIX}-orders-db-2-${RUN}`, `rds:${CLUSTER}-2026-11-27-03-00`, `${CLUSTER}-manual`, `Shared-${CLUSTER}-${RUN}`)
    .map((fixed) => ({ fixed })),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,40}[a-z0-9]$/).map((fixed) => ({ fixed })),
);
const nameOf = (choice: NameChoice, run: string | undefined): string =>
  ('fixed' in choice ? choice.fixed : snapshotIdentifier(NAMING, CLUSTER, run ?? '209901010000', choice.oursFor));

type TagField = 'owner' | 'tagCluster' | 'dbCluster' | 'role' | 'runId' | 'status';

/**
 * A snapshot that starts as ours (all tags right, available) and has a random subset of its fields
 * replaced by values from the wider pools (wrong owner, other cluster, other role, missing run...).
 */
const spec = (role: 'shared' | 'temporary', name: fc.Arbitrary<NameChoice>, run: fc.Arbitrary<string | undefined>): fc.Arbitrary<Spec> => fc.record({
  nameChoice: name,
  runId: run,
  ageMs: fc.option(fc.integer({ min: -HOUR, max: 5 * 24 * HOUR }), { nil: undefined, freq: 8 }),
  extraTags: fc.array(fc.record({ Key: fc.constantFrom('team', 'Name', 'shared-cluster-snapshots:other'), Value: fc.string({ maxLength: 8 }) }), { maxLength: 2 }),
  changed: fc.oneof(fc.constant([] as TagField[]), fc.subarray<TagField>(['owner', 'tagCluster', 'dbCluster', 'role', 'runId', 'status'], { maxLength: 3 })),
  wide: fc.record({
    owner: fc.constantFrom(...OWNERS, undefined),
    tagCluster: fc.constantFrom(...TAG_CLUSTERS, undefined),
    dbCluster: fc.constantFrom(...DB_CLUSTERS),
    role: fc.constantFrom(...ROLES),
    runId,
    status: fc.constantFrom(...STATUSES),
  }),
}).map(({ nameChoice: choice, changed, wide, ...rest }) => {
  const pick = <K extends TagField>(field: K, right: Spec[K]): Spec[K] => (changed.includes(field) ? wide[field] as Spec[K] : right);
  const runIdValue = pick('runId', rest.runId);
  return {
    name: nameOf(choice, runIdValue),
    owner: pick('owner', OURS),
    tagCluster: pick('tagCluster', CLUSTER),
    dbCluster: pick('dbCluster', CLUSTER),
    role: pick('role', role),
    runId: runIdValue,
    status: pick('status', 'available'),
    ageMs: rest.ageMs,
    extraTags: rest.extraTags,
  };
});

function toSnapshot(s: Spec): DBClusterSnapshot {
  const tags: Tag[] = [];
  if (s.owner !== undefined) tags.push({ Key: TAG_OWNER, Value: s.owner });
  if (s.tagCluster !== undefined) tags.push({ Key: TAG_CLUSTER, Value: s.tagCluster });
  if (s.role !== 'missing') tags.push({ Key: TAG_ROLE, Value: s.role });
  if (s.runId !== undefined) tags.push({ Key: TAG_RUN, Value: s.runId });
  return {
    DBClusterSnapshotIdentifier: s.name,
    DBClusterSnapshotArn: `arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:${s.name}`,
    DBClusterIdentifier: s.dbCluster,
    SnapshotType: 'manual',
    Status: s.status,
    SnapshotCreateTime: s.ageMs === undefined ? undefined : new Date(NOW - s.ageMs),
    TagList: [...tags, ...s.extraTags],
  };
}

/**
 * Up to 25 snapshots with distinct identifiers (as RDS has them): mostly shared ones, some
 * temporary ones, and often this run's shared and temporary snapshot (each possibly not ours).
 */
const snapshots: fc.Arbitrary<DBClusterSnapshot[]> = fc.tuple(
  fc.array(fc.oneof({ weight: 4, arbitrary: spec('shared', nameChoice, runId) }, { weight: 1, arbitrary: spec('temporary', nameChoice, runId) }), { maxLength: 25, size: 'medium' }),
  fc.option(spec('shared', fc.constant({ fixed: CURRENT }), fc.constant(RUN)), { nil: undefined, freq: 4 }),
  fc.option(spec('temporary', fc.constant({ fixed: CURRENT_TMP }), fc.constant(RUN)), { nil: undefined, freq: 3 }),
).map(([others, current, temporary]) => {
  const byName = new Map<string, Spec>();
  for (const s of [current, temporary, ...others]) if (s && !byName.has(s.name)) byName.set(s.name, s);
  return [...byName.values()].slice(0, 25).map(toSnapshot);
});

// ---------------------------------------------------------------------------------------------
// Oracles, from the tags alone

const tag = (s: DBClusterSnapshot, key: string): string | undefined => s.TagList?.find((t) => t.Key === key)?.Value;

/** Carries all four of our tags for the cluster (and is of the cluster, when RDS says). */
function ours(s: DBClusterSnapshot): boolean {
  return tag(s, TAG_OWNER) === OURS
    && tag(s, TAG_CLUSTER) === CLUSTER
    && (s.DBClusterIdentifier === undefined || s.DBClusterIdentifier === CLUSTER)
    && ['shared', 'temporary'].includes(tag(s, TAG_ROLE) ?? '')
    && !!tag(s, TAG_RUN);
}

/** Our shared snapshot that clean-up may consider: available and not the one just shared. */
function olderShared(s: DBClusterSnapshot): boolean {
  return ours(s) && tag(s, TAG_ROLE) === 'shared' && s.Status === 'available' && s.DBClusterSnapshotIdentifier !== CURRENT;
}

/** Newest first: creation time, then run id (a missing time counts as oldest). */
function newerFirst(a: DBClusterSnapshot, b: DBClusterSnapshot): number {
  const byTime = (b.SnapshotCreateTime?.getTime() ?? 0) - (a.SnapshotCreateTime?.getTime() ?? 0);
  return byTime !== 0 ? byTime : (tag(b, TAG_RUN) ?? '').localeCompare(tag(a, TAG_RUN) ?? '');
}

/** Asserts `deleted` is exactly the `retain - 1` newest of `candidates` left out, and nothing else. */
function expectOldestBeyondRetain(candidates: DBClusterSnapshot[], deleted: DBClusterSnapshot[], retain: number): void {
  expect(deleted.length).toBe(Math.max(0, candidates.length - (retain - 1)));
  const kept = candidates.filter((c) => !deleted.includes(c));
  for (const k of kept) {
    for (const d of deleted) expect(newerFirst(k, d)).toBeLessThanOrEqual(0);
  }
  if (retain >= 2 && candidates.length > 0) {
    expect(deleted).not.toContain([...candidates].sort(newerFirst)[0]);
  }
}

// ---------------------------------------------------------------------------------------------

describe('selectExpiredSharedSnapshots', () => {
  test('selects only our available shared snapshots of the cluster, never the current one, beyond the newest retain', () => {
    fc.assert(
      fc.property(snapshots, fc.integer({ min: 1, max: 5 }), (all, retain) => {
        // The handler's pre-filter, as listOwnedSnapshots applies it.
        const owned = all.filter((s) => isOwnedBy(s, { ownerId: OURS, clusterIdentifier: CLUSTER }));
        const selected = selectExpiredSharedSnapshots(owned, CURRENT, retain);

        expect(new Set(selected).size).toBe(selected.length);
        for (const s of selected) {
          expect(owned).toContain(s);
          expect(tag(s, TAG_OWNER)).toBe(OURS);
          expect(tag(s, TAG_CLUSTER)).toBe(CLUSTER);
          expect(tag(s, TAG_ROLE)).toBe('shared');
          expect(s.Status).toBe('available');
          expect(s.DBClusterSnapshotIdentifier).not.toBe(CURRENT);
        }
        const candidates = all.filter(olderShared);
        expect(selected.length).toBeLessThanOrEqual(Math.max(0, candidates.length - (retain - 1)));
        expectOldestBeyondRetain(candidates, selected, retain);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  test('selecting is idempotent: what it keeps, it keeps on a second pass', () => {
    fc.assert(
      fc.property(snapshots, fc.integer({ min: 1, max: 5 }), (all, retain) => {
        const owned = all.filter((s) => isOwnedBy(s, { ownerId: OURS, clusterIdentifier: CLUSTER }));
        const selected = selectExpiredSharedSnapshots(owned, CURRENT, retain);
        const left = owned.filter((s) => !selected.includes(s));
        expect(selectExpiredSharedSnapshots(left, CURRENT, retain)).toEqual([]);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });
});

describe('clean-up handler', () => {
  const rdsMock = mockClient(RDSClient);
  const originalEnv = process.env;

  afterEach(() => {
    process.env = originalEnv;
    jest.restoreAllMocks();
  });
  afterAll(() => rdsMock.restore());

  test('deletes only snapshots with all our tags, and exactly the expired restore points, stale orphans and this run\'s temporary one', async () => {
    await fc.assert(
      fc.asyncProperty(
        snapshots,
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        // Per snapshot, whether its `restore` attribute names an account: shared, or never shared.
        fc.array(fc.constantFrom<'shared' | 'unshared' | 'no-attribute'>('shared', 'shared', 'unshared', 'no-attribute'), { minLength: 25, maxLength: 25 }),
        fc.integer({ min: 1, max: 10 }),
        async (initial, retain, copyRequired, sharing, pageSize) => {
          rdsMock.reset();
          jest.spyOn(Date, 'now').mockReturnValue(NOW);
          process.env = {
            ...originalEnv,
            SHARED_CLUSTER_SNAPSHOTS_SILENT: 'true',
            OWNER_ID: OURS,
            SNAPSHOT_PREFIX: PREFIX,
            RETAIN_SNAPSHOTS: String(retain),
            SNAPSHOT_TIMEOUT_SECONDS: String(SNAPSHOT_TIMEOUT_SECONDS),
          };

          const store = new Map(initial.map((s) => [s.DBClusterSnapshotIdentifier!, s]));
          const restoreOf = new Map(initial.map((s, i) => [s.DBClusterSnapshotIdentifier!, sharing[i]]));
          const deletes: DBClusterSnapshot[] = [];
          const notFound = () => Object.assign(new Error('not found'), { name: 'DBClusterSnapshotNotFoundFault' });

          rdsMock.on(DescribeDBClusterSnapshotsCommand).callsFake((input) => {
            if (input.DBClusterSnapshotIdentifier !== undefined) {
              const found = store.get(input.DBClusterSnapshotIdentifier);
              if (!found) throw notFound();
              return { DBClusterSnapshots: [found] };
            }
            // A listing: every snapshot, of any cluster (as if the filter were ignored), in pages.
            const start = Number(input.Marker ?? 0);
            const page = [...store.values()].slice(start, start + pageSize);
            return { DBClusterSnapshots: page, Marker: start + pageSize < store.size ? String(start + pageSize) : undefined };
          });
          rdsMock.on(DescribeDBClusterSnapshotAttributesCommand).callsFake((input) => {
            const id = input.DBClusterSnapshotIdentifier!;
            if (!store.has(id)) throw notFound();
            const how = restoreOf.get(id);
            return {
              DBClusterSnapshotAttributesResult: {
                DBClusterSnapshotIdentifier: id,
                DBClusterSnapshotAttributes: how === 'no-attribute' ? [] : [{ AttributeName: 'restore', AttributeValues: how === 'shared' ? TARGETS : [] }],
              },
            };
          });
          rdsMock.on(DeleteDBClusterSnapshotCommand).callsFake((input) => {
            const found = store.get(input.DBClusterSnapshotIdentifier!);
            if (!found) throw notFound();
            deletes.push(found);
            if (found.Status !== 'available' && found.Status !== 'failed') {
              throw Object.assign(new Error('busy'), { name: 'InvalidDBClusterSnapshotStateFault' });
            }
            store.delete(input.DBClusterSnapshotIdentifier!);
            return {};
          });

          const plan: RunPlan = {
            clusterIdentifier: CLUSTER,
            runId: RUN,
            sharedSnapshotIdentifier: CURRENT,
            temporarySnapshotIdentifier: copyRequired ? CURRENT_TMP : undefined,
            copyRequired,
            awaitingSnapshotIdentifier: CURRENT,
            deadline: new Date(NOW + HOUR).toISOString(),
            snapshotArn: `arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:${CURRENT}`,
            sharedWith: TARGETS,
          };
          const result = await handler(plan);
          expect(result.snapshotIdentifier).toBe(CURRENT);

          // Safety: every deletion is of a snapshot with all our tags: an older shared one, or this run's temporary one.
          for (const d of deletes) {
            expect(ours(d)).toBe(true);
            const role = tag(d, TAG_ROLE);
            if (role === 'temporary') {
              expect(copyRequired).toBe(true);
              expect(d.DBClusterSnapshotIdentifier).toBe(CURRENT_TMP);
              expect(tag(d, TAG_RUN)).toBe(RUN);
            } else {
              expect(role).toBe('shared');
              expect(olderShared(d)).toBe(true);
            }
          }
          expect(new Set(deletes).size).toBe(deletes.length);

          // Exactly: restore points beyond the newest retain - 1, every stale never-shared copy, and the temporary one.
          const older = initial.filter(olderShared);
          const restorePoints = older.filter((s) => restoreOf.get(s.DBClusterSnapshotIdentifier!) === 'shared');
          const orphans = older.filter((s) => restoreOf.get(s.DBClusterSnapshotIdentifier!) !== 'shared'
            && s.SnapshotCreateTime !== undefined && NOW - s.SnapshotCreateTime.getTime() > STALE_AFTER_MS);
          const temporary = initial.find((s) => copyRequired && s.DBClusterSnapshotIdentifier === CURRENT_TMP
            && ours(s) && tag(s, TAG_ROLE) === 'temporary' && tag(s, TAG_RUN) === RUN);

          expectOldestBeyondRetain(restorePoints, deletes.filter((d) => restorePoints.includes(d)), retain);
          expect(new Set(deletes.filter((d) => orphans.includes(d)))).toEqual(new Set(orphans));
          expect(deletes.filter((d) => d === temporary)).toHaveLength(temporary ? 1 : 0);
          const accounted = deletes.filter((d) => restorePoints.includes(d) || orphans.includes(d) || d === temporary);
          expect(accounted).toHaveLength(deletes.length);
        },
      ),
      { seed: SEED, numRuns: 100 },
    );
  });
});
