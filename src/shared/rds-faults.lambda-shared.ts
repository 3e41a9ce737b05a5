import { MAX_TARGET_ACCOUNTS } from './constants';
import {
  ClusterNotAvailable,
  ClusterNotFound,
  CopyLimitReached,
  InstanceNotAvailable,
  InstanceNotFound,
  KmsKeyNotAccessible,
  ReEncryptionRefused,
  SharedSnapshotQuotaExceeded,
  SnapshotFailed,
  SnapshotQuotaExceeded,
  WorkflowError,
} from './errors.lambda-shared';

/**
 * The one place that turns the RDS faults of a create, copy or share call into this construct's
 * named errors. Faults are matched by the SDK exception's `name`, never by message text (the wire
 * code differs from the name for some faults: aws-facts.md); a fault not in the table passes
 * through unchanged, so the state machine's transient-error retry still sees `Throttling`.
 */

export type SnapshotOperation = 'create' | 'copy' | 'share';

/** What the failed call was about: for the messages, and for the faults that need a second look. */
export interface SnapshotCall {
  /** The database's identifier: a DB cluster's, or with `kind` 'instance', a DB instance's. */
  readonly clusterIdentifier: string;
  /** @default 'cluster' */
  readonly kind?: 'cluster' | 'instance';
  /** The snapshot created, the copy's target, or the snapshot shared. */
  readonly snapshotIdentifier: string;
  /** The copy's source. */
  readonly sourceSnapshotIdentifier?: string;
  /** The key the copy re-encrypts with. */
  readonly kmsKeyArn?: string;
  /** The accounts the share adds. */
  readonly accounts?: readonly string[];
  /** Resolves when the existing target is this run's own (a retried call); throws otherwise. */
  readonly alreadyExists?: () => Promise<void>;
  /** Whether the manual cluster snapshot quota still has room; undefined when it cannot be told. */
  readonly manualQuotaHasRoom?: () => Promise<boolean | undefined>;
}

/** A fault's translation: our error to throw, or nothing when the fault means the call is done. */
type Translation = (error: Error, call: SnapshotCall) => WorkflowError | undefined | Promise<WorkflowError | undefined>;

const alreadyExists: Translation = async (_, call) => {
  if (!call.alreadyExists) throw new Error(`No check for an existing '${call.snapshotIdentifier}' was given`);
  await call.alreadyExists();
  return undefined;
};

/**
 * Faults that may mean "RDS will not re-encrypt this snapshot with the sharing key". Not confirmed
 * (aws-facts.md): for `aws/rds` and customer keys a copy with `KmsKeyId` re-encrypts, and the same
 * is expected for an AWS-owned key (`sse-rds`), but AWS does not document the refusal's code. Our
 * copy's identifiers are derived and valid, so a parameter fault on it can only be about the key or
 * the encryption; a state fault is the source's state unless its message speaks of encryption.
 */
const REFUSED_PARAMETER_FAULTS = ['InvalidParameterValue', 'InvalidParameterCombination'];
const ENCRYPTION_WORDS = /encrypt|kms/i;

const databaseOf = (call: SnapshotCall) => (call.kind === 'instance' ? 'DB instance' : 'cluster');

function reEncryptionRefused(error: Error, call: SnapshotCall): ReEncryptionRefused {
  return new ReEncryptionRefused(
    `RDS refused to copy '${call.sourceSnapshotIdentifier}' re-encrypted with the sharing key ${call.kmsKeyArn} (${error.name}: ${error.message}). ` +
      `Snapshots of ${databaseOf(call)} '${call.clusterIdentifier}' cannot be shared as they are. Encrypt the ${databaseOf(call)} with a customer-managed KMS key ` +
      `(restore a snapshot to a new ${databaseOf(call)} with that key, or pass that key as encryptionKey), or ask AWS Support whether this snapshot can be re-encrypted`,
  );
}

const sourceFailed: Translation = (error, call) => new SnapshotFailed(`Cannot copy '${call.sourceSnapshotIdentifier}': ${error.message}`);

/** The quota a SnapshotQuotaExceededFault is about: each kind has its own (aws-facts.md, "DB instances"). */
const quotaName = (call: SnapshotCall) => (call.kind === 'instance' ? 'manual DB instance snapshot quota' : 'manual DB cluster snapshot quota');

