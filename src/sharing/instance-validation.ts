import { Token } from 'aws-cdk-lib';
import type { SharedClusterSnapshotsProps } from './props';
import { selectionProblems } from './selection-validation';
import { MAX_CONCURRENT_INSTANCE_COPIES } from '../shared/constants';

/** The DB instance props' rules, checked at synth as the cluster selection's are (unresolved tokens skipped). */
export function instanceProblems(props: SharedClusterSnapshotsProps): string[] {
  const problems = selectionProblems(props.instanceIdentifiers ?? [], props.instanceTag, {
    ids: 'instanceIdentifiers', tag: 'instanceTag', what: 'a DB instance identifier',
  });
  const copies = props.maxConcurrentInstanceCopies;
  if (copies !== undefined && !Token.isUnresolved(copies) && (!Number.isInteger(copies) || copies < 1 || copies > MAX_CONCURRENT_INSTANCE_COPIES)) {
    problems.push(`maxConcurrentInstanceCopies must be a whole number from 1 to ${MAX_CONCURRENT_INSTANCE_COPIES} `
      + `(RDS allows ${MAX_CONCURRENT_INSTANCE_COPIES} DB snapshot copies in progress per account and Region), got ${copies}`);
  }
  return problems;
}
