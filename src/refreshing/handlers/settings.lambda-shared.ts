import { requireEnv } from '../../shared/config.lambda-shared';
import { ENV, REFRESH_ENV } from '../../shared/constants';
import { InvalidInput } from '../../shared/errors.lambda-shared';

/** The restore's settings, as the construct writes them (`REFRESH_RESTORE_SETTINGS`, JSON). */
export interface RestoreSettings {
  readonly subnetGroupName: string;
  readonly securityGroupIds: string[];
  /** The key of the restored database; absent: the copy's. */
  readonly kmsKeyId?: string;
  readonly parameterGroupName?: string;
  readonly engineVersion?: string;
  /** `db.serverless` or an instance class. */
  readonly instanceClass: string;
  readonly serverlessV2?: { readonly MinCapacity: number; readonly MaxCapacity: number; readonly SecondsUntilAutoPause?: number };
  readonly instances: number;
  readonly port?: number;
  readonly masterUserSecretKmsKeyId?: string;
  /** Deletion protection of the serving database. */
  readonly deletionProtection: boolean;
  /** The user's extra tags. */
  readonly tags: Record<string, string>;
}

export type Mode = 'refresh' | 'restore-test';

/** The refresh's configuration, as the construct sets it on every function. */
export interface RefreshSettings {
  readonly ownerId: string;
  readonly kind: string;
  /** The stable identifier, lowercase. */
  readonly databaseIdentifier: string;
  readonly copyPrefix: string;
  readonly copyOwnerId: string;
  readonly sourceCluster: string;
  readonly sourceAccount?: string;
  readonly mode: Mode;
  readonly restore: RestoreSettings;
  readonly finalSnapshot: boolean;
  /** Undefined: keep the previous database until the next refresh. */
  readonly keepPreviousSeconds?: number;
  readonly restoreTimeoutSeconds: number;
  /** A restore of another run younger than this is work in progress; older, a leftover to delete. */
  readonly staleAfterSeconds: number;
}

/** Read per invocation (tests and the simulator run several configurations in one process). */
export function refreshSettings(): RefreshSettings {
  const keep = process.env[REFRESH_ENV.KEEP_PREVIOUS_SECONDS];
  const mode = requireEnv(REFRESH_ENV.MODE);
  if (mode !== 'refresh' && mode !== 'restore-test') throw new InvalidInput(`${REFRESH_ENV.MODE} must be refresh or restore-test, got '${mode}'`);
  return {
    ownerId: requireEnv(ENV.OWNER_ID),
    kind: requireEnv(REFRESH_ENV.KIND),
    databaseIdentifier: requireEnv(REFRESH_ENV.DATABASE_IDENTIFIER).toLowerCase(),
    copyPrefix: requireEnv(REFRESH_ENV.COPY_PREFIX),
    copyOwnerId: requireEnv(REFRESH_ENV.COPY_OWNER_ID),
    sourceCluster: requireEnv(REFRESH_ENV.SOURCE_CLUSTER).toLowerCase(),
    sourceAccount: process.env[REFRESH_ENV.SOURCE_ACCOUNT] || undefined,
    mode,
    restore: JSON.parse(requireEnv(REFRESH_ENV.RESTORE_SETTINGS)) as RestoreSettings,
    finalSnapshot: process.env[REFRESH_ENV.FINAL_SNAPSHOT] === 'true',
    keepPreviousSeconds: keep ? Number(keep) : undefined,
    restoreTimeoutSeconds: Number(requireEnv(REFRESH_ENV.RESTORE_TIMEOUT_SECONDS)),
    staleAfterSeconds: Number(requireEnv(REFRESH_ENV.STALE_AFTER_SECONDS)),
  };
}