const TABLE: Record<SnapshotOperation, Record<string, Translation>> = {
  create: {
    DBClusterSnapshotAlreadyExistsFault: alreadyExists,
    InvalidDBClusterStateFault: (error, call) =>
      new ClusterNotAvailable(`Cluster '${call.clusterIdentifier}' cannot be snapshotted now: ${error.message}`),
    DBClusterNotFoundFault: (_, call) => new ClusterNotFound(`Cluster '${call.clusterIdentifier}' does not exist`),
    SnapshotQuotaExceededFault: (_, call) =>
      new SnapshotQuotaExceeded(`The ${quotaName(call)} is used up; cannot create '${call.snapshotIdentifier}'`),
    DBSnapshotAlreadyExistsFault: alreadyExists,
    InvalidDBInstanceStateFault: (error, call) =>
      new InstanceNotAvailable(`DB instance '${call.clusterIdentifier}' cannot be snapshotted now: ${error.message}`),
    DBInstanceNotFoundFault: (_, call) => new InstanceNotFound(`DB instance '${call.clusterIdentifier}' does not exist`),
  },
  copy: {
    DBClusterSnapshotAlreadyExistsFault: alreadyExists,
    KMSKeyNotAccessibleFault: (_, call) => new KmsKeyNotAccessible(
      `RDS cannot use the sharing key ${call.kmsKeyArn} to copy '${call.sourceSnapshotIdentifier}': check the key policy and that the key is enabled`,
    ),
    // RDS refuses a copy over its copy limit with the same fault as a full manual-snapshot quota
    // ("up to five snapshot copy requests in progress", Aurora User Guide): the quota tells them apart.
    SnapshotQuotaExceededFault: async (_, call) => (await call.manualQuotaHasRoom?.())
      ? new CopyLimitReached(`RDS refused to copy to '${call.snapshotIdentifier}' while the manual snapshot quota has room: too many copies in progress; trying again`)
      : new SnapshotQuotaExceeded(`The ${quotaName(call)} is used up; cannot copy to '${call.snapshotIdentifier}'`),
    DBClusterSnapshotNotFoundFault: sourceFailed,
    InvalidDBClusterSnapshotStateFault: (error, call) =>
      ENCRYPTION_WORDS.test(error.message) ? reEncryptionRefused(error, call) : sourceFailed(error, call),
    DBSnapshotAlreadyExistsFault: alreadyExists,
    DBSnapshotNotFoundFault: sourceFailed,
    InvalidDBSnapshotStateFault: (error, call) =>
      ENCRYPTION_WORDS.test(error.message) ? reEncryptionRefused(error, call) : sourceFailed(error, call),
    ...Object.fromEntries(REFUSED_PARAMETER_FAULTS.map((name) => [name, reEncryptionRefused])),
  },
  share: {
    SharedSnapshotQuotaExceededFault: (_, call) => new SharedSnapshotQuotaExceeded(
      `Snapshot '${call.snapshotIdentifier}' cannot be shared with ${call.accounts?.length ?? 0} more accounts: at most ${MAX_TARGET_ACCOUNTS} are allowed`,
    ),
    DBClusterSnapshotNotFoundFault: (error, call) => new SnapshotFailed(`Cannot share '${call.snapshotIdentifier}': ${error.message}`),
    InvalidDBClusterSnapshotStateFault: (error, call) => new SnapshotFailed(`Cannot share '${call.snapshotIdentifier}': ${error.message}`),
    DBSnapshotNotFoundFault: (error, call) => new SnapshotFailed(`Cannot share '${call.snapshotIdentifier}': ${error.message}`),
    InvalidDBSnapshotStateFault: (error, call) => new SnapshotFailed(`Cannot share '${call.snapshotIdentifier}': ${error.message}`),
  },
};

/** The faults each operation translates, for documentation and tests. */
export function translatedFaults(operation: SnapshotOperation): string[] {
  return Object.keys(TABLE[operation]);
}

/**
 * Throws our error for an RDS fault of `operation`, or the fault itself when it has no translation.
 * Returns normally only when the fault means the call already happened (this run's own snapshot
 * exists).
 */
export async function translateRdsFault(operation: SnapshotOperation, error: unknown, call: SnapshotCall): Promise<void> {
  const table = TABLE[operation];
  const translate = error instanceof Error && Object.prototype.hasOwnProperty.call(table, error.name) ? table[error.name] : undefined;
  if (!translate) throw error;
  const translated = await translate(error as Error, call);
  if (translated) throw translated;
}
