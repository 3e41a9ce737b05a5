import { automatedPrefix } from './automated-source.lambda-shared';
import { sharingKeyIn } from './regions.lambda-shared';
import type { RunPlan } from './workflow-state.lambda-shared';
import { integerEnv } from '../../shared/config.lambda-shared';
import { ACCOUNT_ID_PATTERN, ENV, MAX_POLL_STRIDE } from '../../shared/constants';
import { isDatabaseKind } from '../../shared/database-kind.lambda-shared';
import { InvalidInput } from '../../shared/errors.lambda-shared';
import { isValidIdentifier, isValidRunId, SnapshotNaming, snapshotIdentifier } from '../../shared/naming.lambda-shared';
import { preview, requireObject } from '../../shared/validate.lambda-shared';

/**
 * Validates a plan handed back by the state machine. The snapshot names must be exactly the ones
 * this construct derives for the cluster and run, so an event cannot point a handler at a snapshot
 * the construct does not own.
 */
export function parsePlan(event: unknown, naming: SnapshotNaming): RunPlan {
  const plan = requireObject(event, 'The run plan') as unknown as RunPlan;
  const cluster = plan.clusterIdentifier;
  if (typeof cluster !== 'string' || !isValidIdentifier(cluster) || cluster !== cluster.toLowerCase()) {
    throw new InvalidInput(`The run plan's clusterIdentifier is malformed (lowercase identifier expected): ${preview(cluster)}`);
  }
  if (plan.databaseKind !== undefined && !isDatabaseKind(plan.databaseKind)) {
    throw new InvalidInput(`The run plan's databaseKind must be 'cluster' or 'instance': ${preview(plan.databaseKind)}`);
  }
  if (typeof plan.runId !== 'string' || !isValidRunId(plan.runId)) {
    throw new InvalidInput(`The run plan's runId is malformed: ${preview(plan.runId)}`);
  }
  const shared = snapshotIdentifier(naming, cluster, plan.runId, 'shared');
  const temporary = snapshotIdentifier(naming, cluster, plan.runId, 'temporary');
  if (plan.sharedSnapshotIdentifier !== shared) {
    throw new InvalidInput(`sharedSnapshotIdentifier must be '${shared}' for this cluster and run`);
  }
  if (typeof plan.copyRequired !== 'boolean') {
    throw new InvalidInput('The run plan\'s copyRequired must be a boolean');
  }
  const automated = automatedSourceOf(plan, cluster);
  const expectedTemporary = plan.copyRequired && automated === undefined ? temporary : undefined;
  if (plan.temporarySnapshotIdentifier !== expectedTemporary) {
    throw new InvalidInput(`temporarySnapshotIdentifier must be ${expectedTemporary ? `'${expectedTemporary}'` : 'absent'} for this plan`);
  }
  if (plan.awaitingSnapshotIdentifier !== undefined && ![shared, expectedTemporary].includes(plan.awaitingSnapshotIdentifier)) {
    throw new InvalidInput('awaitingSnapshotIdentifier must be one of this run\'s snapshots');
  }
  for (const field of ['deadline', 'snapshotArn', 'copyDeadline'] as const) {
    if (plan[field] !== undefined && typeof plan[field] !== 'string') {
      throw new InvalidInput(`The run plan's ${field} must be a string`);
    }
  }
  if (plan.copyDeadline !== undefined && (!plan.copyRequired || Number.isNaN(Date.parse(plan.copyDeadline)))) {
    throw new InvalidInput(`The run plan's copyDeadline must be an ISO-8601 time, and only in a plan with a copy: ${JSON.stringify(plan.copyDeadline).slice(0, 100)}`);
  }
  if (plan.sharedWith !== undefined && (!Array.isArray(plan.sharedWith) || !plan.sharedWith.every((a) => typeof a === 'string' && ACCOUNT_ID_PATTERN.test(a)))) {
    throw new InvalidInput('The run plan\'s sharedWith must be a list of 12-digit account ids');
  }
  if (plan.optionGroupName !== undefined && typeof plan.optionGroupName !== 'string') {
    throw new InvalidInput('The run plan\'s optionGroupName must be a string');
  }
  if (plan.requiredOptions !== undefined && (!Array.isArray(plan.requiredOptions) || !plan.requiredOptions.every((o) => typeof o === 'string'))) {
    throw new InvalidInput('The run plan\'s requiredOptions must be a list of option names');
  }
  if (plan.pollStride !== undefined && !isPollStride(plan.pollStride)) {
    throw new InvalidInput(`The run plan's pollStride must be a whole number from 1 to ${MAX_POLL_STRIDE}`);
  }
  // A plan in another Region (regions) holds only its copy of the shared snapshot: nothing to copy there.
  if (plan.region !== undefined) {
    sharingKeyIn(plan.region);
    if (plan.copyRequired) throw new InvalidInput('A run plan in another Region copies nothing: its copyRequired must be false');
  }
  return plan;
}

/**
 * The automated snapshot a copy starts from (`snapshotSource`), checked: only a DB instance's own
 * (`rds:<instance>-`), only with a copy, with its time. An event cannot point the copy elsewhere.
 */
function automatedSourceOf(plan: RunPlan, instance: string): string | undefined {
  const source = plan.sourceSnapshotIdentifier;
  if (source === undefined) return undefined;
  if (plan.databaseKind !== 'instance' || plan.copyRequired !== true || typeof source !== 'string' || !source.startsWith(automatedPrefix(instance))) {
    throw new InvalidInput(`The run plan's sourceSnapshotIdentifier must be an automated snapshot of DB instance '${instance}' to copy: ${preview(source)}`);
  }
  if (typeof plan.sourceSnapshotTime !== 'string' || Number.isNaN(Date.parse(plan.sourceSnapshotTime))) {
    throw new InvalidInput('The run plan\'s sourceSnapshotTime must be an ISO-8601 time');
  }
  return source;
}

export function isPollStride(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_POLL_STRIDE;
}

/** The snapshot the first phase creates: the temporary one when a copy follows, else the shared one. */
export function createdSnapshotIdentifier(plan: RunPlan): string {
  return plan.temporarySnapshotIdentifier ?? plan.sharedSnapshotIdentifier;
}

/** When a wait that starts now must end: `snapshotTimeout` later. */
export function deadlineFromNow(): string {
  return new Date(Date.now() + integerEnv(ENV.SNAPSHOT_TIMEOUT_SECONDS) * 1000).toISOString();
}
