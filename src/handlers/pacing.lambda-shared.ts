import { createHash } from 'crypto';
import { MAX_POLL_STRIDE } from './run-plan.lambda-shared';
import type { RunPlan } from './workflow-state.lambda-shared';

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
  const clustersPerMinute = Math.max(1, Math.floor(halfBudgetPerMinute / CALLS_PER_EXECUTION));
  const pollsPerMinute = (clusters * 60) / waitIntervalSeconds;
  const pollStride = Math.min(MAX_POLL_STRIDE, Math.max(1, Math.ceil(pollsPerMinute / halfBudgetPerMinute)));
  return { clustersPerMinute, pollStride };
}

/**
 * Whether this status check calls RDS. With a stride of 1, always. Otherwise on every
 * `pollStride`-th check, offset per cluster so the fleet's calls spread evenly, and always in the
 * last interval before the deadline, so a timeout is decided on a fresh status.
 */
export function shouldPoll(plan: RunPlan, now: number, waitIntervalSeconds: number, timeoutSeconds: number): boolean {
  const stride = plan.pollStride ?? 1;
  if (stride <= 1) return true;
  const deadline = Date.parse(plan.deadline ?? '');
  const interval = waitIntervalSeconds * 1000;
  if (Number.isNaN(deadline) || now >= deadline - interval) return true;
  const phaseStart = deadline - timeoutSeconds * 1000;
  const check = Math.round((now - phaseStart) / interval);
  return (check + clusterOffset(plan.clusterIdentifier, stride)) % stride === 0;
}

function clusterOffset(clusterIdentifier: string, stride: number): number {
  return createHash('sha256').update(clusterIdentifier).digest().readUInt32BE(0) % stride;
}
