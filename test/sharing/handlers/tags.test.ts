import { TAG_CLUSTER, TAG_OWNER, TAG_ROLE, TAG_RUN } from '../../../src/shared/constants';
import { isOwnedBy, ownershipOf, ownershipTags, tagValue } from '../../../src/sharing/handlers/tags.lambda-shared';

const OWNER = 'stack-owner-1';
const TAGS = [
  { Key: 'shared-cluster-snapshots:owner', Value: OWNER },
  { Key: 'shared-cluster-snapshots:cluster', Value: 'orders-db' },
  { Key: 'shared-cluster-snapshots:role', Value: 'shared' },
  { Key: 'shared-cluster-snapshots:run', Value: '202611270300' },
];

describe('ownershipTags', () => {
  test('are the four ownership tags, in order', () => {
    expect(ownershipTags({ ownerId: OWNER, clusterIdentifier: 'orders-db', role: 'shared', runId: '202611270300' })).toEqual(TAGS);
  });

  test('use the documented keys', () => {
    expect([TAG_OWNER, TAG_CLUSTER, TAG_ROLE, TAG_RUN]).toEqual([
      'shared-cluster-snapshots:owner',
      'shared-cluster-snapshots:cluster',
      'shared-cluster-snapshots:role',
      'shared-cluster-snapshots:run',
    ]);
  });
});

describe('tagValue', () => {
  test('finds a tag by key', () => {
    expect(tagValue(TAGS, TAG_ROLE)).toBe('shared');
  });

  test('is undefined for a missing tag or tag list', () => {
    expect(tagValue(TAGS, 'Name')).toBeUndefined();
    expect(tagValue(undefined, TAG_ROLE)).toBeUndefined();
    expect(tagValue([], TAG_ROLE)).toBeUndefined();
  });

  test('matches the key exactly (case-sensitive)', () => {
    expect(tagValue(TAGS, TAG_ROLE.toUpperCase())).toBeUndefined();
  });
});

describe('ownershipOf', () => {
  test('reads all four tags', () => {
    expect(ownershipOf({ TagList: TAGS })).toEqual({ ownerId: OWNER, clusterIdentifier: 'orders-db', role: 'shared', runId: '202611270300' });
  });

  test('ignores other tags', () => {
    expect(ownershipOf({ TagList: [{ Key: 'team', Value: 'payments' }, ...TAGS] })).toEqual(expect.objectContaining({ ownerId: OWNER }));
  });

  test.each([TAG_OWNER, TAG_CLUSTER, TAG_ROLE, TAG_RUN])('is undefined without %s', (key) => {
    expect(ownershipOf({ TagList: TAGS.filter((t) => t.Key !== key) })).toBeUndefined();
  });

  test.each([TAG_OWNER, TAG_CLUSTER, TAG_RUN])('is undefined when %s is empty', (key) => {
    expect(ownershipOf({ TagList: TAGS.map((t) => (t.Key === key ? { ...t, Value: '' } : t)) })).toBeUndefined();
  });

  test('is undefined for an unknown role', () => {
    expect(ownershipOf({ TagList: TAGS.map((t) => (t.Key === TAG_ROLE ? { ...t, Value: 'Shared' } : t)) })).toBeUndefined();
  });

  test('is undefined without tags', () => {
    expect(ownershipOf({})).toBeUndefined();
  });
});

describe('isOwnedBy', () => {
  const snapshot = { TagList: TAGS, DBClusterIdentifier: 'orders-db' };

  test('matches owner and cluster', () => {
    expect(isOwnedBy(snapshot, { ownerId: OWNER, clusterIdentifier: 'orders-db' })).toBe(true);
  });

  test('matches owner, cluster, role and run', () => {
    expect(isOwnedBy(snapshot, { ownerId: OWNER, clusterIdentifier: 'orders-db', role: 'shared', runId: '202611270300' })).toBe(true);
  });

  test('does not match another owner', () => {
    expect(isOwnedBy(snapshot, { ownerId: 'someone-else', clusterIdentifier: 'orders-db' })).toBe(false);
  });

  test('does not match another cluster tag', () => {
    expect(isOwnedBy({ TagList: TAGS }, { ownerId: OWNER, clusterIdentifier: 'billing-db' })).toBe(false);
  });

  test('does not match a snapshot of another cluster carrying this cluster\'s tags', () => {
    expect(isOwnedBy({ ...snapshot, DBClusterIdentifier: 'billing-db' }, { ownerId: OWNER, clusterIdentifier: 'orders-db' })).toBe(false);
  });

  test('accepts a snapshot whose DBClusterIdentifier is not given', () => {
    expect(isOwnedBy({ TagList: TAGS }, { ownerId: OWNER, clusterIdentifier: 'orders-db' })).toBe(true);
  });

  test('does not match another role', () => {
    expect(isOwnedBy(snapshot, { ownerId: OWNER, clusterIdentifier: 'orders-db', role: 'temporary' })).toBe(false);
  });

  test('does not match another run', () => {
    expect(isOwnedBy(snapshot, { ownerId: OWNER, clusterIdentifier: 'orders-db', runId: '202611260300' })).toBe(false);
  });

  test('does not match a snapshot without ownership tags', () => {
    expect(isOwnedBy({ TagList: [], DBClusterIdentifier: 'orders-db' }, { ownerId: OWNER, clusterIdentifier: 'orders-db' })).toBe(false);
  });
});
