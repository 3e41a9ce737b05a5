import {
  AddTagsToResourceCommand, CreateDBInstanceCommand, DBCluster, DeleteDBClusterCommand, DeleteDBInstanceCommand, DescribeDBClustersCommand,
  DescribeDBInstancesCommand, ModifyDBClusterCommand, RestoreDBClusterFromSnapshotCommand, Tag,
} from '@aws-sdk/client-rds';
import { RestoreFailed } from './errors.lambda-shared';
import type { CopyToRestore, DatabaseKind, DatabaseView, MemberView } from './kind-types.lambda-shared';
import { instanceName } from './names.lambda-shared';
import type { RestoreSettings } from './settings.lambda-shared';
import { tagList, tagRecord } from './tags.lambda-shared';
import { rds } from '../../shared/clients.lambda-shared';
import { isAwsError } from '../../shared/errors.lambda-shared';

/*
 * Aurora DB clusters: `RestoreDBClusterFromSnapshot` "only restores the DB cluster, not the DB
 * instances" (API reference), so the members come from `CreateDBInstance`; the master password is
 * the cluster's (`ModifyDBCluster`); deletion protection is cluster-level only.
 */

/**
 * Faults of RestoreDBClusterFromSnapshot that say the restore cannot happen as configured (the API
 * reference's list): the refresh fails with RestoreFailed naming the fault.
 */
const RESTORE_REFUSALS = [
  'DBClusterQuotaExceededFault', 'DBClusterParameterGroupNotFoundFault', 'DBSubnetGroupNotFoundFault', 'DBSubnetGroupDoesNotCoverEnoughAZs',
  'InsufficientDBClusterCapacityFault', 'InsufficientStorageClusterCapacityFault', 'InvalidDBClusterSnapshotStateFault', 'InvalidRestoreFault',
  'InvalidSubnet', 'InvalidVPCNetworkStateFault', 'KMSKeyNotAccessibleFault', 'StorageQuotaExceededFault', 'OptionGroupNotFoundFault',
  'InvalidParameterValue', 'InvalidParameterCombination', 'DBClusterSnapshotNotFoundFault',
];
/** Faults of CreateDBInstance that no retry fixes. */
const INSTANCE_REFUSALS = [
  'InstanceQuotaExceededFault', 'InsufficientDBInstanceCapacityFault', 'StorageQuotaExceededFault', 'InvalidParameterValue',
  'InvalidParameterCombination', 'DBParameterGroupNotFoundFault', 'InvalidVPCNetworkStateFault',
];

async function list(): Promise<DatabaseView[]> {
  const views: DatabaseView[] = [];
  let marker: string | undefined;
  do {
    const page = await rds.send(new DescribeDBClustersCommand({ MaxRecords: 100, Marker: marker }));
    views.push(...(page.DBClusters ?? []).map((c) => view(c, [])));
    marker = page.Marker;
  } while (marker);
  return views;
}

async function describe(identifier: string): Promise<DatabaseView | undefined> {
  let cluster: DBCluster | undefined;
  try {
    cluster = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: identifier }))).DBClusters?.[0];
  } catch (error) {
    if (isAwsError(error, 'DBClusterNotFoundFault')) return undefined;
    throw error;
  }
  if (!cluster) return undefined;
  const members = cluster.DBClusterMembers?.length
    ? ((await rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [cluster.DBClusterArn ?? identifier] }] }))).DBInstances ?? [])
      .map((i): MemberView => ({ identifier: i.DBInstanceIdentifier ?? '', status: i.DBInstanceStatus ?? '', tags: tagRecord(i.TagList) }))
    : [];
  return view(cluster, members);
}

function view(cluster: DBCluster, members: MemberView[]): DatabaseView {
  return {
    identifier: cluster.DBClusterIdentifier ?? '',
    arn: cluster.DBClusterArn ?? '',
    resourceId: cluster.DbClusterResourceId ?? '',
    status: cluster.Status ?? '',
    engine: cluster.Engine ?? '',
    endpoint: cluster.Endpoint,
    port: cluster.Port,
    deletionProtection: cluster.DeletionProtection === true,
    masterUserSecret: cluster.MasterUserSecret?.SecretArn
      ? { arn: cluster.MasterUserSecret.SecretArn, status: cluster.MasterUserSecret.SecretStatus ?? '' }
      : undefined,
    members,
    tags: tagRecord(cluster.TagList),
  };
}

