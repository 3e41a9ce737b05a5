import type { Simulation } from './simulation';
import type { Execution } from './step-functions';

export interface TimelineEntry {
  readonly state: string;
  readonly enteredAt: number;
  exitedAt?: number;
  /** Invocations of the state on this entry, retries included. */
  attempts: number;
  failedWith?: string;
}

export interface PhaseSpan {
  readonly start: number;
  readonly end: number;
}

export interface ExecutionReport {
  readonly name: string;
  /** The database the execution snapshots: its `clusterIdentifier`, or a DB instance's `instanceIdentifier`. */
  readonly cluster?: string;
  readonly status: string;
  readonly error?: string;
  readonly startedAt: number;
  readonly stoppedAt?: number;
  readonly stateTransitions: number;
  readonly handlerInvocations: number;
  readonly rdsCalls: Record<string, number>;
  readonly timeline: TimelineEntry[];
  readonly phases: Record<string, PhaseSpan>;
  /** Per snapshot this execution created: time from `available` to the workflow seeing it. */
  readonly detectionLatencyMs: Record<string, number>;
}

/** Which states make up which phase, for phase durations. */
export type PhaseMap = Record<string, string[]>;

/** The phases of this construct's workflow. */
export const WORKFLOW_PHASES: PhaseMap = {
  'prepare': ['Prepare', 'SnapshotSource'],
  'snapshot': ['CreateSnapshot', 'WaitForSnapshot', 'CheckSnapshot'],
  'copy': ['CopySnapshot', 'WaitForCopy', 'CheckCopy'],
  'share': ['ShareSnapshot'],
  'clean-up': ['CleanUp', 'CleanUpFailedRun'],
};

export function reportExecution(sim: Simulation, execution: Execution, phases: PhaseMap = WORKFLOW_PHASES): ExecutionReport {
  const timeline = buildTimeline(execution);
  const rdsCalls: Record<string, number> = {};
  for (const call of sim.rds.calls) {
    if (call.caller === execution.name) rdsCalls[call.api] = (rdsCalls[call.api] ?? 0) + 1;
  }
  const detectionLatencyMs: Record<string, number> = {};
  for (const life of [...sim.rds.lifecycles.values(), ...sim.rds.instances.lifecycles.values()]) {
    if (life.createdBy !== execution.name || life.availableAt === undefined || life.observedAvailableAt === undefined) continue;
    detectionLatencyMs[life.id] = life.observedAvailableAt - life.availableAt;
  }
  return {
    name: execution.name,
    cluster: execution.input?.clusterIdentifier ?? execution.input?.instanceIdentifier,
    status: execution.status,
    error: execution.error,
    startedAt: execution.startedAt,
    stoppedAt: execution.stoppedAt,
    stateTransitions: execution.stateTransitions,
    handlerInvocations: execution.handlerInvocations,
    rdsCalls,
    timeline,
    phases: phaseSpans(timeline, phases),
    detectionLatencyMs,
  };
}

function buildTimeline(execution: Execution): TimelineEntry[] {
  const timeline: TimelineEntry[] = [];
  let current: TimelineEntry | undefined;
  for (const event of execution.events) {
    if (event.type === 'StateEntered') {
      current = { state: event.state!, enteredAt: event.timestamp, attempts: execution.invocations[event.state!] === undefined ? 0 : 1 };
      timeline.push(current);
    } else if (event.type === 'StateRetried' && current) {
      current.attempts++;
      current.failedWith = undefined; // a retried failure is not the state's outcome
      current.exitedAt = undefined;
    } else if ((event.type === 'StateExited' || event.type === 'StateFailed') && current) {
      current.exitedAt = event.timestamp;
      if (event.type === 'StateFailed') current.failedWith = event.error;
    }
  }
  return timeline;
}

function phaseSpans(timeline: TimelineEntry[], phases: PhaseMap): Record<string, PhaseSpan> {
  const spans: Record<string, PhaseSpan> = {};
  for (const [phase, states] of Object.entries(phases)) {
    const entries = timeline.filter((t) => states.includes(t.state));
    if (entries.length === 0) continue;
    spans[phase] = {
      start: Math.min(...entries.map((e) => e.enteredAt)),
      end: Math.max(...entries.map((e) => e.exitedAt ?? e.enteredAt)),
    };
  }
  return spans;
}
