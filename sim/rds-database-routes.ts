/**
 * The database APIs of the fake RDS (sim/rds-databases.ts), by SDK command, for sim/fake-rds.ts to
 * serve with its retries, faults and IAM checks; and what the model needs from the snapshots.
 */
import {
  CreateDBInstanceCommand, DBClusterSnapshotAlreadyExistsFault, DeleteDBClusterCommand, DeleteDBInstanceCommand, DescribeDBClustersCommand,
  DescribeDBInstancesCommand, ModifyDBClusterCommand, RestoreDBClusterFromSnapshotCommand,
} from '@aws-sdk/client-rds';
import { snapshotArn } from './aws-env';
import type { DatabaseHost } from './rds-database-types';
import type { RdsDatabases } from './rds-databases';
import type { KmsKeys } from './rds-encryption';
import { sharedSnapshot } from './rds-sharing';
import type { RdsStore } from './rds-store';
import type { Snapshot } from './rds-types';

/** What the rest of the fake RDS answers: the spec clusters, and the source side's DB instances (sim/rds-instances.ts). */
export interface OtherDescriptions {
  clusters(input: any): { DBClusters?: any[] };
  instances(input: any): { DBInstances?: any[] };
}

/** The APIs the model serves; DescribeDBClusters and DescribeDBInstances list the others too. */
export function databaseRoutes(databases: RdsDatabases, others: OtherDescriptions): Array<[any, (input: any) => unknown]> {
  return [
    [RestoreDBClusterFromSnapshotCommand, (input) => databases.restoreCluster(input)],
    [CreateDBInstanceCommand, (input) => databases.createInstance(input)],
    [ModifyDBClusterCommand, (input) => databases.modifyCluster(input)],
    [DeleteDBClusterCommand, (input) => databases.deleteCluster(input)],
    [DeleteDBInstanceCommand, (input) => databases.deleteInstance(input)],
    [DescribeDBInstancesCommand, (input) => databases.describeInstances(input, (i) => others.instances(i))],
    [DescribeDBClustersCommand, (input) => databases.describeClusters(input, (i) => others.clusters(i))],
  ];
}

/** What the store offers the model: its snapshots (own and shared), spec clusters and keys. */
export interface StoreAccess {
  readonly store: RdsStore;
  readonly kms: KmsKeys;
  specClusterHolds(id: string): boolean;
  /** Adds a new manual snapshot, as a create would (`creating`, then `available`). */
  addSnapshot(id: string, clusterId: string, engine: string, rest: Pick<Snapshot, 'encryption' | 'tags'>): void;
}

export function databaseHost(access: StoreAccess): DatabaseHost {
  const { store } = access;
  return {
    account: store.account,
    snapshotFor: (idOrArn) => {
      const shared = sharedSnapshot(store.network, store.account, idOrArn, 'cluster');
      const foreign = idOrArn.startsWith('arn:') && !idOrArn.includes(`:${store.account}:`);
      const own = foreign ? undefined : store.ownSnapshots.get(idOrArn.split(':').pop()!);
      const s = shared?.snapshot ?? own;
      if (!s || Date.now() < s.visibleAt) return undefined;
      if (own) store.progressed(own);
      const arn = snapshotArn(s.id, shared?.owner ?? store.account);
      return { id: s.id, arn, status: s.status, encryption: s.encryption, engine: s.engine };
    },
    specClusterHolds: (id) => access.specClusterHolds(id),
    createFinalSnapshot: (id, clusterId, engine, encryption, tags) => {
      if (store.ownSnapshots.has(id)) throw new DBClusterSnapshotAlreadyExistsFault({ message: `DBClusterSnapshot ${id} already exists.`, $metadata: {} });
      access.addSnapshot(id, clusterId, engine, { encryption, tags });
    },
    resolveKey: (keyId) => access.kms.resolve(keyId),
  };
}
