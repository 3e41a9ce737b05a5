import * as fc from 'fast-check';
import { MAX_EXECUTION_NAME_LENGTH, MAX_IDENTIFIER_LENGTH, MAX_PREFIX_LENGTH } from '../../../src/shared/constants';
import {
  executionName,
  isValidIdentifier,
  isValidPrefix,
  isValidRunId,
  OWNER_DISCRIMINATOR_LENGTH,
  ownerDiscriminator,
  ownerIdFor,
  runIdFromTime,
  shorten,
  snapshotIdentifier,
  SnapshotNaming,
} from '../../../src/shared/naming.lambda-shared';

/** RDS identifier rules, written out independently of the code under test. */
function isRdsIdentifier(id: string): boolean {
  return id.length >= 1 && id.length <= 63 && /^[a-z][a-z0-9-]*$/.test(id) && !id.includes('--') && !id.endsWith('-');
}

const EXECUTION_NAME = /^[0-9A-Za-z_-]{1,80}$/;
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const ALNUM_HYPHEN = `${LOWER}0123456789-`;

/** Any valid cluster identifier, of every length up to 63 (most are long enough to be shortened): letters, digits, single inner hyphens. */
const clusterIds = fc
  .tuple(
    fc.constantFrom(...LOWER.split('')),
    fc.string({ unit: fc.constantFrom(...ALNUM_HYPHEN.split('')), maxLength: 80, size: 'max' }),
  )
  .map(([first, rest]) => `${first}${rest}`.replace(/-+/g, '-').slice(0, MAX_IDENTIFIER_LENGTH).replace(/-+$/, ''));

const prefixes = fc
  .tuple(
    fc.constantFrom(...LOWER.split('')),
    fc.string({ unit: fc.constantFrom(...ALNUM_HYPHEN.split('')), maxLength: 30, size: 'max' }),
  )
  .map(([first, rest]) => `${first}${rest}`.replace(/-+/g, '-').slice(0, MAX_PREFIX_LENGTH).replace(/-+$/, ''));

/** Owner ids as the construct derives them: a stack name, '/', a construct path. */
const owners = fc
  .tuple(fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,30}$/), fc.stringMatching(/^[A-Za-z0-9_./-]{1,40}$/))
  .map(([stack, path]) => `${stack}/${path}`);

const runIds = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2999-12-31T23:59:59Z'), noInvalidDate: true })
  .map(runIdFromTime);

describe('isValidIdentifier', () => {
  test.each([
    'a',
    'orders-db',
    'Orders-DB',
    'a1-2-3',
    'a'.repeat(63),
  ])('accepts %p', (id) => {
    expect(isValidIdentifier(id)).toBe(true);
  });

  test.each([
    '',
    '1orders',
    '-orders',
    'orders-',
    'orders--db',
    'orders_db',
    'orders.db',
    'orders..db',
    'orders*',
    'orders db',
    'ördérs',
    'a'.repeat(64),
  ])('rejects %p', (id) => {
    expect(isValidIdentifier(id)).toBe(false);
  });
});

describe('isValidPrefix', () => {
  test('accepts a lowercase identifier of at most 24 characters', () => {
    expect(isValidPrefix('shared')).toBe(true);
    expect(isValidPrefix('a'.repeat(MAX_PREFIX_LENGTH))).toBe(true);
  });

  test.each(['Shared', 'a'.repeat(MAX_PREFIX_LENGTH + 1), 'shared-', '', '1shared', 'sha--red'])('rejects %p', (prefix) => {
    expect(isValidPrefix(prefix)).toBe(false);
  });
});

describe('runIdFromTime / isValidRunId', () => {
  test('is the UTC minute of the time, seconds dropped', () => {
    expect(runIdFromTime(new Date('2026-11-27T03:00:41.123Z'))).toBe('202611270300');
    expect(runIdFromTime(new Date('2026-11-27T03:00:00Z'))).toBe('202611270300');
    expect(runIdFromTime(new Date('2026-11-27T03:59:59.999Z'))).toBe('202611270359');
  });

  test('uses UTC, not the offset of the input', () => {
    expect(runIdFromTime(new Date('2026-11-27T04:00:00+01:00'))).toBe('202611270300');
  });

  test('throws for an invalid date', () => {
    expect(() => runIdFromTime(new Date('not a time'))).toThrow(/invalid time/);
  });

  test('every derived run id is valid', () => {
    fc.assert(fc.property(runIds, (runId) => isValidRunId(runId)));
  });

  test.each(['', '20261127030', '2026112703000', '2026-11-27T0', '20261127030a'])('rejects %p', (runId) => {
    expect(isValidRunId(runId)).toBe(false);
  });
});

