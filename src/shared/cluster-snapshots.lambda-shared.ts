import {
  CopyDBClusterSnapshotCommand, DeleteDBClusterSnapshotCommand, DescribeDBClusterSnapshotAttributesCommand, DescribeDBClusterSnapshotsCommand,
  ModifyDBClusterSnapshotAttributeCommand, RDSClient,
} from '@aws-sdk/client-rds';
import { rds } from './clients.lambda-shared';
import { MANUAL_CLUSTER_SNAPSHOTS_QUOTA } from './constants';
import type { SnapshotApi, SnapshotView } from './database-kind.lambda-shared';
import { isAwsError } from './errors.lambda-shared';
import { findSnapshot } from './snapshot-lookup.lambda-shared';

const RESTORE = 'restore';

/** The cluster snapshot calls (`*DBClusterSnapshot*`) through `client` (the function's own Region by default). */
export const clusterSnapshots = (client: RDSClient = rds): SnapshotApi => ({
  kind: 'cluster',
  arnType: 'cluster-snapshot',
  quotaName: MANUAL_CLUSTER_SNAPSHOTS_QUOTA,
  faults: {
    snapshotNotFound: 'DBClusterSnapshotNotFoundFault',
    snapshotState: 'InvalidDBClusterSnapshotStateFault',
    snapshotExists: 'DBClusterSnapshotAlreadyExistsFault',
  },
  find: (snapshotIdentifier) => findSnapshot(snapshotIdentifier, client),
  /** DescribeDBClusterSnapshots has no status filter (its filters: db-cluster-id, db-cluster-snapshot-id, snapshot-type, engine). */
  async *listManual(clusterIdentifier?: string): AsyncGenerator<SnapshotView> {
    let marker: string | undefined;
    do {
      const page = await client.send(new DescribeDBClusterSnapshotsCommand({
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
      const out = await client.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: arn, SnapshotType: 'shared', IncludeShared: true }));
      return out.DBClusterSnapshots?.find((s) => s.DBClusterSnapshotArn === arn);
    } catch (error) {
      if (isAwsError(error, 'DBClusterSnapshotNotFoundFault')) return undefined;
      throw error;
    }
  },
  async *listShared(): AsyncGenerator<SnapshotView> {
    let marker: string | undefined;
    do {
      const page = await client.send(new DescribeDBClusterSnapshotsCommand({ SnapshotType: 'shared', IncludeShared: true, MaxRecords: 100, Marker: marker }));
      yield* page?.DBClusterSnapshots ?? [];
      marker = page?.Marker;
    } while (marker);
  },
  async copy({ source, target, kmsKeyId, tags }) {
    await client.send(new CopyDBClusterSnapshotCommand({
      SourceDBClusterSnapshotIdentifier: source, TargetDBClusterSnapshotIdentifier: target, KmsKeyId: kmsKeyId, CopyTags: false, Tags: tags,
    }));
  },
  async remove(snapshotIdentifier) {
    await client.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: snapshotIdentifier }));
  },
  async restoreAccounts(snapshotIdentifier) {
    const out = await client.send(new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: snapshotIdentifier }));
    return out?.DBClusterSnapshotAttributesResult?.DBClusterSnapshotAttributes?.find((a) => a.AttributeName === RESTORE)?.AttributeValues ?? [];
  },
  async modifyRestore(snapshotIdentifier, { add, remove }) {
    await client.send(new ModifyDBClusterSnapshotAttributeCommand({
      DBClusterSnapshotIdentifier: snapshotIdentifier,
      AttributeName: RESTORE,
      ...(remove ? { ValuesToRemove: remove } : {}),
      ...(add ? { ValuesToAdd: add } : {}),
    }));
  },
});

/** The cluster snapshot calls in the function's own Region. */
export const CLUSTER_SNAPSHOTS: SnapshotApi = clusterSnapshots();
