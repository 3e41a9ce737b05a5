import {
  CopyDBSnapshotCommand, DBSnapshot, DeleteDBSnapshotCommand, DescribeDBSnapshotAttributesCommand, DescribeDBSnapshotsCommand,
  ModifyDBSnapshotAttributeCommand,
} from '@aws-sdk/client-rds';
import { rdsHere } from './clients.lambda-shared';
import { MANUAL_INSTANCE_SNAPSHOTS_QUOTA } from './constants';
import type { SnapshotApi, SnapshotView } from './database-kind.lambda-shared';
import { isAwsError } from './errors.lambda-shared';

const RESTORE = 'restore';
/** Automated DB snapshots are named `rds:<instance>-<time>`; describing one by id needs `SnapshotType: 'automated'` (DescribeDBSnapshots API reference). */
const AUTOMATED_PREFIX = 'rds:';

/** A DB snapshot in the one shape (database-kind.lambda-shared.ts): the instance is the `DBClusterIdentifier`, `Encrypted` is `StorageEncrypted`. */
export function asSnapshotView(s: DBSnapshot): SnapshotView {
  return {
    DBClusterSnapshotIdentifier: s.DBSnapshotIdentifier,
    DBClusterIdentifier: s.DBInstanceIdentifier,
    DBClusterSnapshotArn: s.DBSnapshotArn,
    SnapshotType: s.SnapshotType,
    Status: s.Status,
    SnapshotCreateTime: s.SnapshotCreateTime,
    OriginalSnapshotCreateTime: s.OriginalSnapshotCreateTime,
    PercentProgress: s.PercentProgress,
    Engine: s.Engine,
    StorageEncrypted: s.Encrypted,
    StorageEncryptionType: s.StorageEncryptionType,
    KmsKeyId: s.KmsKeyId,
    OptionGroupName: s.OptionGroupName,
    TagList: s.TagList,
  };
}

/** The DB (instance) snapshot calls (`*DBSnapshot*`). */
export const INSTANCE_SNAPSHOTS: SnapshotApi = {
  kind: 'instance',
  arnType: 'snapshot',
  quotaName: MANUAL_INSTANCE_SNAPSHOTS_QUOTA,
  faults: { snapshotNotFound: 'DBSnapshotNotFoundFault', snapshotState: 'InvalidDBSnapshotStateFault', snapshotExists: 'DBSnapshotAlreadyExistsFault' },
  async find(snapshotIdentifier) {
    try {
      const automated = snapshotIdentifier.startsWith(AUTOMATED_PREFIX);
      const out = await rdsHere().send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: snapshotIdentifier, ...(automated ? { SnapshotType: 'automated' } : {}) }));
      const found = out.DBSnapshots?.[0];
      return found && asSnapshotView(found);
    } catch (error) {
      if (isAwsError(error, 'DBSnapshotNotFoundFault')) return undefined;
      throw error;
    }
  },
  /** DescribeDBSnapshots has no status filter either (its filters: db-instance-id, db-snapshot-id, dbi-resource-id, snapshot-type, engine). */
  async *listManual(instanceIdentifier?: string): AsyncGenerator<SnapshotView> {
    let marker: string | undefined;
    do {
      const page = await rdsHere().send(new DescribeDBSnapshotsCommand({
        Filters: [
          ...(instanceIdentifier === undefined ? [] : [{ Name: 'db-instance-id', Values: [instanceIdentifier] }]),
          { Name: 'snapshot-type', Values: ['manual'] },
        ],
        MaxRecords: 100,
        Marker: marker,
      }));
      yield* (page?.DBSnapshots ?? []).map(asSnapshotView);
      marker = page?.Marker;
    } while (marker);
  },
  async describeShared(arn) {
    try {
      const out = await rdsHere().send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: arn, SnapshotType: 'shared', IncludeShared: true }));
      const found = out.DBSnapshots?.find((s) => s.DBSnapshotArn === arn);
      return found && asSnapshotView(found);
    } catch (error) {
      if (isAwsError(error, 'DBSnapshotNotFoundFault')) return undefined;
      throw error;
    }
  },
  async *listShared(): AsyncGenerator<SnapshotView> {
    let marker: string | undefined;
    do {
      const page = await rdsHere().send(new DescribeDBSnapshotsCommand({ SnapshotType: 'shared', IncludeShared: true, MaxRecords: 100, Marker: marker }));
      yield* (page?.DBSnapshots ?? []).map(asSnapshotView);
      marker = page?.Marker;
    } while (marker);
  },
  async copy({ source, target, kmsKeyId, tags, optionGroupName }) {
    await rdsHere().send(new CopyDBSnapshotCommand({
      SourceDBSnapshotIdentifier: source,
      TargetDBSnapshotIdentifier: target,
      KmsKeyId: kmsKeyId,
      CopyTags: false,
      Tags: tags,
      ...(optionGroupName ? { OptionGroupName: optionGroupName } : {}),
    }));
  },
  async remove(snapshotIdentifier) {
    await rdsHere().send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: snapshotIdentifier }));
  },
  async restoreAccounts(snapshotIdentifier) {
    const out = await rdsHere().send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: snapshotIdentifier }));
    return out?.DBSnapshotAttributesResult?.DBSnapshotAttributes?.find((a) => a.AttributeName === RESTORE)?.AttributeValues ?? [];
  },
  async modifyRestore(snapshotIdentifier, { add, remove }) {
    await rdsHere().send(new ModifyDBSnapshotAttributeCommand({
      DBSnapshotIdentifier: snapshotIdentifier,
      AttributeName: RESTORE,
      ...(remove ? { ValuesToRemove: remove } : {}),
      ...(add ? { ValuesToAdd: add } : {}),
    }));
  },
};
