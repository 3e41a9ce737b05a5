import fc from 'fast-check';
import { clusterIdentifier, identifier, isRdsIdentifier, ownerId, runTime, snapshotPrefix } from './arbitraries';
import { MAX_IDENTIFIER_LENGTH } from '../../src/shared/constants';
import { executionName, ownerDiscriminator, runIdFromTime, shorten, snapshotIdentifier, SnapshotRole } from '../../src/shared/naming.lambda-shared';

const SEED = 20261127;
const ROLES: SnapshotRole[] = ['shared', 'temporary'];
const EXECUTION_NAME = /^[0-9A-Za-z_-]{1,80}$/;
/** The room `snapshotIdentifier` leaves the cluster: 63 minus prefix, run id, owner part, '-tmp' and three hyphens. */
const roomFor = (prefix: string): number => MAX_IDENTIFIER_LENGTH - prefix.length - 12 - 6 - 4 - 3;
/** One owner for the tests of one instance's names. */
const OWNER = 'data-platform/Snapshots';
const MARK = ownerDiscriminator(OWNER);
const naming = (prefix: string, owner = OWNER) => ({ prefix, ownerId: owner });

/** Flips the case of every other letter: the same cluster to RDS, a different string to JavaScript. */
function recase(id: string): string {
  return id.split('').map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c.toLowerCase())).join('');
}

describe('runIdFromTime', () => {
  test('is the 12-digit UTC minute of the time', () => {
    fc.assert(
      fc.property(runTime, (time) => {
        const runId = runIdFromTime(time);
        expect(runId).toMatch(/^\d{12}$/);
        const minute = new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), time.getUTCDate(), time.getUTCHours(), time.getUTCMinutes()));
        expect(runIdFromTime(minute)).toBe(runId);
        expect(runIdFromTime(new Date(minute.getTime() + 59_999))).toBe(runId);
        expect(runIdFromTime(new Date(minute.getTime() + 60_000))).not.toBe(runId);
      }),
      { seed: SEED },
    );
  });
});

