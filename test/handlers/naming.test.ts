import * as fc from 'fast-check';
import { MAX_EXECUTION_NAME_LENGTH, MAX_IDENTIFIER_LENGTH, MAX_PREFIX_LENGTH } from '../../src/shared/constants';
import { executionName, isValidIdentifier, isValidPrefix, isValidRunId, runIdFromTime, shorten, snapshotIdentifier } from '../../src/shared/naming.lambda-shared';

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

describe('snapshotIdentifier', () => {
  test('names a short cluster <prefix>-<cluster>-<run> and <prefix>-<cluster>-<run>-tmp', () => {
    expect(snapshotIdentifier('shared', 'orders-db', '202611270300', 'shared')).toBe('shared-orders-db-202611270300');
    expect(snapshotIdentifier('shared', 'orders-db', '202611270300', 'temporary')).toBe('shared-orders-db-202611270300-tmp');
  });

  test('lowercases the cluster identifier, as RDS stores it', () => {
    expect(snapshotIdentifier('shared', 'Orders-DB', '202611270300', 'shared')).toBe('shared-orders-db-202611270300');
  });

  test('keeps a cluster id shorter than the room and shortens one of exactly the room', () => {
    // 63 - 'shared'(6) - run(12) - '-tmp'(4) - 2 hyphens = 39 characters of room for the cluster.
    const fits = 'c'.repeat(38);
    expect(snapshotIdentifier('shared', fits, '202611270300', 'temporary')).toBe(`shared-${fits}-202611270300-tmp`);
    const exactlyRoom = 'c'.repeat(39);
    const id = snapshotIdentifier('shared', exactlyRoom, '202611270300', 'temporary');
    expect(id).toMatch(/^shared-c{28}-[0-9a-f]{10}-202611270300-tmp$/);
    expect(id).toHaveLength(63);
    const tooLong = 'c'.repeat(40);
    expect(snapshotIdentifier('shared', tooLong, '202611270300', 'temporary')).toMatch(/^shared-c{28}-[0-9a-f]{10}-202611270300-tmp$/);
    expect(snapshotIdentifier('shared', tooLong, '202611270300', 'temporary')).not.toBe(id);
  });

  test('a cluster id spelling another id\'s shortened form gets a name of its own', () => {
    // Were a room-length id kept as it is, this one would be named exactly like `long`.
    const long = `orders-${'x'.repeat(50)}`;
    const longName = snapshotIdentifier('shared', long, '202611270300', 'shared');
    const imposter = longName.slice('shared-'.length, -'-202611270300'.length);
    expect(imposter).toHaveLength(39);
    expect(isValidIdentifier(imposter)).toBe(true);
    const imposterName = snapshotIdentifier('shared', imposter, '202611270300', 'shared');
    expect(imposterName).not.toBe(longName);
    expect(imposterName).toMatch(/^shared-orders-x{21}-[0-9a-f]{10}-202611270300$/);
    expect(snapshotIdentifier('shared', imposter, '202611270300', 'temporary')).not.toBe(snapshotIdentifier('shared', long, '202611270300', 'temporary'));
  });

  test('shortens a 63-character cluster id with a hash of the whole id', () => {
    const a = `${'a'.repeat(62)}1`;
    const b = `${'a'.repeat(62)}2`;
    const nameA = snapshotIdentifier('shared', a, '202611270300', 'shared');
    const nameB = snapshotIdentifier('shared', b, '202611270300', 'shared');
    expect(nameA).not.toBe(nameB);
    expect(nameA).toMatch(/^shared-a{28}-[0-9a-f]{10}-202611270300$/);
    expect(snapshotIdentifier('shared', a, '202611270300', 'temporary')).not.toBe(snapshotIdentifier('shared', b, '202611270300', 'temporary'));
    expect(isRdsIdentifier(nameA)).toBe(true);
  });

  test('does not produce a double hyphen when the cut falls after a hyphen: the hyphen becomes a 0', () => {
    // The head kept is 28 characters; character 28 is a hyphen.
    const cluster = `${'a'.repeat(27)}-${'b'.repeat(30)}`;
    const id = snapshotIdentifier('shared', cluster, '202611270300', 'shared');
    expect(id).toMatch(/^shared-a{27}0-[0-9a-f]{10}-202611270300$/);
    expect(id).toHaveLength(63 - '-tmp'.length);
    expect(isRdsIdentifier(id)).toBe(true);
  });

  test('ids that differ only in a hyphen or 0 at the cut still get different names', () => {
    const hyphen = `${'a'.repeat(27)}-${'b'.repeat(30)}`;
    const zero = `${'a'.repeat(27)}0${'b'.repeat(30)}`;
    expect(snapshotIdentifier('shared', hyphen, '202611270300', 'shared')).not.toBe(snapshotIdentifier('shared', zero, '202611270300', 'shared'));
  });

  test('is deterministic', () => {
    const long = `orders-${'x'.repeat(56)}`;
    expect(snapshotIdentifier('shared', long, '202611270300', 'shared')).toBe(snapshotIdentifier('shared', long, '202611270300', 'shared'));
  });

  test('with the longest prefix still keeps a readable part of the cluster id', () => {
    const prefix = 'p'.repeat(MAX_PREFIX_LENGTH);
    const id = snapshotIdentifier(prefix, `orders-${'x'.repeat(56)}`, '202611270300', 'temporary');
    expect(id).toHaveLength(63);
    expect(id.startsWith(`${prefix}-orders-xxx`)).toBe(true);
    expect(isRdsIdentifier(id)).toBe(true);
  });

  test.each([
    ['Shared', 'orders-db', '202611270300', /prefix/],
    ['shared', 'orders--db', '202611270300', /cluster identifier/],
    ['shared', 'orders*', '202611270300', /cluster identifier/],
    ['shared', 'orders-db', '2026112703', /run id/],
  ])('throws for prefix %p, cluster %p, run %p', (prefix, cluster, runId, message) => {
    expect(() => snapshotIdentifier(prefix, cluster, runId, 'shared')).toThrow(message);
  });

  test('every name is a valid RDS identifier (property)', () => {
    fc.assert(
      fc.property(prefixes, clusterIds, runIds, fc.constantFrom('shared' as const, 'temporary' as const), (prefix, cluster, runId, role) => {
        const id = snapshotIdentifier(prefix, cluster, runId, role);
        expect(isRdsIdentifier(id)).toBe(true);
        expect(isValidIdentifier(id)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  test('the shared and temporary names never coincide, for any two clusters and runs (property)', () => {
    fc.assert(
      fc.property(prefixes, clusterIds, clusterIds, runIds, runIds, (prefix, c1, c2, r1, r2) => {
        expect(snapshotIdentifier(prefix, c1, r1, 'shared')).not.toBe(snapshotIdentifier(prefix, c2, r2, 'temporary'));
      }),
      { numRuns: 500 },
    );
  });

  test('different clusters or runs get different names (property)', () => {
    fc.assert(
      fc.property(clusterIds, clusterIds, runIds, runIds, (c1, c2, r1, r2) => {
        fc.pre(c1 !== c2 || r1 !== r2);
        expect(snapshotIdentifier('shared', c1, r1, 'shared')).not.toBe(snapshotIdentifier('shared', c2, r2, 'shared'));
      }),
      { numRuns: 500 },
    );
  });
  test('an id never gets the name of another, even one built from the other\'s shortened form (property)', () => {
    /** The cluster part of a name: what `cluster` is kept or shortened to. */
    const clusterPart = (prefix: string, cluster: string, runId: string) =>
      snapshotIdentifier(prefix, cluster, runId, 'shared').slice(prefix.length + 1, -(runId.length + 1));
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
          expect(snapshotIdentifier(prefix, a, runId, role)).not.toBe(snapshotIdentifier(prefix, b, runId, role));
        }
      }),
      { numRuns: 1000 },
    );
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
