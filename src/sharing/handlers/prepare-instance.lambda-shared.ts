import { DBInstance, StorageEncryptionType } from '@aws-sdk/client-rds';
import { AutomatedSource, newestAutomatedSource } from './automated-source.lambda-shared';
import { describeInstance } from './databases.lambda-shared';
import { encryptionOf, isShareableKey } from './encryption.lambda-shared';
import { assertOptionsShareable, RequiredOptions } from './option-groups.lambda-shared';
import { instanceSelection } from './selection.lambda-shared';
import { tagValue } from './tags.lambda-shared';
import { ENV } from '../../shared/constants';
import {
  InstanceIsClusterMember, InstanceIsReadReplica, InstanceNotAvailable, InstanceNotConfigured,
} from '../../shared/errors.lambda-shared';

/** What Prepare learns of a DB instance: whether its snapshot needs the re-encrypting copy, and the options a target's copy needs. */
export interface PreparedInstance {
  readonly instance: DBInstance;
  readonly copyRequired: boolean;
  readonly options?: RequiredOptions;
  /** With `snapshotSource` automated: the automated snapshot to copy instead of taking a new one. */
  readonly automated?: AutomatedSource;
}

/**
 * Checks a DB instance before anything is created: it exists (InstanceNotFound), is selected
 * (InstanceNotConfigured), is not a member of a DB cluster (`CreateDBSnapshot` refuses one: "The
 * specified instance is a member of a cluster and a snapshot cannot be created directly", whose
 * cluster is selected instead) nor a read replica (its source is the database to share), and is
 * `available`, and that RDS would share its snapshots (option-groups.lambda-shared.ts: TDE and
 * permanent options are refused here, before anything is created). Then decides the copy.
 */
export async function prepareInstance(instanceIdentifier: string): Promise<PreparedInstance> {
  const instance = await describeInstance(instanceIdentifier);
  assertInstanceSelected(instance, instanceIdentifier);
  if (instance.DBClusterIdentifier) {
    throw new InstanceIsClusterMember(
      `DB instance '${instanceIdentifier}' is a member of DB cluster '${instance.DBClusterIdentifier}': RDS snapshots the cluster, not its instances. ` +
        'Select the cluster (clusterIdentifiers or clusterTag) instead of the instance',
    );
  }
  if (instance.ReadReplicaSourceDBInstanceIdentifier) {
    throw new InstanceIsReadReplica(
      `DB instance '${instanceIdentifier}' is a read replica of '${instance.ReadReplicaSourceDBInstanceIdentifier}': ` +
        'select the source instance instead (a replica holds the same data)',
    );
  }
  const options = await assertOptionsShareable(instance);
  if (instance.DBInstanceStatus !== 'available') {
    throw new InstanceNotAvailable(`DB instance '${instanceIdentifier}' is '${instance.DBInstanceStatus}', not 'available'`);
  }
  const automated = await newestAutomatedSource(instanceIdentifier);
  return { instance, copyRequired: instanceCopyRequired(instance), ...(options ? { options } : {}), ...(automated ? { automated } : {}) };
}

/** A manual start may name only a selected instance; IAM enforces the same for mutating calls. */
function assertInstanceSelected(instance: DBInstance, instanceIdentifier: string): void {
  const selection = instanceSelection();
  if (selection.instanceIdentifiers.includes(instanceIdentifier)) return;
  if (selection.tag && tagValue(instance.TagList, selection.tag.key) === selection.tag.value) return;
  throw new InstanceNotConfigured(
    `DB instance '${instanceIdentifier}' is not one of the configured instanceIdentifiers` +
      (selection.tag ? ` and does not carry the tag ${selection.tag.key}=${selection.tag.value}` : ''),
  );
}

/**
 * Shared as it is: a snapshot already on the sharing key, or (with `allowUnencrypted`) an
 * unencrypted one. Everything else is copied with the sharing key, an unencrypted snapshot
 * included: unlike a cluster snapshot, a DB snapshot may be encrypted on copy ("If you specify
 * this parameter when you copy an unencrypted snapshot, the copy is encrypted": CopyDBSnapshot
 * API reference, KmsKeyId).
 */
function instanceCopyRequired(instance: DBInstance): boolean {
  const encryption = encryptionOf(instance);
  if (encryption === StorageEncryptionType.UNENCRYPTED) return process.env[ENV.ALLOW_UNENCRYPTED] !== 'true';
  if (encryption !== StorageEncryptionType.CMK) return true;
  return !isShareableKey(instance.KmsKeyId);
}
