import { ENV } from '../../../src/shared/constants';
import { createdSnapshotTags, extraSnapshotTags } from '../../../src/sharing/handlers/snapshot-tags.lambda-shared';

const OWNERSHIP = { ownerId: 'Stack/Snapshots', clusterIdentifier: 'orders-db', role: 'shared', runId: '202611270300' } as const;

const original = process.env;
beforeEach(() => {
  process.env = { ...original };
  delete process.env[ENV.SNAPSHOT_TAGS];
});
afterAll(() => {
  process.env = original;
});

describe('extraSnapshotTags (snapshotTags, as the construct writes them)', () => {
  test('absent or empty: none (the construct sets the variable only when there are tags)', () => {
    expect(extraSnapshotTags()).toEqual([]);
    process.env[ENV.SNAPSHOT_TAGS] = '';
    expect(extraSnapshotTags()).toEqual([]);
  });

  test('a JSON object: one tag per entry, in order, empty values kept', () => {
    process.env[ENV.SNAPSHOT_TAGS] = JSON.stringify({ 'cost-center': '1234', 'env': '' });
    expect(extraSnapshotTags()).toEqual([{ Key: 'cost-center', Value: '1234' }, { Key: 'env', Value: '' }]);
  });

  test.each([
    ['not JSON', 'cost-center=1234'],
    ['an array', '[["cost-center","1234"]]'],
    ['a non-string value', '{"cost-center":1234}'],
    ['null', 'null'],
  ])('%s: a named deployment error, not "no tags"', (_name, raw) => {
    process.env[ENV.SNAPSHOT_TAGS] = raw;
    expect(() => extraSnapshotTags()).toThrow(`Environment variable ${ENV.SNAPSHOT_TAGS} is not a JSON object of string values`);
  });

  test('a reserved key (any case) cannot override the ownership tags', () => {
    process.env[ENV.SNAPSHOT_TAGS] = JSON.stringify({ 'Shared-Cluster-Snapshots:owner': 'someone-else' });
    expect(() => extraSnapshotTags()).toThrow("reserved tag key 'Shared-Cluster-Snapshots:owner'");
  });
});

test('createdSnapshotTags: the four ownership tags first, then the extra tags', () => {
  process.env[ENV.SNAPSHOT_TAGS] = JSON.stringify({ team: 'data' });
  expect(createdSnapshotTags(OWNERSHIP)).toEqual([
    { Key: 'shared-cluster-snapshots:owner', Value: 'Stack/Snapshots' },
    { Key: 'shared-cluster-snapshots:cluster', Value: 'orders-db' },
    { Key: 'shared-cluster-snapshots:role', Value: 'shared' },
    { Key: 'shared-cluster-snapshots:run', Value: '202611270300' },
    { Key: 'team', Value: 'data' },
  ]);
});
