import { createHash } from 'crypto';
import type { RunPlan } from './workflow-state.lambda-shared';
import { MAX_POLL_STRIDE, MAX_START_DELAY_SECONDS } from '../../shared/constants';

/**
 * RDS calls one execution makes besides its status checks: Prepare 2, CreateSnapshot 1,
 * CopySnapshot 1, ShareSnapshot 1, CleanUp about 5. Counted in the simulator (`npx projen bench`).
 */
export const CALLS_PER_EXECUTION = 10;

export interface FleetPacing {
  /** Executions to start per minute; the rest wait in whole minutes. */
  readonly clustersPerMinute: number;
  /** Only every `pollStride`-th status check calls RDS. */
  readonly pollStride: number;
}

/**
 * Keeps a fleet's sustained RDS request rate within `requestsPerSecond`: half the budget for the
 * fixed calls (starts are spread in waves of `clustersPerMinute`), half for status checks (the RDS
 * poll interval is stretched to `pollStride` × `waitInterval` once the fleet would poll faster).
 */
export function fleetPacing(clusters: number, requestsPerSecond: number, waitIntervalSeconds: number): FleetPacing {
  const halfBudgetPerMinute = (requestsPerSecond * 60) / 2;
  // Every start must fit within a day (the most an execution may be delayed), whatever the budget.
  const withinBudget = Math.floor(halfBudgetPerMinute / CALLS_PER_EXECUTION);
  const withinADay = Math.ceil(clusters / (MAX_START_DELAY_SECONDS / 60 + 1));
  const clustersPerMinute = Math.max(1, withinBudget, withinADay);
  const pollsPerMinute = (clusters * 60) / waitIntervalSeconds;
  const pollStride = Math.min(MAX_POLL_STRIDE, Math.max(1, Math.ceil(pollsPerMinute / halfBudgetPerMinute)));
  return { clustersPerMinute, pollStride };
}

/**
 * Whether this status check calls RDS. With a stride of 1, always. Otherwise when a multiple of
 * `pollStride` (in checks since the phase started, offset per cluster so the fleet's calls spread
 * evenly) passed since the previous check, and always in the last interval before the deadline, so
 * a timeout is decided on a fresh status. Checks drift later as Lambda time adds up, so "since the
 * previous check" reaches back a little more than one interval: a turn is never skipped, at the
 * cost of an occasional extra call.
 */
export function shouldPoll(plan: RunPlan, now: number, waitIntervalSeconds: number, timeoutSeconds: number): boolean {
  const stride = plan.pollStride ?? 1;
  if (stride <= 1) return true;
  const deadline = Date.parse(plan.deadline ?? '');
  const interval = waitIntervalSeconds * 1000;
  if (Number.isNaN(deadline) || now >= deadline - interval) return true;
  const phaseStart = deadline - timeoutSeconds * 1000;
  // Turns fall half-way between two checks, so a check a little early or late still counts as the
  // check it was meant to be.
  const position = (now - phaseStart) / interval + clusterOffset(plan.clusterIdentifier, stride) + 0.5;
  const lastTurn = Math.floor(position / stride) * stride;
  return lastTurn > position - 1 - DRIFT_ALLOWANCE;
}

/** How far, in intervals, the previous check may lie more than one interval back. */
const DRIFT_ALLOWANCE = 0.05;

function clusterOffset(clusterIdentifier: string, stride: number): number {
  return createHash('sha256').update(clusterIdentifier).digest().readUInt32BE(0) % stride;
}
