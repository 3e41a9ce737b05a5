import type { DatabaseKind } from './kind-types.lambda-shared';

/**
 * What both kinds' Modify call (ModifyDBCluster, ModifyDBInstance) takes alike, applied at once;
 * only the identifiers' fields are named per kind (`DBClusterIdentifier`, `NewDBInstanceIdentifier`...).
 */
export interface Modification {
  readonly newIdentifier?: string;
  readonly ManageMasterUserPassword?: boolean;
  readonly MasterUserSecretKmsKeyId?: string;
  readonly DeletionProtection?: boolean;
  readonly ApplyImmediately: true;
}

/** A kind's password reset, rename and deletion protection, through its Modify call. */
export function modifications(
  modify: (identifier: string, change: Modification) => Promise<unknown>,
): Pick<DatabaseKind, 'resetMasterPassword' | 'rename' | 'setDeletionProtection'> {
  return {
    resetMasterPassword: async (identifier, settings) => {
      const key = settings.masterUserSecretKmsKeyId;
      await modify(identifier, { ManageMasterUserPassword: true, MasterUserSecretKmsKeyId: key, ApplyImmediately: true });
    },
    rename: async (identifier, newIdentifier, deletionProtection) => {
      await modify(identifier, { newIdentifier, DeletionProtection: deletionProtection, ApplyImmediately: true });
    },
    setDeletionProtection: async (identifier, on) => {
      await modify(identifier, { DeletionProtection: on, ApplyImmediately: true });
    },
  };
}

/** DeleteDBCluster's and DeleteDBInstance's final snapshot: the one named, or none. */
export function finalSnapshotFields(finalSnapshot: string | undefined): { SkipFinalSnapshot: boolean; FinalDBSnapshotIdentifier?: string } {
  return { SkipFinalSnapshot: finalSnapshot === undefined, FinalDBSnapshotIdentifier: finalSnapshot };
}
