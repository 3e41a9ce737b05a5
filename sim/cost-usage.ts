/**
 * What one account's deployment used in a window of virtual time, read from a simulation: the
 * measured inputs of the cost model (sim/cost-model.ts). Everything here is counted in the simulated
 * run, except what its timing model assumes: the simulator gives each Lambda invocation a fixed time
 * (`lambdaMs`) on top of what the handler waited for the simulated AWS APIs.
 */
import type { FakeRds } from './fake-rds';
import type { LogCapture, LogLine } from './log-capture';
import type { Simulation } from './simulation';

const HOUR = 3_600_000;
/** A request id as Lambda writes it in its log lines (a UUID). */
const REQUEST_ID = '8f5e2f8a-1c3b-4c5d-9e6f-0a1b2c3d4e5f';

export interface UsageWindow {
  readonly from: number;
  readonly to: number;
}

/** One account's measured usage in a window; every count is for the whole window. */
export interface MeasuredUsage {
  readonly hours: number;
  /** Executions started (each one X-Ray trace, with tracing on). */
  readonly executions: number;
  readonly stateTransitions: number;
  readonly lambdaInvocations: number;
  /** Lambda GB-seconds, by architecture (`arm64`, `x86_64`). */
  readonly lambdaGbSeconds: Record<string, number>;
  /** Log events written: the functions' lines, Lambda's own lines, the state machines' records. */
  readonly logEvents: number;
  /** Their UTF-8 bytes, without CloudWatch Logs' per-event overhead. */
  readonly logBytes: number;
  /** Distinct custom metrics published (each namespace, name and dimension set with its values). */
  readonly metrics: number;
  /** For each custom metric, the hours in which it got data, summed. */
  readonly metricHours: number;
  /** EventBridge events this account put, on its own bus or another account's. */
  readonly events: number;
  /** Invocations by EventBridge Scheduler, every attempt counted. */
  readonly scheduledInvocations: number;
  /** Snapshot copies RDS started for this account (each under a KMS key). */
  readonly snapshotCopies: number;
  /**
   * Snapshot-hours of snapshots beyond the retained ones: a snapshot made and deleted within the
   * window (the temporary snapshot) for its whole life, and a new retained snapshot until it was
   * available (the one it replaces is kept until then).
   */
  readonly transientSnapshotHours: number;
  /** The same in each other Region the account's RDS was used in (a receiver's replica Regions); absent when none. */
  readonly replicaTransientSnapshotHours?: Record<string, number>;
}

/** The log lines Lambda writes itself for one invocation (text format): START, END, REPORT. */
export function platformLines(billedMs: number, memoryMb: number): string[] {
  return [
    `START RequestId: ${REQUEST_ID} Version: $LATEST`,
    `END RequestId: ${REQUEST_ID}`,
    `REPORT RequestId: ${REQUEST_ID}\tDuration: ${billedMs.toFixed(2)} ms\tBilled Duration: ${Math.ceil(billedMs)} ms\t`
      + `Memory Size: ${memoryMb} MB\tMax Memory Used: ${Math.round(memoryMb / 3)} MB\t`,
  ];
}

/** The prefix Node.js's runtime writes before a console line (text format): its time, request id and level. */
const CONSOLE_PREFIX = `${new Date(0).toISOString()}\t${REQUEST_ID}\tINFO\t`;

/** A handler's line's size as the log group holds it, in bytes. */
export function storedBytes(line: LogLine): number {
  return line.via === 'console' ? CONSOLE_PREFIX.length + line.bytes : line.bytes;
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * Measures `sim`'s account in `window`. `logs`: where its handlers' lines were captured (a world's,
 * or the Simulation's `logs` option); `eventTimes`: when the account put each event;
 * `lambdaMs`: the timing model's time per invocation.
 */
export function measureUsage(
  sim: Simulation,
  logs: LogCapture,
  window: UsageWindow,
  options: { readonly lambdaMs: number; readonly eventTimes: number[] },
): MeasuredUsage {
  const within = (at: number) => at >= window.from && at < window.to;
  const executions = sim.executions.filter((e) => within(e.startedAt));
  const invocations = sim.invocations.filter((i) => within(i.at));
  const lines = logs.lines.filter((l) => l.account === sim.account && within(l.at));

  const lambdaGbSeconds: Record<string, number> = {};
  let logEvents = 0;
  let logBytes = 0;
  for (const invocation of invocations) {
    const billedMs = invocation.handlerMs + options.lambdaMs;
    lambdaGbSeconds[invocation.architecture] = (lambdaGbSeconds[invocation.architecture] ?? 0) + (billedMs / 1000) * (invocation.memoryMb / 1024);
    for (const line of platformLines(billedMs, invocation.memoryMb)) {
      logEvents++;
      logBytes += bytes(line);
    }
  }
  for (const line of lines) {
    logEvents++;
    logBytes += storedBytes(line);
  }
  for (const record of executions.flatMap((e) => e.logRecords)) {
    logEvents++;
    logBytes += record;
  }

  const replicaRegions = sim.rds.regions().slice(1);
  const replicaHours = Object.fromEntries(replicaRegions.map((r) => [r, transientSnapshotHours(sim.rds.inRegion(r), window)]));
  const metricHours = new Map<string, Set<number>>();
  for (const m of logs.metrics.filter((v) => v.account === sim.account && within(v.at))) {
    const key = JSON.stringify([m.namespace, m.name, Object.entries(m.dimensions).sort()]);
    metricHours.set(key, (metricHours.get(key) ?? new Set()).add(Math.floor(m.at / HOUR)));
  }

  return {
    hours: (window.to - window.from) / HOUR,
    executions: executions.length,
    stateTransitions: executions.reduce((n, e) => n + e.stateTransitions, 0),
    lambdaInvocations: invocations.length,
    lambdaGbSeconds,
    logEvents,
    logBytes,
    metrics: metricHours.size,
    metricHours: [...metricHours.values()].reduce((n, hours) => n + hours.size, 0),
    events: options.eventTimes.filter(within).length,
    scheduledInvocations: sim.scheduledInvocations.filter(within).length,
    snapshotCopies: sim.rds.calls.filter((c) => c.api === 'CopyDBClusterSnapshot' && !c.error && within(c.at)).length,
    transientSnapshotHours: transientSnapshotHours(sim.rds, window),
    ...(replicaRegions.length ? { replicaTransientSnapshotHours: replicaHours } : {}),
  };
}

/** `rds`'s snapshots (of its Region alone) beyond the retained ones, in snapshot-hours (MeasuredUsage.transientSnapshotHours). */
function transientSnapshotHours(rds: FakeRds, window: UsageWindow): number {
  let ms = 0;
  for (const life of rds.lifecycles.values()) {
    if (life.createdAt < window.from || life.createdAt >= window.to) continue;
    const end = life.deletedAt !== undefined && life.deletedAt < window.to ? life.deletedAt : Math.min(life.availableAt ?? window.to, window.to);
    ms += end - life.createdAt;
  }
  return ms / HOUR;
}
