import { Stack, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { encryptionKeyProblems } from './key-validation';
import type { SharedClusterSnapshotsProps } from './props';
import { selectionProblems } from './selection-validation';
import type { SnapshotSource } from './snapshot-source';
import { MAX_AUTOMATED_SNAPSHOT_MAX_AGE_SECONDS, MAX_CONCURRENT_INSTANCE_COPIES, MIN_AUTOMATED_SNAPSHOT_MAX_AGE_SECONDS } from '../shared/constants';

/** The DB instance props' rules, checked at synth as the cluster selection's are (unresolved tokens skipped). */
export function instanceProblems(scope: Construct, props: SharedClusterSnapshotsProps): string[] {
  const problems = selectionProblems(props.instanceIdentifiers ?? [], props.instanceTag, {
    ids: 'instanceIdentifiers', tag: 'instanceTag', what: 'a DB instance identifier',
  });
  const copies = props.maxConcurrentInstanceCopies;
  if (copies !== undefined && !Token.isUnresolved(copies) && (!Number.isInteger(copies) || copies < 1 || copies > MAX_CONCURRENT_INSTANCE_COPIES)) {
    problems.push(`maxConcurrentInstanceCopies must be a whole number from 1 to ${MAX_CONCURRENT_INSTANCE_COPIES} `
      + `(RDS allows ${MAX_CONCURRENT_INSTANCE_COPIES} DB snapshot copies in progress per account and Region), got ${copies}`);
  }
  problems.push(...snapshotSourceProblems(props.snapshotSource));
  (props.additionalSharingKeys ?? []).forEach((key, i) => problems.push(...encryptionKeyProblems(Stack.of(scope), key, `additionalSharingKeys[${i}]`)));
  return problems;
}

/** `newestAutomatedSnapshot(maxAge)`: a literal whole number of seconds, from an hour to 35 days. */
function snapshotSourceProblems(source: SnapshotSource | undefined): string[] {
  const maxAge = source?.maxAge;
  if (source?.kind !== 'automated' || maxAge === undefined) return [];
  const ms = maxAge.toMilliseconds({ integral: false });
  if (Token.isUnresolved(ms)) return ['snapshotSource maxAge must be a literal duration, not a token'];
  const seconds = ms / 1000;
  if (!Number.isInteger(seconds) || seconds < MIN_AUTOMATED_SNAPSHOT_MAX_AGE_SECONDS || seconds > MAX_AUTOMATED_SNAPSHOT_MAX_AGE_SECONDS) {
    return [`snapshotSource maxAge must be a whole number of seconds from 1 hour to 35 days (the longest backup retention), got ${seconds} seconds`];
  }
  return [];
}
