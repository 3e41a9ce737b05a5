import { createHash } from 'crypto';
import { ReplicaNotConfigured } from './errors.lambda-shared';
import type { ReceiverSettings } from './settings.lambda-shared';
import { MAX_EXECUTION_NAME_LENGTH, TARGET_ENV } from '../../shared/constants';
import { DatabaseKind, isDatabaseKind } from '../../shared/database-kind.lambda-shared';
import { InvalidInput } from '../../shared/errors.lambda-shared';
import { isValidIdentifier } from '../../shared/naming.lambda-shared';
import { rejectUnknownKeys, requireObject } from '../../shared/validate.lambda-shared';

/** One of `replicaRegions`, as the construct sets it (TARGET_ENV.REPLICA_REGIONS). */
export interface ReplicaRegionSettings {
  readonly region: string;
  /** The key every replica in `region` is encrypted with (a key ARN of `region`). */
  readonly keyArn: string;
  readonly retainCopies: number;
}

/** The replica execution's input: one of this receiver's copies, to replicate into one Region. */
export interface ReplicaInput {
  readonly copyIdentifier: string;
  readonly region: string;
  /** `instance` for a copy of a DB snapshot; absent for a cluster snapshot copy. */
  readonly kind?: DatabaseKind;
}

/** The state the replica steps pass on. The origin comes from the copy's tags in RDS, never from the input. */
export interface ReplicaState extends ReplicaInput {
  readonly sourceAccount: string;
  readonly snapshotArn: string;
  readonly clusterIdentifier: string;
  readonly sourceSnapshotTime: string;
  /** The copy in this receiver's Region that is replicated. */
  readonly copyArn: string;
  /** ISO-8601: the last status check; past it the replica times out. */
  readonly deadline: string;
  readonly copyRequestedAt: string;
  /** Set once the replica is available. */
  readonly replicaArn?: string;
  /** Set by RetainReplicas: the older replicas it deleted in the Region. */
  readonly deletedReplicas?: string[];
  /** Set by RetainReplicas: the `Cluster Snapshot Replicated` event detail, for the PutEvents step. */
  readonly replicated?: Record<string, string>;
}

const INPUT_KEYS = ['copyIdentifier', 'region', 'kind'] as const;
const STATE_KEYS = [...INPUT_KEYS, 'sourceAccount', 'snapshotArn', 'clusterIdentifier', 'sourceSnapshotTime', 'copyArn', 'deadline', 'copyRequestedAt',
  'replicaArn', 'deletedReplicas', 'replicated'];

/** Every replica Region with its key and retention; empty without `replicaRegions`. */
export function replicaRegions(): ReplicaRegionSettings[] {
  const raw = process.env[TARGET_ENV.REPLICA_REGIONS];
  return raw ? JSON.parse(raw) as ReplicaRegionSettings[] : [];
}

/** Checks a replica input: a Region of `replicaRegions` and a copy identifier of this receiver. */
export function parseReplicaInput(event: unknown, settings: ReceiverSettings): { input: ReplicaInput; replica: ReplicaRegionSettings } {
  const obj = requireObject(event, 'The replica input');
  rejectUnknownKeys(obj, INPUT_KEYS, 'The replica input');
  const replica = replicaRegions().find((r) => r.region === obj.region);
  if (!replica) {
    throw new ReplicaNotConfigured(`Region ${JSON.stringify(obj.region)?.slice(0, 40)} is not one of replicaRegions (${replicaRegions().map((r) => r.region).join(', ') || 'none'})`);
  }
  const id = obj.copyIdentifier;
  if (typeof id !== 'string' || !isValidIdentifier(id) || !id.startsWith(`${settings.copyPrefix}-`)) {
    throw new ReplicaNotConfigured(`copyIdentifier ${JSON.stringify(id)?.slice(0, 80)} is not a copy identifier of this receiver (${settings.copyPrefix}-...)`);
  }
  if (obj.kind !== undefined && !isDatabaseKind(obj.kind)) throw new InvalidInput(`kind must be 'cluster' or 'instance', got ${JSON.stringify(obj.kind)?.slice(0, 40)}`);
  const kind = obj.kind === 'instance' ? { kind: obj.kind } : {};
  return { input: { copyIdentifier: id, region: replica.region, ...kind }, replica };
}

/** The kind of the copy a replica input names (a cluster snapshot copy unless it says `instance`). */
export function kindOf(input: ReplicaInput): DatabaseKind {
  return input.kind ?? 'cluster';
}

/** Checks the state a previous replica step returned. */
export function parseReplicaState(event: unknown, settings: ReceiverSettings): { state: ReplicaState; replica: ReplicaRegionSettings } {
  const obj = requireObject(event, 'The replica state');
  rejectUnknownKeys(obj, STATE_KEYS, 'The replica state');
  const { input, replica } = parseReplicaInput({ copyIdentifier: obj.copyIdentifier, region: obj.region, kind: obj.kind }, settings);
  for (const key of ['sourceAccount', 'snapshotArn', 'clusterIdentifier', 'sourceSnapshotTime', 'copyArn', 'deadline', 'copyRequestedAt'] as const) {
    if (typeof obj[key] !== 'string' || obj[key] === '') throw new InvalidInput(`The replica state has no ${key}`);
  }
  return { state: { ...(obj as unknown as ReplicaState), ...input }, replica };
}

/**
 * The replica execution's name: `<copy identifier>-<region>` (`-i-<region>` for a DB snapshot copy), and for the catch-up scan the scan's
 * minute too (`-at<yyyymmddhhmm>`), as `copyExecutionName` does. Past 80 characters the copy
 * identifier is cut and a hash of it kept, so two copies never share a name.
 */
export function replicaExecutionName(copyIdentifier: string, region: string, kind: DatabaseKind, scanRunId?: string): string {
  // A cluster snapshot copy and a DB snapshot copy may share an identifier: the latter's name says `-i-`.
  const suffix = `${kind === 'instance' ? '-i' : ''}-${region}${scanRunId === undefined ? '' : `-at${scanRunId}`}`;
  if (copyIdentifier.length + suffix.length <= MAX_EXECUTION_NAME_LENGTH) return `${copyIdentifier}${suffix}`;
  const hash = createHash('sha256').update(copyIdentifier).digest('hex').slice(0, 12);
  return `${copyIdentifier.slice(0, MAX_EXECUTION_NAME_LENGTH - suffix.length - hash.length - 1).replace(/-+$/, '')}-${hash}${suffix}`;
}
