/**
 * The database APIs of the fake RDS (sim/rds-databases.ts), by SDK command, for sim/fake-rds.ts to
 * serve with its retries, faults and IAM checks; and what the model needs from the snapshots.
 */
import {
  CreateDBInstanceCommand, DBClusterSnapshotAlreadyExistsFault, DBSnapshotAlreadyExistsFault, DeleteDBClusterCommand, DeleteDBInstanceCommand,
  DescribeDBClustersCommand, DescribeDBInstancesCommand, ModifyDBClusterCommand, ModifyDBInstanceCommand, RestoreDBClusterFromSnapshotCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
} from '@aws-sdk/client-rds';
import { dbSnapshotArn, snapshotArn, snapshotIdOf } from './aws-env';
import type { DatabaseHost } from './rds-database-types';
import type { RdsDatabases } from './rds-databases';
import type { KmsKeys } from './rds-encryption';
import { sharedSnapshot } from './rds-sharing';
import type { RdsStore } from './rds-store';
import { clientError, Snapshot } from './rds-types';

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
    [RestoreDBInstanceFromDBSnapshotCommand, (input) => databases.restoredInstances.restore(input)],
    [ModifyDBInstanceCommand, (input) => modifyInstance(databases, input)],
    [DescribeDBInstancesCommand, (input) => databases.describeInstances(input, (i) => others.instances(i))],
    [DescribeDBClustersCommand, (input) => databases.describeClusters(input, (i) => others.clusters(i))],
  ];
}

/** ModifyDBInstance is modelled for restored DB instances only (not for an Aurora member nor a source-side instance). */
function modifyInstance(databases: RdsDatabases, input: any) {
  if (databases.instance(input.DBInstanceIdentifier)) {
    throw clientError('InvalidParameterValue', `The simulator models ModifyDBInstance on restored DB instances only, not on ${input.DBInstanceIdentifier}`);
  }
  return databases.restoredInstances.modify(input);
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
    dbSnapshotFor: (idOrArn) => {
      const shared = sharedSnapshot(store.network, store.account, idOrArn, 'instance');
      const foreign = idOrArn.startsWith('arn:') && !idOrArn.includes(`:${store.account}:`);
      const own = foreign ? undefined : store.instances.book.get(snapshotIdOf(idOrArn) ?? '');
      const s = shared?.snapshot ?? own;
      if (!s || Date.now() < s.visibleAt) return undefined;
      const arn = dbSnapshotArn(s.id, shared?.owner ?? store.account);
      const { id, status, encryption, engine, optionGroupName } = s;
      return { id, arn, status, encryption, engine, optionGroupName, shared: shared !== undefined };
    },
    specClusterHolds: (id) => access.specClusterHolds(id),
    specInstanceHolds: (id) => store.instances.holds(id),
    createFinalSnapshot: (id, clusterId, engine, encryption, tags) => {
      if (store.ownSnapshots.has(id)) throw new DBClusterSnapshotAlreadyExistsFault({ message: `DBClusterSnapshot ${id} already exists.`, $metadata: {} });
      access.addSnapshot(id, clusterId, engine, { encryption, tags });
    },
    createFinalDbSnapshot: (id, instanceId, engine, encryption, tags) => {
      const book = store.instances.book;
      if (book.snapshots.has(id)) throw new DBSnapshotAlreadyExistsFault({ message: `DBSnapshot ${id} already exists.`, $metadata: {} });
      book.track(book.create({ id, databaseId: instanceId, engine, status: 'creating', outcome: 'available', encryption, tags }));
    },
    resolveKey: (keyId) => access.kms.resolve(keyId),
  };
}