/** An owner id as the construct derives it, and the owner part of its names (spelled out). */
const OWNER = 'data-platform/Snapshots';
const MARK = 'z0mhvn';
const naming = (prefix = 'shared', ownerId = OWNER): SnapshotNaming => ({ prefix, ownerId });
const N = naming();

describe('snapshotIdentifier', () => {
  test('names a short cluster <prefix>-<cluster>-<run>-<owner> and <prefix>-<cluster>-<run>-<owner>-tmp', () => {
    expect(snapshotIdentifier(N, 'orders-db', '202611270300', 'shared')).toBe(`shared-orders-db-202611270300-${MARK}`);
    expect(snapshotIdentifier(N, 'orders-db', '202611270300', 'temporary')).toBe(`shared-orders-db-202611270300-${MARK}-tmp`);
  });

  test('lowercases the cluster identifier, as RDS stores it', () => {
    expect(snapshotIdentifier(N, 'Orders-DB', '202611270300', 'shared')).toBe(`shared-orders-db-202611270300-${MARK}`);
  });

  test('keeps a cluster id shorter than the room and shortens one of exactly the room', () => {
    // 63 - 'shared'(6) - run(12) - owner(6) - '-tmp'(4) - 3 hyphens = 32 characters of room for the cluster.
    const fits = 'c'.repeat(31);
    expect(snapshotIdentifier(N, fits, '202611270300', 'temporary')).toBe(`shared-${fits}-202611270300-${MARK}-tmp`);
    const exactlyRoom = 'c'.repeat(32);
    const id = snapshotIdentifier(N, exactlyRoom, '202611270300', 'temporary');
    expect(id).toMatch(new RegExp(`^shared-c{21}-[0-9a-f]{10}-202611270300-${MARK}-tmp$`));
    expect(id).toHaveLength(63);
    const tooLong = 'c'.repeat(40);
    expect(snapshotIdentifier(N, tooLong, '202611270300', 'temporary')).toMatch(new RegExp(`^shared-c{21}-[0-9a-f]{10}-202611270300-${MARK}-tmp$`));
    expect(snapshotIdentifier(N, tooLong, '202611270300', 'temporary')).not.toBe(id);
  });

  test('a cluster id spelling another id\'s shortened form gets a name of its own', () => {
    // Were a room-length id kept as it is, this one would be named exactly like `long`.
    const long = `orders-${'x'.repeat(50)}`;
    const longName = snapshotIdentifier(N, long, '202611270300', 'shared');
    const imposter = longName.slice('shared-'.length, -`-202611270300-${MARK}`.length);
    expect(imposter).toHaveLength(32);
    expect(isValidIdentifier(imposter)).toBe(true);
    const imposterName = snapshotIdentifier(N, imposter, '202611270300', 'shared');
    expect(imposterName).not.toBe(longName);
    expect(imposterName).toMatch(new RegExp(`^shared-orders-x{14}-[0-9a-f]{10}-202611270300-${MARK}$`));
    expect(snapshotIdentifier(N, imposter, '202611270300', 'temporary')).not.toBe(snapshotIdentifier(N, long, '202611270300', 'temporary'));
  });

  test('shortens a 63-character cluster id with a hash of the whole id', () => {
    const a = `${'a'.repeat(62)}1`;
    const b = `${'a'.repeat(62)}2`;
    const nameA = snapshotIdentifier(N, a, '202611270300', 'shared');
    const nameB = snapshotIdentifier(N, b, '202611270300', 'shared');
    expect(nameA).not.toBe(nameB);
    expect(nameA).toMatch(new RegExp(`^shared-a{21}-[0-9a-f]{10}-202611270300-${MARK}$`));
    expect(snapshotIdentifier(N, a, '202611270300', 'temporary')).not.toBe(snapshotIdentifier(N, b, '202611270300', 'temporary'));
    expect(isRdsIdentifier(nameA)).toBe(true);
  });

  test('does not produce a double hyphen when the cut falls after a hyphen: the hyphen becomes a 0', () => {
    // The head kept is 21 characters; character 21 is a hyphen.
    const cluster = `${'a'.repeat(20)}-${'b'.repeat(30)}`;
    const id = snapshotIdentifier(N, cluster, '202611270300', 'shared');
    expect(id).toMatch(new RegExp(`^shared-a{20}0-[0-9a-f]{10}-202611270300-${MARK}$`));
    expect(id).toHaveLength(63 - '-tmp'.length);
    expect(isRdsIdentifier(id)).toBe(true);
  });

  test('ids that differ only in a hyphen or 0 at the cut still get different names', () => {
    const hyphen = `${'a'.repeat(20)}-${'b'.repeat(30)}`;
    const zero = `${'a'.repeat(20)}0${'b'.repeat(30)}`;
    expect(snapshotIdentifier(N, hyphen, '202611270300', 'shared')).not.toBe(snapshotIdentifier(N, zero, '202611270300', 'shared'));
  });

  test('is deterministic', () => {
    const long = `orders-${'x'.repeat(56)}`;
    expect(snapshotIdentifier(N, long, '202611270300', 'shared')).toBe(snapshotIdentifier(naming(), long, '202611270300', 'shared'));
  });

  test('with the longest prefix still keeps the start of the cluster id', () => {
    const prefix = 'p'.repeat(MAX_PREFIX_LENGTH);
    const id = snapshotIdentifier(naming(prefix), `orders-${'x'.repeat(56)}`, '202611270300', 'temporary');
    expect(id).toHaveLength(63);
    expect(id).toMatch(new RegExp(`^${prefix}-ord-[0-9a-f]{10}-202611270300-${MARK}-tmp$`));
    expect(isRdsIdentifier(id)).toBe(true);
  });

  test.each([
    ['Shared', 'orders-db', '202611270300', /prefix/],
    ['shared', 'orders--db', '202611270300', /cluster identifier/],
    ['shared', 'orders*', '202611270300', /cluster identifier/],
    ['shared', 'orders-db', '2026112703', /run id/],
  ])('throws for prefix %p, cluster %p, run %p', (prefix, cluster, runId, message) => {
    expect(() => snapshotIdentifier(naming(prefix), cluster, runId, 'shared')).toThrow(message);
  });

  test('throws for an empty owner id', () => {
    expect(() => snapshotIdentifier(naming('shared', ''), 'orders-db', '202611270300', 'shared')).toThrow(/owner id/);
  });

  test('every name is a valid RDS identifier (property)', () => {
    fc.assert(
      fc.property(prefixes, owners, clusterIds, runIds, fc.constantFrom('shared' as const, 'temporary' as const), (prefix, owner, cluster, runId, role) => {
        const id = snapshotIdentifier(naming(prefix, owner), cluster, runId, role);
        expect(isRdsIdentifier(id)).toBe(true);
        expect(isValidIdentifier(id)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  test('the shared and temporary names never coincide, for any two clusters, runs and owners (property)', () => {
    fc.assert(
      fc.property(prefixes, owners, owners, clusterIds, clusterIds, runIds, runIds, (prefix, o1, o2, c1, c2, r1, r2) => {
        expect(snapshotIdentifier(naming(prefix, o1), c1, r1, 'shared')).not.toBe(snapshotIdentifier(naming(prefix, o2), c2, r2, 'temporary'));
      }),
      { numRuns: 500 },
    );
  });

  test('different clusters or runs get different names (property)', () => {
    fc.assert(
      fc.property(clusterIds, clusterIds, runIds, runIds, (c1, c2, r1, r2) => {
        fc.pre(c1 !== c2 || r1 !== r2);
        expect(snapshotIdentifier(N, c1, r1, 'shared')).not.toBe(snapshotIdentifier(N, c2, r2, 'shared'));
      }),
      { numRuns: 500 },
    );
  });

  test('an id never gets the name of another, even one built from the other\'s shortened form (property)', () => {
    /** The cluster part of a name: what `cluster` is kept or shortened to. */
    const clusterPart = (prefix: string, cluster: string, runId: string) =>
      snapshotIdentifier(naming(prefix), cluster, runId, 'shared').slice(prefix.length + 1, -(runId.length + 1 + MARK.length + 1));
    const rivals = fc.tuple(prefixes, clusterIds, clusterIds, runIds, fc.constantFrom('random', 'shortened', 'shortened-cut', 'shortened-extended'))
      .map(([prefix, a, other, runId, how]) => {
        const part = clusterPart(prefix, a, runId);
        const b = {
          'random': other,
          'shortened': part,
          'shortened-cut': part.slice(0, -1),
          'shortened-extended': `${part}0`,
        }[how];
        return { prefix, a, b, runId };
      });
    fc.assert(
      fc.property(rivals, ({ prefix, a, b, runId }) => {
        fc.pre(a !== b && isValidIdentifier(b));
        for (const role of ['shared', 'temporary'] as const) {
          expect(snapshotIdentifier(naming(prefix), a, runId, role)).not.toBe(snapshotIdentifier(naming(prefix), b, runId, role));
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('two instances on the same clusters and schedule', () => {
  test('never derive the same name for the same cluster, run and role', () => {
    // Two apps with the same construct path but different stack names, and two instances in one stack.
    const instances = [
      ownerIdFor('team-a-snapshots', ['Snapshots']),
      ownerIdFor('team-b-snapshots', ['Snapshots']),
      ownerIdFor('team-a-snapshots', ['Analytics']),
    ];
    for (const role of ['shared', 'temporary'] as const) {
      const names = instances.map((ownerId) => snapshotIdentifier(naming('shared', ownerId), 'orders-db', '202611270200', role));
      expect(new Set(names).size).toBe(instances.length);
      for (const name of names) expect(name).toMatch(role === 'shared' ? /^shared-orders-db-202611270200-[0-9a-z]{6}$/ : /^shared-orders-db-202611270200-[0-9a-z]{6}-tmp$/);
    }
  });

  test('distinct owner ids get distinct names for every cluster, run and role (property)', () => {
    fc.assert(
      fc.property(prefixes, owners, owners, clusterIds, runIds, fc.constantFrom('shared' as const, 'temporary' as const), (prefix, o1, o2, cluster, runId, role) => {
        fc.pre(o1 !== o2);
        expect(snapshotIdentifier(naming(prefix, o1), cluster, runId, role)).not.toBe(snapshotIdentifier(naming(prefix, o2), cluster, runId, role));
      }),
      { numRuns: 2000 },
    );
  });

  test('the name is equal exactly when prefix, owner part, cluster, run and role are (property)', () => {
    fc.assert(
      fc.property(owners, owners, clusterIds, runIds, (o1, o2, cluster, runId) => {
        const same = ownerDiscriminator(o1) === ownerDiscriminator(o2);
        expect(snapshotIdentifier(naming('shared', o1), cluster, runId, 'shared') === snapshotIdentifier(naming('shared', o2), cluster, runId, 'shared')).toBe(same);
      }),
      { numRuns: 500 },
    );
  });
});

describe('ownerDiscriminator', () => {
  test('is 6 lowercase letters or digits, deterministic', () => {
    expect(OWNER_DISCRIMINATOR_LENGTH).toBe(6);
    expect(ownerDiscriminator(OWNER)).toBe(MARK);
    fc.assert(fc.property(owners, (owner) => {
      expect(ownerDiscriminator(owner)).toMatch(/^[0-9a-z]{6}$/);
      expect(ownerDiscriminator(owner)).toBe(ownerDiscriminator(owner));
    }));
  });

  test('differs for 20,000 distinct owner ids', () => {
    const marks = new Set(Array.from({ length: 20_000 }, (_, i) => ownerDiscriminator(`stack-${i}/Snapshots`)));
    expect(marks.size).toBe(20_000);
  });
});

describe('ownerIdFor', () => {
  test('is <stack name>/<path below the stack>, readable', () => {
    expect(ownerIdFor('data-platform', ['Snapshots'])).toBe('data-platform/Snapshots');
    expect(ownerIdFor('data-platform', ['Team', 'Snapshots'])).toBe('data-platform/Team/Snapshots');
  });

  test('distinct stack names or paths give distinct ids', () => {
    const ids = [
      ownerIdFor('a', ['Snapshots']),
      ownerIdFor('b', ['Snapshots']),
      ownerIdFor('a', ['Other']),
      ownerIdFor('a', ['Snap', 'shots']),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('a path with characters a tag value may not hold is made safe, with a hash that keeps it distinct', () => {
    const id = ownerIdFor('s', ['Snap(shots)']);
    expect(id).toMatch(/^s\/Snap_shots_-[0-9a-f]{10}$/);
    expect(id).not.toBe(ownerIdFor('s', ['Snap[shots]']));
    expect(id).not.toBe(ownerIdFor('s', ['Snap_shots_']));
  });

  test('a long path is cut so that the id fits a tag value (256 characters) with any stack name', () => {
    const id = ownerIdFor('x'.repeat(128), ['p'.repeat(300)]);
    expect(id.length).toBeLessThanOrEqual(256);
    expect(id).toMatch(/-[0-9a-f]{10}$/);
    expect(id).not.toBe(ownerIdFor('x'.repeat(128), [`${'p'.repeat(300)}q`]));
  });

  test('a token stack name is passed through unchanged, to be resolved at deploy time', () => {
    expect(ownerIdFor('${Token[AWS.StackName.12]}', ['Snapshots'])).toBe('${Token[AWS.StackName.12]}/Snapshots');
  });

  test('needs a path', () => {
    expect(() => ownerIdFor('s', [])).toThrow(/path/);
  });
});

describe('executionName', () => {
  test('is <cluster>-<runId>', () => {
    expect(executionName('orders-db', '202611270300')).toBe('orders-db-202611270300');
  });

  test('lowercases the cluster id', () => {
    expect(executionName('Orders-DB', '202611270300')).toBe('orders-db-202611270300');
  });

  test('keeps a 63-character cluster id whole', () => {
    const cluster = 'a'.repeat(63);
    expect(executionName(cluster, '202611270300')).toBe(`${cluster}-202611270300`);
  });

  test('shortens a longer value to at most 80 characters', () => {
    const name = executionName('a'.repeat(100), '202611270300');
    expect(name.length).toBeLessThanOrEqual(MAX_EXECUTION_NAME_LENGTH);
    expect(name).toMatch(EXECUTION_NAME);
  });

  test('is at most 80 of [0-9A-Za-z-_] for every cluster and run (property)', () => {
    fc.assert(
      fc.property(clusterIds, runIds, (cluster, runId) => {
        const name = executionName(cluster, runId);
        expect(name).toMatch(EXECUTION_NAME);
        expect(name).toBe(executionName(cluster, runId));
      }),
      { numRuns: 500 },
    );
  });
});

describe('shorten', () => {
  test('leaves a value shorter than the room unchanged', () => {
    expect(shorten('orders-db', 10)).toBe('orders-db');
  });

  test('shortens a value of exactly the room to the room', () => {
    const out = shorten('x'.repeat(30), 30);
    expect(out).toMatch(/^x{19}-[0-9a-f]{10}$/);
    expect(out).toHaveLength(30);
    expect(shorten('orders-db', 9)).not.toBe('orders-db');
  });

  test('ends a head that stops at a hyphen with 0, never "--"', () => {
    const out = shorten(`${'x'.repeat(18)}-${'y'.repeat(20)}`, 30);
    expect(out).toMatch(/^x{18}0-[0-9a-f]{10}$/);
    expect(out).toHaveLength(30);
  });

  test('cuts a longer value to the room, ending in a 10-character hash', () => {
    const out = shorten('x'.repeat(50), 30);
    expect(out).toMatch(/^x{19}-[0-9a-f]{10}$/);
    expect(out).toHaveLength(30);
  });

  test('keeps values shorter than the room, cuts the rest to exactly the room; never maps two values to one (property)', () => {
    fc.assert(
      fc.property(clusterIds, clusterIds, fc.integer({ min: 21, max: 67 }), (a, b, room) => {
        const out = shorten(a, room);
        if (a.length < room) expect(out).toBe(a);
        else expect(out).toHaveLength(room);
        expect(isRdsIdentifier(out)).toBe(true);
        // A value spelling a's shortened form is shortened again, to something else.
        if (a.length >= room) expect(shorten(out, room)).not.toBe(out);
        if (a !== b) expect(shorten(b, room)).not.toBe(out);
      }),
      { numRuns: 1000 },
    );
  });

  test('hashes the whole value: values differing only in the cut-off tail differ', () => {
    expect(shorten(`${'x'.repeat(40)}a`, 30)).not.toBe(shorten(`${'x'.repeat(40)}b`, 30));
  });
});
