import { ENV, integerEnv } from './config.lambda-shared';
import { InvalidInput } from './errors.lambda-shared';
import { isValidIdentifier, isValidRunId, snapshotIdentifier } from './naming.lambda-shared';
import { requireObject } from './validate.lambda-shared';
import type { RunPlan } from './workflow-state.lambda-shared';

/**
 * Validates a plan handed back by the state machine. The snapshot names must be exactly the ones
 * this construct derives for the cluster and run, so an event cannot point a handler at a snapshot
 * the construct does not own.
 */
export function parsePlan(event: unknown, prefix: string): RunPlan {
  const plan = requireObject(event, 'The run plan') as unknown as RunPlan;
  if (typeof plan.clusterIdentifier !== 'string' || !isValidIdentifier(plan.clusterIdentifier)) {
    throw new InvalidInput(`The run plan's clusterIdentifier is malformed: ${JSON.stringify(plan.clusterIdentifier)?.slice(0, 100)}`);
  }
  if (typeof plan.runId !== 'string' || !isValidRunId(plan.runId)) {
    throw new InvalidInput(`The run plan's runId is malformed: ${JSON.stringify(plan.runId)?.slice(0, 100)}`);
  }
  const shared = snapshotIdentifier(prefix, plan.clusterIdentifier, plan.runId, 'shared');
  const temporary = snapshotIdentifier(prefix, plan.clusterIdentifier, plan.runId, 'temporary');
  if (plan.sharedSnapshotIdentifier !== shared) {
    throw new InvalidInput(`sharedSnapshotIdentifier must be '${shared}' for this cluster and run`);
  }
  if (typeof plan.copyRequired !== 'boolean') {
    throw new InvalidInput('The run plan\'s copyRequired must be a boolean');
  }
  const expectedTemporary = plan.copyRequired ? temporary : undefined;
  if (plan.temporarySnapshotIdentifier !== expectedTemporary) {
    throw new InvalidInput(`temporarySnapshotIdentifier must be ${expectedTemporary ? `'${expectedTemporary}'` : 'absent'} for this plan`);
  }
  if (plan.awaitingSnapshotIdentifier !== undefined && ![shared, expectedTemporary].includes(plan.awaitingSnapshotIdentifier)) {
    throw new InvalidInput('awaitingSnapshotIdentifier must be one of this run\'s snapshots');
  }
  return plan;
}

/** The snapshot the first phase creates: the temporary one when a copy follows, else the shared one. */
export function createdSnapshotIdentifier(plan: RunPlan): string {
  return plan.temporarySnapshotIdentifier ?? plan.sharedSnapshotIdentifier;
}

/** When a wait that starts now must end: `snapshotTimeout` later. */
export function deadlineFromNow(): string {
  return new Date(Date.now() + integerEnv(ENV.SNAPSHOT_TIMEOUT_SECONDS) * 1000).toISOString();
}
