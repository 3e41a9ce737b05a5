import {
  DBInstance, DeleteDBInstanceCommand, DescribeDBInstancesCommand, ModifyDBInstanceCommand,
  RestoreDBInstanceFromDBSnapshotCommand, Tag,
} from '@aws-sdk/client-rds';
import { refusedOr } from './errors.lambda-shared';
import type { CopyToRestore, DatabaseKind, DatabaseView } from './kind-types.lambda-shared';
import { finalSnapshotFields, modifications } from './modifications.lambda-shared';
import type { RestoreSettings } from './settings.lambda-shared';
import { masterUserSecretOf, tagDatabase, tagRecord } from './tags.lambda-shared';
import { rds } from '../../shared/clients.lambda-shared';
import { isAwsError } from '../../shared/errors.lambda-shared';

/*
 * RDS DB instances (PostgreSQL, MySQL, MariaDB, Oracle, SQL Server, Db2): `RestoreDBInstanceFromDBSnapshot`
 * creates the whole database, so there are no members to create. It restores from the receiver's
 * owned copy (a manual DB snapshot of this account): restoring from a snapshot that is both shared
 * and encrypted is not allowed (aws-facts.md, "Restore"). It takes no key: the instance is
 * encrypted with its snapshot's. The master password (`ModifyDBInstance` with
 * ManageMasterUserPassword; the restore's own flag "Applies to RDS for Oracle only", SDK model),
 * the rename and deletion protection are the instance's. A rename frees the old name at once and
 * takes effect in about 10 minutes (RDS User Guide, `USER_RenameInstance`).
 */

/**
 * Faults of RestoreDBInstanceFromDBSnapshot that say the restore cannot happen as configured (the
 * command's `@throws` list in the SDK): the refresh fails with RestoreFailed naming the fault.
 */
const RESTORE_REFUSALS = [
  'AuthorizationNotFoundFault', 'DBParameterGroupNotFoundFault', 'DBSecurityGroupNotFoundFault', 'DBSnapshotNotFoundFault',
  'DBSubnetGroupDoesNotCoverEnoughAZs', 'DBSubnetGroupNotFoundFault', 'InstanceQuotaExceededFault', 'InsufficientDBInstanceCapacityFault',
  'InvalidDBSnapshotStateFault', 'InvalidRestoreFault', 'InvalidSubnet', 'InvalidVPCNetworkStateFault', 'KMSKeyNotAccessibleFault',
  'NetworkTypeNotSupported', 'OptionGroupNotFoundFault', 'ProvisionedIopsNotAvailableInAZFault', 'StorageQuotaExceededFault',
  'StorageTypeNotSupportedFault', 'InvalidParameterValue', 'InvalidParameterCombination',
];

/** Every DB instance that is not an Aurora cluster's member, with its tags. */
async function list(): Promise<DatabaseView[]> {
  const views: DatabaseView[] = [];
  let marker: string | undefined;
  do {
    const page = await rds.send(new DescribeDBInstancesCommand({ MaxRecords: 100, Marker: marker }));
    views.push(...(page.DBInstances ?? []).filter((i) => !i.DBClusterIdentifier).map(view));
    marker = page.Marker;
  } while (marker);
  return views;
}

async function describe(identifier: string): Promise<DatabaseView | undefined> {
  try {
    const instance = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }))).DBInstances?.[0];
    return instance && view(instance);
  } catch (error) {
    if (isAwsError(error, 'DBInstanceNotFoundFault')) return undefined;
    throw error;
  }
}

function view(instance: DBInstance): DatabaseView {
  return {
    identifier: instance.DBInstanceIdentifier ?? '',
    arn: instance.DBInstanceArn ?? '',
    resourceId: instance.DbiResourceId ?? '',
    status: instance.DBInstanceStatus ?? '',
    engine: instance.Engine ?? '',
    // No endpoint while it is created or renamed.
    endpoint: instance.Endpoint?.Address,
    port: instance.Endpoint?.Port ?? instance.DbInstancePort,
    deletionProtection: instance.DeletionProtection === true,
    masterUserSecret: masterUserSecretOf(instance.MasterUserSecret),
    members: [],
    tags: tagRecord(instance.TagList),
  };
}

async function restore(identifier: string, copy: CopyToRestore, settings: RestoreSettings, tags: Tag[]): Promise<void> {
  try {
    await rds.send(new RestoreDBInstanceFromDBSnapshotCommand({
      DBInstanceIdentifier: identifier,
      DBSnapshotIdentifier: copy.arn,
      DBInstanceClass: settings.instanceClass,
      DBSubnetGroupName: settings.subnetGroupName,
      VpcSecurityGroupIds: settings.securityGroupIds,
      DBParameterGroupName: settings.parameterGroupName,
      OptionGroupName: settings.optionGroupName,
      Port: settings.port,
      PubliclyAccessible: false,
      // Off for every name but the stable one: this construct must be able to delete what it restored.
      DeletionProtection: false,
      CopyTagsToSnapshot: true,
      Tags: tags,
    }));
  } catch (error) {
    throw refusedOr(error, RESTORE_REFUSALS, `restore '${copy.arn}' as '${identifier}'`);
  }
}

async function deleteDatabase(identifier: string, finalSnapshot?: string): Promise<void> {
  await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: identifier, ...finalSnapshotFields(finalSnapshot) }));
}

export const dbInstance: DatabaseKind = {
  name: 'db-instance',
  snapshotKind: 'instance',
  list,
  describe,
  restore,
  memberNames: () => [],
  ...modifications((identifier, { newIdentifier, ...change }) =>
    rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: identifier, NewDBInstanceIdentifier: newIdentifier, ...change }))),
  deleteDatabase,
  tag: tagDatabase,
};
