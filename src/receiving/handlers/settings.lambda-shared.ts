import { integerEnv, listEnv, requireEnv } from '../../shared/config.lambda-shared';
import { ENV, TARGET_ENV } from '../../shared/constants';

/** The receiver's configuration, as the construct sets it on every function. */
export interface ReceiverSettings {
  readonly ownerId: string;
  readonly sourceAccountIds: string[];
  /** Only shared snapshots whose identifier starts with this; '' for all. */
  readonly sourceSnapshotPrefix: string;
  /**
   * Only these source clusters and DB instances (lowercase). When both are empty every database of
   * the sources is copied; when either lists any, only the listed ones (of either kind).
   */
  readonly clusterIdentifiers: string[];
  readonly instanceIdentifiers: string[];
  /** The option group of a DB snapshot copy that needs one (`optionGroupName`); undefined when not set. */
  readonly optionGroupName?: string;
  readonly copyPrefix: string;
  readonly region: string;
}

/** Read per invocation (tests and the simulator run several configurations in one process). */
export function receiverSettings(): ReceiverSettings {
  return {
    ownerId: requireEnv(ENV.OWNER_ID),
    sourceAccountIds: listEnv(TARGET_ENV.SOURCE_ACCOUNT_IDS),
    sourceSnapshotPrefix: process.env[TARGET_ENV.SOURCE_SNAPSHOT_PREFIX] ?? '',
    clusterIdentifiers: listEnv(TARGET_ENV.SOURCE_CLUSTER_IDENTIFIERS).map((id) => id.toLowerCase()),
    instanceIdentifiers: listEnv(TARGET_ENV.SOURCE_INSTANCE_IDENTIFIERS).map((id) => id.toLowerCase()),
    optionGroupName: process.env[TARGET_ENV.OPTION_GROUP_NAME] || undefined,
    copyPrefix: requireEnv(TARGET_ENV.COPY_PREFIX),
    region: requireEnv('AWS_REGION'),
  };
}

export function copyKeyArn(): string {
  return requireEnv(TARGET_ENV.COPY_KEY_ARN);
}

export function retainCopies(): number {
  return integerEnv(TARGET_ENV.RETAIN_COPIES);
}

export function confirmCopies(): boolean {
  return requireEnv(TARGET_ENV.CONFIRM_COPIES) === 'true';
}
