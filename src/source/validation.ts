import { Duration, Stack, Token } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { SharedClusterSnapshotsProps } from './props';
import { validateEventProps } from './event-props';
import { ACCOUNT_ID_PATTERN, DEFAULTS, MAX_CHECKS_PER_PHASE, MAX_CONCURRENT_COPIES, MAX_REQUESTS_PER_SECOND, MAX_TARGET_ACCOUNTS, MAX_WAIT_INTERVAL_SECONDS, MIN_REQUESTS_PER_SECOND, MIN_WAIT_INTERVAL_SECONDS } from '../shared/constants';
import { IDENTIFIER_RULE, isValidIdentifier, isValidPrefix, PREFIX_RULE } from '../shared/naming.lambda-shared';

/** The props' defaults, as the construct uses them (the plain values live in `constants.ts`). */
export const PROP_DEFAULTS = {
  rdsRequestsPerSecond: DEFAULTS.rdsRequestsPerSecond,
  waitInterval: Duration.seconds(DEFAULTS.waitIntervalSeconds),
  snapshotTimeout: Duration.seconds(DEFAULTS.snapshotTimeoutSeconds),
  retainSnapshots: DEFAULTS.retainSnapshots,
  snapshotPrefix: DEFAULTS.snapshotPrefix,
  maxConcurrentCopies: DEFAULTS.maxConcurrentCopies,
};

/** Throws an error that names the prop, the value and the rule. Unresolved tokens are not checked. */
export function validateProps(stack: Stack, props: SharedClusterSnapshotsProps): void {
  validateClusters(props);
  validateTargets(stack, props.targetAccountIds);
  validateTiming(props);
  if (props.encryptionKey) validateEncryptionKey(stack, props.encryptionKey);
  const retain = props.retainSnapshots;
  if (retain !== undefined && !Token.isUnresolved(retain) && (!Number.isInteger(retain) || retain < 1)) {
    throw new Error(`retainSnapshots must be a whole number of at least 1, got ${retain}`);
  }
  const rate = props.rdsRequestsPerSecond;
  const rateOutOfRange = rate !== undefined && (rate < MIN_REQUESTS_PER_SECOND || rate > MAX_REQUESTS_PER_SECOND);
  if (rate !== undefined && !Token.isUnresolved(rate) && (!Number.isInteger(rate) || rateOutOfRange)) {
    throw new Error(`rdsRequestsPerSecond must be a whole number from ${MIN_REQUESTS_PER_SECOND} to ${MAX_REQUESTS_PER_SECOND}, got ${rate}`);
  }
  const copies = props.maxConcurrentCopies;
  if (copies !== undefined && !Token.isUnresolved(copies) && (!Number.isInteger(copies) || copies < 1 || copies > MAX_CONCURRENT_COPIES)) {
    throw new Error(`maxConcurrentCopies must be a whole number from 1 to ${MAX_CONCURRENT_COPIES} (RDS allows ${MAX_CONCURRENT_COPIES} copies in progress per account and Region), got ${copies}`);
  }
  validateEventProps(props);
  const prefix = props.snapshotPrefix;
  if (prefix !== undefined && (Token.isUnresolved(prefix) || !isValidPrefix(prefix))) {
    throw new Error(
      `snapshotPrefix must be ${PREFIX_RULE} (and not a token), got '${prefix}'`,
    );
  }
}

function validateClusters(props: SharedClusterSnapshotsProps): void {
  const ids = props.clusterIdentifiers ?? [];
  if (ids.length === 0 && !props.clusterTag) {
    throw new Error('Give clusterIdentifiers, clusterTag or both: neither was given, so there is nothing to snapshot');
  }
  const seen = new Set<string>();
  for (const id of ids) {
    if (Token.isUnresolved(id)) continue;
    if (!isValidIdentifier(id)) {
      throw new Error(
        `clusterIdentifiers contains '${id}', which is not a DB cluster identifier: ${IDENTIFIER_RULE}`,
      );
    }
    if (seen.has(id.toLowerCase())) throw new Error(`clusterIdentifiers contains '${id}' twice`);
    seen.add(id.toLowerCase());
  }
  const tag = props.clusterTag;
  if (tag && !Token.isUnresolved(tag.key) && (tag.key.length < 1 || tag.key.length > 128 || /^(aws|rds):/i.test(tag.key))) {
    throw new Error(`clusterTag.key must be 1-128 characters and not start with 'aws:' or 'rds:' (reserved), got '${tag.key}'`);
  }
  if (tag && !Token.isUnresolved(tag.value) && tag.value.length > 256) {
    throw new Error(`clusterTag.value must be at most 256 characters, got ${tag.value.length}`);
  }
}

