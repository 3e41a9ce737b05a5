import {
  CopyDBClusterSnapshotCommand, DeleteDBClusterSnapshotCommand, DescribeDBClusterSnapshotAttributesCommand, DescribeDBClusterSnapshotsCommand,
  ModifyDBClusterSnapshotAttributeCommand,
} from '@aws-sdk/client-rds';
import { rdsHere } from './clients.lambda-shared';
import { MANUAL_CLUSTER_SNAPSHOTS_QUOTA } from './constants';
import type { SnapshotApi, SnapshotView } from './database-kind.lambda-shared';
import { isAwsError } from './errors.lambda-shared';
import { findSnapshot } from './snapshot-lookup.lambda-shared';

const RESTORE = 'restore';

/** The cluster snapshot calls (`*DBClusterSnapshot*`). */
export const CLUSTER_SNAPSHOTS: SnapshotApi = {
  kind: 'cluster',
  arnType: 'cluster-snapshot',
  quotaName: MANUAL_CLUSTER_SNAPSHOTS_QUOTA,
  faults: {
    snapshotNotFound: 'DBClusterSnapshotNotFoundFault',
    snapshotState: 'InvalidDBClusterSnapshotStateFault',
    snapshotExists: 'DBClusterSnapshotAlreadyExistsFault',
  },
  find: findSnapshot,
  /** DescribeDBClusterSnapshots has no status filter (its filters: db-cluster-id, db-cluster-snapshot-id, snapshot-type, engine). */
  async *listManual(clusterIdentifier?: string): AsyncGenerator<SnapshotView> {
    let marker: string | undefined;
    do {
      const page = await rdsHere().send(new DescribeDBClusterSnapshotsCommand({
        Filters: [
          ...(clusterIdentifier === undefined ? [] : [{ Name: 'db-cluster-id', Values: [clusterIdentifier] }]),
          { Name: 'snapshot-type', Values: ['manual'] },
        ],
        MaxRecords: 100,
        Marker: marker,
      }));
      yield* page?.DBClusterSnapshots ?? [];
      marker = page?.Marker;
    } while (marker);
  },
  async describeShared(arn) {
    try {
      const out = await rdsHere().send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: arn, SnapshotType: 'shared', IncludeShared: true }));
      return out.DBClusterSnapshots?.find((s) => s.DBClusterSnapshotArn === arn);
    } catch (error) {
      if (isAwsError(error, 'DBClusterSnapshotNotFoundFault')) return undefined;
      throw error;
    }
  },
  async *listShared(): AsyncGenerator<SnapshotView> {
    let marker: string | undefined;
    do {
      const page = await rdsHere().send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: 'shared', IncludeShared: true, MaxRecords: 100, Marker: marker }));
      yield* page?.DBClusterSnapshots ?? [];
      marker = page?.Marker;
    } while (marker);
  },
  async copy({ source, target, kmsKeyId, tags }) {
    await rdsHere().send(new CopyDBClusterSnapshotCommand({
      SourceDBClusterSnapshotIdentifier: source, TargetDBClusterSnapshotIdentifier: target, KmsKeyId: kmsKeyId, CopyTags: false, Tags: tags,
    }));
  },
  async remove(snapshotIdentifier) {
    await rdsHere().send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: snapshotIdentifier }));
  },
  async restoreAccounts(snapshotIdentifier) {
    const out = await rdsHere().send(new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: snapshotIdentifier }));
    return out?.DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes?.find((a) => a.AttributeName === RESTORE)?.AttributeValues ?? [];
  },
  async modifyRestore(snapshotIdentifier, { add, remove }) {
    await rdsHere().send(new ModifyDBClusterSnapshotAttributeCommand({
      DBClusterSnapshotIdentifier: snapshotIdentifier,
      AttributeName: RESTORE,
      ...(remove ? { ValuesToRemove: remove } : {}),
      ...(add ? { ValuesToAdd: add } : {}),
    }));
  },
};
