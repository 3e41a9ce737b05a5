import {
  COPY_ID, COPY_PREFIX, DB_COPY_ID, DB_SHARED_ARN, DB_SHARED_ID, OTHER_SOURCE, SAME_NAME_DB_COPY_ID, SAME_NAME_DB_SHARED_ARN, SHARED_ARN, SHARED_ID,
  SOURCE, STRANGER, sharedArn, useReceiverEnvironment,
} from './helpers';
import { SnapshotNotFromSource, SnapshotNotSelected } from '../../src/receiving/handlers/errors.lambda-shared';
import { receiverSettings } from '../../src/receiving/handlers/settings.lambda-shared';
import {
  assertDatabaseSelected, copyExecutionName, copyIdentifier, isSelected, parseSourceSnapshotArn, selectedKinds, SourceSnapshotRef,
} from '../../src/receiving/handlers/sources.lambda-shared';
import { isValidIdentifier } from '../../src/shared/naming.lambda-shared';

describe('parseSourceSnapshotArn: the event is untrusted', () => {
  useReceiverEnvironment();

  test('accepts a source account\'s snapshot in this Region with the prefix', () => {
    expect(parseSourceSnapshotArn(SHARED_ARN, receiverSettings(), SOURCE)).toEqual({
      arn: SHARED_ARN, kind: 'cluster', account: SOURCE, region: 'eu-west-1', snapshotIdentifier: SHARED_ID,
    });
  });

  test('a DB snapshot ARN (type `snapshot`) is a DB instance\'s', () => {
    expect(parseSourceSnapshotArn(DB_SHARED_ARN, receiverSettings(), SOURCE)).toEqual({
      arn: DB_SHARED_ARN, kind: 'instance', account: SOURCE, region: 'eu-west-1', snapshotIdentifier: DB_SHARED_ID,
    });
  });

  test.each([
    ['not an ARN', 'shared-orders-db', /is not a DB cluster snapshot or DB snapshot ARN/],
    ['not a string', 42, /is not a DB cluster snapshot or DB snapshot ARN/],
    ['a DB instance, not a snapshot', `arn:aws:rds:eu-west-1:${SOURCE}:db:${SHARED_ID}`, /is not a DB cluster snapshot or DB snapshot ARN/],
    ['a snapshot of an unknown kind', `arn:aws:rds:eu-west-1:${SOURCE}:tenant-snapshot:${SHARED_ID}`, /is not a DB cluster snapshot or DB snapshot ARN/],
    ['an account outside the sources', sharedArn(SHARED_ID, STRANGER), /belongs to account 444444444444, which is not one of the source accounts \(111111111111, 333333333333\)/],
    ['another Region', sharedArn(SHARED_ID, SOURCE, 'us-east-1'), /is in Region us-east-1; this receiver copies from eu-west-1 only/],
    ['an id without the prefix', sharedArn('nightly-orders-db-1'), /does not start with sourceSnapshotPrefix 'shared'/],
  ])('refuses %s with SnapshotNotFromSource', (_name, arn, message) => {
    const call = () => parseSourceSnapshotArn(arn, receiverSettings());
    expect(call).toThrow(SnapshotNotFromSource);
    expect(call).toThrow(message);
  });

  // The receive-event function skips what is only outside the selection (the prefix), and refuses the rest.
  test.each([
    ['an id without the prefix', sharedArn('nightly-orders-db-1'), true],
    ['an account outside the sources', sharedArn(SHARED_ID, STRANGER), false],
    ['another Region', sharedArn(SHARED_ID, SOURCE, 'us-east-1'), false],
  ])('%s is outside the selection (SnapshotNotSelected): %p; named SnapshotNotFromSource either way', (_name, arn, notSelected) => {
    let error: Error | undefined;
    try {
      parseSourceSnapshotArn(arn, receiverSettings());
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('SnapshotNotFromSource');
    expect(error instanceof SnapshotNotSelected).toBe(notSelected);
  });

  test('refuses a snapshot of another source account than the one that sent the event', () => {
    expect(() => parseSourceSnapshotArn(sharedArn(SHARED_ID, OTHER_SOURCE), receiverSettings(), SOURCE))
      .toThrow(/belongs to account 333333333333, but the event came from account 111111111111/);
  });
});

describe('assertDatabaseSelected', () => {
  const cluster = (): SourceSnapshotRef => ({ arn: SHARED_ARN, kind: 'cluster', account: SOURCE, region: 'eu-west-1', snapshotIdentifier: SHARED_ID });
  const instance = (): SourceSnapshotRef => ({ arn: DB_SHARED_ARN, kind: 'instance', account: SOURCE, region: 'eu-west-1', snapshotIdentifier: DB_SHARED_ID });

  describe('with clusterIdentifiers only', () => {
    useReceiverEnvironment({ SOURCE_CLUSTER_IDENTIFIERS: 'orders-db,Billing-DB' });

    test('accepts listed clusters case-insensitively and refuses others by name', () => {
      expect(assertDatabaseSelected(cluster(), 'BILLING-db', receiverSettings())).toBe('billing-db');
      expect(() => assertDatabaseSelected(cluster(), 'hr-db', receiverSettings())).toThrow(SnapshotNotSelected);
      expect(() => assertDatabaseSelected(cluster(), 'hr-db', receiverSettings())).toThrow(/cluster 'hr-db', which is not one of clusterIdentifiers \(orders-db, billing-db\)/);
      expect(() => assertDatabaseSelected(cluster(), undefined, receiverSettings())).toThrow(/names no valid source cluster/);
    });

    test('a list of clusters selects no DB instance, even one of a listed name: only the listed databases are copied', () => {
      expect(() => assertDatabaseSelected(instance(), 'orders-db', receiverSettings())).toThrow(SnapshotNotSelected);
      expect(() => assertDatabaseSelected(instance(), 'orders-db', receiverSettings())).toThrow(/DB instance 'orders-db', which is not one of instanceIdentifiers \(none listed\)/);
      expect(selectedKinds(receiverSettings())).toEqual(['cluster']);
    });

    test('a DB snapshot ARN is outside the selection already (SnapshotNotSelected), before RDS is asked', () => {
      expect(() => parseSourceSnapshotArn(DB_SHARED_ARN, receiverSettings())).toThrow(SnapshotNotSelected);
      expect(() => parseSourceSnapshotArn(DB_SHARED_ARN, receiverSettings())).toThrow(/is a DB instance's, and instanceIdentifiers lists none/);
      expect(parseSourceSnapshotArn(SHARED_ARN, receiverSettings()).kind).toBe('cluster');
    });
  });

  describe('with instanceIdentifiers only', () => {
    useReceiverEnvironment({ SOURCE_INSTANCE_IDENTIFIERS: 'Ledger-PG' });

    test('accepts listed DB instances case-insensitively, refuses other instances and every cluster by name', () => {
      expect(assertDatabaseSelected(instance(), 'ledger-pg', receiverSettings())).toBe('ledger-pg');
      expect(() => assertDatabaseSelected(instance(), 'hr-pg', receiverSettings())).toThrow(/DB instance 'hr-pg', which is not one of instanceIdentifiers \(ledger-pg\)/);
      expect(() => assertDatabaseSelected(cluster(), 'ledger-pg', receiverSettings())).toThrow(/cluster 'ledger-pg', which is not one of clusterIdentifiers \(none listed\)/);
      expect(() => assertDatabaseSelected(instance(), 'x--y', receiverSettings())).toThrow(/names no valid source DB instance/);
      expect(selectedKinds(receiverSettings())).toEqual(['instance']);
    });
  });

  describe('with no selection', () => {
    useReceiverEnvironment();

    test('every database of either kind is selected', () => {
      expect(isSelected(receiverSettings(), 'cluster', 'anything')).toBe(true);
      expect(isSelected(receiverSettings(), 'instance', 'anything')).toBe(true);
      expect(selectedKinds(receiverSettings())).toEqual(['cluster', 'instance']);
    });
  });
});

describe('copyIdentifier', () => {
  const ref = (arn: string): SourceSnapshotRef => {
    const [, , , region, account, type, id] = arn.split(':');
    return { arn, kind: type === 'snapshot' ? 'instance' : 'cluster', account, region, snapshotIdentifier: id };
  };

  test('is the prefix, the source id and 12 hex digits of the source ARN\'s hash', () => {
    expect(copyIdentifier(COPY_PREFIX, ref(SHARED_ARN))).toBe(COPY_ID);
  });

  test('two sources with the same snapshot id never collide', () => {
    const a = copyIdentifier(COPY_PREFIX, ref(SHARED_ARN));
    const b = copyIdentifier(COPY_PREFIX, ref(sharedArn(SHARED_ID, OTHER_SOURCE)));
    const c = copyIdentifier(COPY_PREFIX, ref(sharedArn(SHARED_ID, SOURCE, 'us-east-1')));
    expect(new Set([a, b, c]).size).toBe(3);
  });

  test('a DB snapshot\'s copy is named the same way; one named like a cluster snapshot gets another name (the hash covers the ARN\'s type)', () => {
    expect(copyIdentifier(COPY_PREFIX, ref(DB_SHARED_ARN))).toBe(DB_COPY_ID);
    expect(copyIdentifier(COPY_PREFIX, ref(SAME_NAME_DB_SHARED_ARN))).toBe(SAME_NAME_DB_COPY_ID);
    expect(SAME_NAME_DB_COPY_ID).not.toBe(COPY_ID);
  });

  test('a 255-character source id still gives a valid identifier of at most 63 characters, with no "--"', () => {
    const long = `a${'-b'.repeat(127)}`;
    const id = copyIdentifier('abcdefghijklmnopqrstuvwx', ref(sharedArn(long)));
    expect(id.length).toBeLessThanOrEqual(63);
    expect(isValidIdentifier(id)).toBe(true);
    expect(id).not.toContain('--');
    expect(id).toMatch(/^abcdefghijklmnopqrstuvwx-a(-b)+-[0-9a-f]{12}$/);
  });

  test('execution names: the copy id for an event, with the scan minute for a scan, within 80 characters', () => {
    expect(copyExecutionName(COPY_ID)).toBe(COPY_ID);
    expect(copyExecutionName(COPY_ID, '202611280600')).toBe(`${COPY_ID}-at202611280600`);
    expect(copyExecutionName('x'.repeat(63), '202611280600').length).toBeLessThanOrEqual(80);
  });
});