function validateTargets(stack: Stack, targets: string[]): void {
  if (!Array.isArray(targets) || targets.length < 1 || targets.length > MAX_TARGET_ACCOUNTS) {
    throw new Error(`targetAccountIds must list 1 to ${MAX_TARGET_ACCOUNTS} account ids (RDS shares a snapshot with at most 20), got ${targets?.length ?? 0}`);
  }
  const seen = new Set<string>();
  for (const account of targets) {
    if (Token.isUnresolved(account)) continue;
    if (!ACCOUNT_ID_PATTERN.test(account)) {
      throw new Error(`targetAccountIds contains '${account}', which is not a 12-digit AWS account id`);
    }
    if (seen.has(account)) throw new Error(`targetAccountIds contains '${account}' twice`);
    seen.add(account);
    if (!Token.isUnresolved(stack.account) && stack.account === account) {
      throw new Error(`targetAccountIds contains '${account}', which is this stack's own account: snapshots are already restorable here`);
    }
  }
}

/**
 * RDS needs the key itself: CDK's grants on an imported alias do nothing, and a snapshot's
 * `KmsKeyId` is always a key ARN, which never equals an alias ARN. A key of another Region cannot
 * encrypt a copy in this one. Literal parts of a partly unresolved ARN are still checked.
 */
function validateEncryptionKey(stack: Stack, key: kms.IKey): void {
  const aliasName = (key as Partial<kms.IAlias>).aliasName;
  const arnAlias = /:(alias\/[^:]*)$/.exec(key.keyArn)?.[1];
  if (aliasName !== undefined || arnAlias !== undefined) {
    const name = aliasName !== undefined && !Token.isUnresolved(aliasName) ? aliasName : arnAlias ?? 'an alias';
    throw new Error(
      `encryptionKey is the KMS alias '${name}', not a key: RDS reports snapshots by key ARN and CDK cannot grant on an imported alias. `
      + "Pass kms.Key.fromKeyArn(this, 'SharingKey', '<key ARN>') with the ARN of the key the alias points to instead (or the kms.Key itself)",
    );
  }
  const keyRegion = key.env.region;
  if (!Token.isUnresolved(keyRegion) && !Token.isUnresolved(stack.region) && keyRegion !== stack.region) {
    throw new Error(
      `encryptionKey is in ${keyRegion}, but this stack deploys to ${stack.region}: RDS encrypts a snapshot copy only with a key of the `
      + `snapshot's own Region. Pass a key in ${stack.region} (for a multi-Region key, its replica in ${stack.region})`,
    );
  }
}

function validateTiming(props: SharedClusterSnapshotsProps): void {
  const interval = wholeSeconds('waitInterval', props.waitInterval ?? PROP_DEFAULTS.waitInterval);
  if (interval < MIN_WAIT_INTERVAL_SECONDS || interval > MAX_WAIT_INTERVAL_SECONDS) {
    throw new Error(`waitInterval must be between 1 second and 1 hour, got ${interval} seconds`);
  }
  if (props.snapshotTimeout === undefined) return;
  const timeout = wholeSeconds('snapshotTimeout', props.snapshotTimeout);
  if (timeout < interval) {
    throw new Error(`snapshotTimeout (${timeout} seconds) must be at least waitInterval (${interval} seconds)`);
  }
  if (Math.ceil(timeout / interval) > MAX_CHECKS_PER_PHASE) {
    throw new Error(
      `snapshotTimeout (${timeout} seconds) needs ${Math.ceil(timeout / interval)} checks at waitInterval (${interval} seconds); at most ${MAX_CHECKS_PER_PHASE} are allowed (an execution's history holds 25,000 events). Lengthen waitInterval or shorten snapshotTimeout`,
    );
  }
}

/** Step Functions counts in whole seconds; say so in this library's words, not CDK's. */
function wholeSeconds(prop: string, duration: Duration): number {
  if (Token.isUnresolved(duration.toMilliseconds({ integral: false }))) {
    throw new Error(`${prop} must be a literal duration, not a token`);
  }
  const ms = duration.toMilliseconds({ integral: false });
  if (!Number.isFinite(ms) || ms % 1000 !== 0) {
    throw new Error(`${prop} must be a whole number of seconds, got ${ms / 1000} seconds`);
  }
  return ms / 1000;
}

/** The effective snapshot timeout: the prop, or 6 hours capped at 2,000 checks. */
export function snapshotTimeoutOf(props: SharedClusterSnapshotsProps): Duration {
  if (props.snapshotTimeout) return props.snapshotTimeout;
  const interval = (props.waitInterval ?? PROP_DEFAULTS.waitInterval).toSeconds();
  return Duration.seconds(Math.min(DEFAULTS.snapshotTimeoutSeconds, interval * MAX_CHECKS_PER_PHASE));
}