describe('snapshotIdentifier', () => {
  test('is a valid RDS identifier, lowercase, deterministic and case-insensitive in the cluster', () => {
    fc.assert(
      fc.property(snapshotPrefix, clusterIdentifier, runTime, fc.constantFrom(...ROLES), (prefix, cluster, time, role) => {
        const runId = runIdFromTime(time);
        const id = snapshotIdentifier(naming(prefix), cluster, runId, role);
        expect(isRdsIdentifier(id)).toBe(true);
        expect(id.length).toBeLessThanOrEqual(63);
        expect(id).toMatch(/^[a-z]/);
        expect(id).not.toContain('--');
        expect(id).not.toMatch(/-$/);
        expect(id).toBe(id.toLowerCase());
        expect(id.startsWith(`${prefix}-`)).toBe(true);
        expect(id.endsWith(role === 'shared' ? `-${runId}-${MARK}` : `-${runId}-${MARK}-tmp`)).toBe(true);
        // Deterministic, and the same for any spelling of the cluster (RDS ignores case).
        expect(snapshotIdentifier(naming(prefix), cluster, runId, role)).toBe(id);
        expect(snapshotIdentifier(naming(prefix), recase(cluster), runId, role)).toBe(id);
        expect(snapshotIdentifier(naming(prefix), cluster.toUpperCase(), runId, role)).toBe(id);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  test('keeps a short cluster id readable and whole', () => {
    fc.assert(
      fc.property(snapshotPrefix, clusterIdentifier, runTime, (prefix, cluster, time) => {
        fc.pre(cluster.length < roomFor(prefix));
        const runId = runIdFromTime(time);
        expect(snapshotIdentifier(naming(prefix), cluster, runId, 'shared')).toBe(`${prefix}-${cluster.toLowerCase()}-${runId}-${MARK}`);
        expect(snapshotIdentifier(naming(prefix), cluster, runId, 'temporary')).toBe(`${prefix}-${cluster.toLowerCase()}-${runId}-${MARK}-tmp`);
      }),
      { seed: SEED },
    );
  });

  test('(a) 10,000 distinct clusters get 20,000 distinct identifiers, and distinct execution names', () => {
    fc.assert(
      fc.property(
        snapshotPrefix,
        runTime,
        fc.uniqueArray(clusterIdentifier, { minLength: 10_000, maxLength: 10_000, selector: (id) => id.toLowerCase() }),
        (prefix, time, clusters) => {
          const runId = runIdFromTime(time);
          const ids = new Set<string>();
          const names = new Set<string>();
          for (const cluster of clusters) {
            ids.add(snapshotIdentifier(naming(prefix), cluster, runId, 'shared'));
            ids.add(snapshotIdentifier(naming(prefix), cluster, runId, 'temporary'));
            names.add(executionName(cluster, runId));
          }
          expect(ids.size).toBe(2 * clusters.length);
          expect(names.size).toBe(clusters.length);
        },
      ),
      { seed: SEED, numRuns: 3 },
    );
  });

  test('(a) many long clusters with the same readable head still get distinct identifiers', () => {
    // Every cluster is cut to the same head, so only the hash tells them apart.
    fc.assert(
      fc.property(
        snapshotPrefix,
        runTime,
        identifier({ minLength: 44, maxLength: 44, lowercaseOnly: true }),
        fc.uniqueArray(identifier({ minLength: 1, maxLength: 18, lowercaseOnly: true }), { minLength: 2000, maxLength: 2000 }),
        (prefix, time, head, tails) => {
          const runId = runIdFromTime(time);
          const ids = new Set(tails.map((tail) => snapshotIdentifier(naming(prefix), `${head}-${tail}`, runId, 'shared')));
          expect(ids.size).toBe(tails.length);
        },
      ),
      { seed: SEED, numRuns: 5 },
    );
  });

  test('(b) equal exactly when cluster (ignoring case), run and role are equal; shared never equals temporary', () => {
    const side = fc.record({ cluster: clusterIdentifier, time: runTime, role: fc.constantFrom(...ROLES) });
    fc.assert(
      fc.property(
        snapshotPrefix,
        side,
        side,
        fc.boolean(),
        fc.boolean(),
        (prefix, a, b, sameCluster, sameRun) => {
          const bCluster = sameCluster ? recase(a.cluster) : b.cluster;
          const aRun = runIdFromTime(a.time);
          const bRun = sameRun ? aRun : runIdFromTime(b.time);
          const idA = snapshotIdentifier(naming(prefix), a.cluster, aRun, a.role);
          const idB = snapshotIdentifier(naming(prefix), bCluster, bRun, b.role);
          const same = a.cluster.toLowerCase() === bCluster.toLowerCase() && aRun === bRun && a.role === b.role;
          expect(idA === idB).toBe(same);
          // Whatever the clusters and runs, a shared identifier is never a temporary one.
          expect(snapshotIdentifier(naming(prefix), a.cluster, aRun, 'shared')).not.toBe(snapshotIdentifier(naming(prefix), bCluster, bRun, 'temporary'));
        },
      ),
      { seed: SEED, numRuns: 1000 },
    );
  });

  test('(c) a cluster named like another cluster\'s shortened form gets a different identifier', () => {
    fc.assert(
      fc.property(snapshotPrefix, identifier({ minLength: 21, maxLength: 63 }), runTime, fc.constantFrom(...ROLES), (prefix, a, time, role) => {
        const room = roomFor(prefix);
        fc.pre(a.length >= room);
        const b = shorten(a.toLowerCase(), room);
        expect(isRdsIdentifier(b)).toBe(true); // B is a cluster a user could really create.
        const runId = runIdFromTime(time);
        expect(snapshotIdentifier(naming(prefix), b, runId, role)).not.toBe(snapshotIdentifier(naming(prefix), a, runId, role));
        // And B's own shortened form is not A's either (nor one shortened again).
        const c = shorten(b, room);
        expect(snapshotIdentifier(naming(prefix), c, runId, role)).not.toBe(snapshotIdentifier(naming(prefix), a, runId, role));
        expect(snapshotIdentifier(naming(prefix), c, runId, role)).not.toBe(snapshotIdentifier(naming(prefix), b, runId, role));
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  test('(d) two instances (distinct owner ids) never derive the same name for the same cluster, run and role', () => {
    fc.assert(
      fc.property(snapshotPrefix, ownerId, ownerId, clusterIdentifier, runTime, fc.constantFrom(...ROLES), (prefix, a, b, cluster, time, role) => {
        fc.pre(a !== b);
        const runId = runIdFromTime(time);
        const idA = snapshotIdentifier(naming(prefix, a), cluster, runId, role);
        const idB = snapshotIdentifier(naming(prefix, b), cluster, runId, role);
        expect(idA).not.toBe(idB);
        expect(isRdsIdentifier(idA) && isRdsIdentifier(idB)).toBe(true);
        // Only the owner part differs: both names stay readable and of the same length.
        expect(idA.length).toBe(idB.length);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});

describe('shorten', () => {
  test('keeps values shorter than room, cuts others to exactly room, and stays a valid identifier', () => {
    fc.assert(
      fc.property(identifier({ minLength: 1, maxLength: 63, lowercaseOnly: true }), fc.integer({ min: 21, max: 80 }), (value, room) => {
        const short = shorten(value, room);
        if (value.length < room) {
          expect(short).toBe(value);
        } else {
          expect(short).toHaveLength(room);
          expect(short).toMatch(/-[0-9a-f]{10}$/);
        }
        expect(isRdsIdentifier(short)).toBe(true);
        expect(short).not.toContain('--');
        expect(shorten(value, room)).toBe(short);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});

describe('executionName', () => {
  test('is at most 80 of [0-9A-Za-z-_], deterministic, case-insensitive, and distinct for distinct clusters or runs', () => {
    fc.assert(
      fc.property(clusterIdentifier, clusterIdentifier, runTime, runTime, (a, b, timeA, timeB) => {
        const runA = runIdFromTime(timeA);
        const runB = runIdFromTime(timeB);
        const name = executionName(a, runA);
        expect(name).toMatch(EXECUTION_NAME);
        expect(name.length).toBeLessThanOrEqual(80);
        expect(executionName(a, runA)).toBe(name);
        expect(executionName(recase(a), runA)).toBe(name);
        const same = a.toLowerCase() === b.toLowerCase() && runA === runB;
        expect(executionName(b, runB) === name).toBe(same);
        expect(executionName(b, runA) === name).toBe(a.toLowerCase() === b.toLowerCase());
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});