async function restore(identifier: string, copy: CopyToRestore, settings: RestoreSettings, tags: Tag[]): Promise<void> {
  try {
    await rds.send(new RestoreDBClusterFromSnapshotCommand({
      DBClusterIdentifier: identifier,
      SnapshotIdentifier: copy.arn,
      Engine: copy.engine,
      EngineVersion: settings.engineVersion,
      DBSubnetGroupName: settings.subnetGroupName,
      VpcSecurityGroupIds: settings.securityGroupIds,
      KmsKeyId: settings.kmsKeyId,
      DBClusterParameterGroupName: settings.parameterGroupName,
      ServerlessV2ScalingConfiguration: settings.instanceClass === 'db.serverless' ? settings.serverlessV2 : undefined,
      Port: settings.port,
      // Off for every name but the stable one: this construct must be able to delete what it restored.
      DeletionProtection: false,
      CopyTagsToSnapshot: true,
      Tags: tags,
    }));
  } catch (error) {
    if (isAwsError(error, ...RESTORE_REFUSALS)) throw new RestoreFailed(`RDS refused to restore '${copy.arn}' as '${identifier}': ${(error as Error).name}: ${(error as Error).message}`);
    throw error;
  }
}

function memberNames(databaseIdentifier: string, generation: string, settings: RestoreSettings): string[] {
  return Array.from({ length: settings.instances }, (_, i) => instanceName(databaseIdentifier, generation, i + 1));
}

async function createMember(database: DatabaseView, member: string, settings: RestoreSettings, tags: Tag[]): Promise<void> {
  try {
    await rds.send(new CreateDBInstanceCommand({
      DBInstanceIdentifier: member,
      DBClusterIdentifier: database.identifier,
      DBInstanceClass: settings.instanceClass,
      Engine: database.engine,
      PubliclyAccessible: false,
      Tags: tags,
    }));
  } catch (error) {
    if (isAwsError(error, ...INSTANCE_REFUSALS)) throw new RestoreFailed(`RDS refused to create instance '${member}': ${(error as Error).name}: ${(error as Error).message}`);
    throw error;
  }
}

async function resetMasterPassword(identifier: string, settings: RestoreSettings): Promise<void> {
  await rds.send(new ModifyDBClusterCommand({
    DBClusterIdentifier: identifier,
    ManageMasterUserPassword: true,
    MasterUserSecretKmsKeyId: settings.masterUserSecretKmsKeyId,
    ApplyImmediately: true,
  }));
}

async function rename(identifier: string, newIdentifier: string, deletionProtection: boolean): Promise<void> {
  await rds.send(new ModifyDBClusterCommand({
    DBClusterIdentifier: identifier,
    NewDBClusterIdentifier: newIdentifier,
    DeletionProtection: deletionProtection,
    ApplyImmediately: true,
  }));
}

async function setDeletionProtection(identifier: string, on: boolean): Promise<void> {
  await rds.send(new ModifyDBClusterCommand({ DBClusterIdentifier: identifier, DeletionProtection: on, ApplyImmediately: true }));
}

async function deleteMember(member: string): Promise<void> {
  // An Aurora instance has no final snapshot of its own: the cluster's data outlives it.
  await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: member, SkipFinalSnapshot: true }));
}

async function deleteDatabase(identifier: string, finalSnapshot?: string): Promise<void> {
  await rds.send(new DeleteDBClusterCommand({
    DBClusterIdentifier: identifier,
    SkipFinalSnapshot: finalSnapshot === undefined,
    FinalDBSnapshotIdentifier: finalSnapshot,
  }));
}

async function tag(database: DatabaseView, tags: Record<string, string>): Promise<void> {
  await rds.send(new AddTagsToResourceCommand({ ResourceName: database.arn, Tags: tagList(tags) }));
}

export const auroraCluster: DatabaseKind = {
  name: 'aurora-cluster',
  list,
  describe,
  restore,
  memberNames,
  createMember,
  resetMasterPassword,
  rename,
  setDeletionProtection,
  deleteMember,
  deleteDatabase,
  tag,
};
