import * as zlib from 'zlib';
import { compressedList, integerEnv, listEnv, requireEnv } from '../../../src/shared/config.lambda-shared';
import { ENV } from '../../../src/shared/constants';
import { clusterSelection } from '../../../src/sharing/handlers/selection.lambda-shared';

// zlib's exports cannot be redefined by jest.spyOn: wrap gunzipSync to count the decompressions.
jest.mock('zlib', () => {
  const actual = jest.requireActual<typeof import('zlib')>('zlib');
  return { ...actual, gunzipSync: jest.fn(actual.gunzipSync) };
});

const ORIGINAL_ENV = process.env;

/** The construct's encoding of a long id list: gzip of the comma-joined ids, base64. */
function encode(ids: string[] | string): string {
  return zlib.gzipSync(Buffer.from(Array.isArray(ids) ? ids.join(',') : ids, 'utf8')).toString('base64');
}

beforeEach(() => {
  process.env = { ...ORIGINAL_ENV };
  delete process.env[ENV.CLUSTER_IDENTIFIERS];
  delete process.env[ENV.CLUSTER_IDENTIFIERS_GZIP];
  delete process.env[ENV.CLUSTER_TAG_KEY];
  delete process.env[ENV.CLUSTER_TAG_VALUE];
});

afterEach(() => {
  process.env = ORIGINAL_ENV;
});

describe('compressedList', () => {
  test('decodes base64 of gzip of a comma-joined list', () => {
    process.env.SOME_LIST = encode(['orders-db', 'billing-db', 'analytics-db']);
    expect(compressedList('SOME_LIST')).toEqual(['orders-db', 'billing-db', 'analytics-db']);
  });

  test('an unset or empty variable is an empty list', () => {
    expect(compressedList('UNSET_LIST')).toEqual([]);
    process.env.EMPTY_LIST = '';
    expect(compressedList('EMPTY_LIST')).toEqual([]);
  });

  test('a compressed empty string is an empty list; empty entries are dropped', () => {
    process.env.SOME_LIST = encode('');
    expect(compressedList('SOME_LIST')).toEqual([]);
    process.env.SOME_LIST = encode(',a-db,,b-db,');
    expect(compressedList('SOME_LIST')).toEqual(['a-db', 'b-db']);
  });

  test('a thousand ids round-trip, in order', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `cluster-${i}`);
    process.env.SOME_LIST = encode(ids);
    expect(compressedList('SOME_LIST')).toEqual(ids);
  });

  test('each value is decompressed once, then served from the cache', () => {
    const gunzip = jest.mocked(zlib.gunzipSync);
    gunzip.mockClear();
    process.env.SOME_LIST = encode(['cached-once-db']);
    expect(compressedList('SOME_LIST')).toEqual(['cached-once-db']);
    expect(compressedList('SOME_LIST')).toEqual(['cached-once-db']);
    expect(gunzip).toHaveBeenCalledTimes(1);
    // A new value is decoded afresh.
    process.env.SOME_LIST = encode(['cached-twice-db']);
    expect(compressedList('SOME_LIST')).toEqual(['cached-twice-db']);
    expect(gunzip).toHaveBeenCalledTimes(2);
  });

  test('a value that is not gzip fails loudly rather than selecting nothing', () => {
    process.env.SOME_LIST = Buffer.from('orders-db,billing-db').toString('base64');
    expect(() => compressedList('SOME_LIST')).toThrow();
  });
});

describe('clusterSelection', () => {
  test('reads CLUSTER_IDENTIFIERS_GZIP alone', () => {
    process.env[ENV.CLUSTER_IDENTIFIERS_GZIP] = encode(['orders-db', 'billing-db']);
    expect(clusterSelection()).toEqual({ clusterIdentifiers: ['orders-db', 'billing-db'], tag: undefined });
  });

  test('merges CLUSTER_IDENTIFIERS_GZIP after CLUSTER_IDENTIFIERS, lowercasing both', () => {
    process.env[ENV.CLUSTER_IDENTIFIERS] = ' Orders-DB , zeta-db';
    process.env[ENV.CLUSTER_IDENTIFIERS_GZIP] = encode(['Billing-DB', 'ANALYTICS-DB']);
    expect(clusterSelection().clusterIdentifiers).toEqual(['orders-db', 'zeta-db', 'billing-db', 'analytics-db']);
  });

  test('keeps a tag selection beside the compressed list', () => {
    process.env[ENV.CLUSTER_IDENTIFIERS_GZIP] = encode(['orders-db']);
    process.env[ENV.CLUSTER_TAG_KEY] = 'share-snapshots';
    process.env[ENV.CLUSTER_TAG_VALUE] = 'true';
    expect(clusterSelection()).toEqual({ clusterIdentifiers: ['orders-db'], tag: { key: 'share-snapshots', value: 'true' } });
  });

  test('a tag key without a value selects the empty value', () => {
    process.env[ENV.CLUSTER_TAG_KEY] = 'share-snapshots';
    expect(clusterSelection()).toEqual({ clusterIdentifiers: [], tag: { key: 'share-snapshots', value: '' } });
  });

  test('nothing configured: no ids, no tag', () => {
    expect(clusterSelection()).toEqual({ clusterIdentifiers: [], tag: undefined });
  });
});

describe('the other readers', () => {
  test('listEnv trims and drops empty entries', () => {
    process.env.SOME_LIST = ' a-db,, b-db ,';
    expect(listEnv('SOME_LIST')).toEqual(['a-db', 'b-db']);
    expect(listEnv('UNSET_LIST')).toEqual([]);
  });

  test('requireEnv refuses an unset or empty variable', () => {
    process.env.EMPTY = '';
    expect(() => requireEnv('EMPTY')).toThrow(/EMPTY is not set/);
    expect(() => requireEnv('UNSET_VARIABLE')).toThrow(/UNSET_VARIABLE is not set/);
  });

  test('integerEnv: no fallback; an error for an unset, empty or non-integer variable', () => {
    expect(() => integerEnv('UNSET_NUMBER')).toThrow(/UNSET_NUMBER is not set/);
    process.env.SOME_NUMBER = '';
    expect(() => integerEnv('SOME_NUMBER')).toThrow(/SOME_NUMBER is not set/);
    process.env.SOME_NUMBER = '12';
    expect(integerEnv('SOME_NUMBER')).toBe(12);
    process.env.SOME_NUMBER = '1.5';
    expect(() => integerEnv('SOME_NUMBER')).toThrow(/SOME_NUMBER is not an integer: '1.5'/);
  });
});
