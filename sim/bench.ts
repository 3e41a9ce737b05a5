/**
 * `npx projen bench`: the construct against the original pattern, side by side, in the same
 * simulator and timing model. Writes BENCHMARKS.md.
 */
import { writeFileSync } from 'fs';
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { BaselineSimulation } from './baseline';
import { costSection } from './bench-costs';
import { refreshBlock, refreshSection } from './bench-refresh';
import { COPY_FLEET_TARGET_RATIO, runCopyLimitedFleet } from './copy-fleet';
import { dollars } from './cost-model';
import { LAMBDA_PER_GB_SECOND, LAMBDA_PER_REQUEST, STEP_FUNCTIONS_PER_TRANSITION } from './cost-prices';
import { writeReadmeCosts } from './cost-readme';
import { renderPerRunTable } from './cost-table';
import { synthesizeTemplate, TARGET_ACCOUNTS } from './example-stack';
import { FakeRds, Outcome } from './fake-rds';
import { measureSynth, runFleet } from './fleet';
import { instanceSection, runInstanceFleet, runSnapshotSources } from './instance-bench';
import { reportExecution, WORKFLOW_PHASES } from './metrics';
import { replicaSection, runReplicaFleet } from './replica-bench';
import { Simulation } from './simulation';
import { Execution } from './step-functions';
import { VirtualClock } from './virtual-clock';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const START = new Date('2026-11-27T03:00:00Z');
const WAIT_INTERVAL = Duration.minutes(1);
/** Each Lambda invocation takes this much virtual time, in both designs. */
const LAMBDA_MS = 200;
/** The baseline loops forever on a failed snapshot; it is stopped here. */
const BASELINE_CAP_MS = 6 * 60 * MINUTE;
const CLUSTER = 'orders-db';
/** Both designs' functions priced alike: 256 MB on arm64 (the construct's defaults), LAMBDA_MS each. */
const LAMBDA_GB = 256 / 1024;

export interface RunFigures {
  readonly design: 'baseline' | 'construct';
  readonly scenario: string;
  readonly stateTransitions: number;
  readonly invocations: number;
  /** Per phase: how long after the snapshot became available the workflow saw it. */
  readonly detectionLatencyMs: number[];
  readonly outcome: string;
  readonly durationMs: number;
  /** How long, during the run, the target account had no shared snapshot to restore. */
  readonly unsharedMs: number;
}

interface Scenario {
  readonly name: string;
  readonly durationMs: number;
  readonly outcome: Outcome;
}

/** Synthesis time each explicit cluster id may add: 500 ids within 150 ms more than one. */
const SYNTH_MS_PER_ID_TARGET = 0.3;

/** Day 1 runs normally so a shared snapshot exists; day 2 is measured. */
async function runConstruct(template: { Resources: Record<string, any> }, scenario: Scenario): Promise<RunFigures> {
  const sim = new Simulation({ template, start: new Date(START.getTime() - MINUTE), lambdaDurationMs: LAMBDA_MS });
  try {
    sim.rds.addCluster({ identifier: CLUSTER, snapshotMs: scenario.durationMs, copyMs: scenario.durationMs });
    await sim.fireSchedule(START);
    await sim.runUntilIdle();
    sim.rds.updateCluster(CLUSTER, { snapshotOutcome: scenario.outcome });
    await sim.fireSchedule(new Date(START.getTime() + DAY));
    await sim.runUntilIdle();
    const execution = sim.executions[1];
    const report = reportExecution(sim, execution, WORKFLOW_PHASES);
    return figures('construct', scenario, execution, Object.values(report.detectionLatencyMs), sim.rds);
  } finally {
    sim.dispose();
  }
}

async function runBaseline(scenario: Scenario): Promise<RunFigures> {
  const clock = new VirtualClock(new Date(START.getTime() - MINUTE));
  const rds = new FakeRds(1);
  const sharingKey = 'arn:aws:kms:eu-west-1:111111111111:key/sharing-key';
  const baseline = new BaselineSimulation(rds, clock, sharingKey, TARGET_ACCOUNTS, LAMBDA_MS);
  try {
    rds.addCluster({ identifier: CLUSTER, snapshotMs: scenario.durationMs, copyMs: scenario.durationMs });
    await clock.advance(MINUTE);
    baseline.start(CLUSTER, '1');
    await baseline.runUntilIdle(BASELINE_CAP_MS);
    await clock.advance(START.getTime() + DAY - clock.now());
    rds.updateCluster(CLUSTER, { snapshotOutcome: scenario.outcome });
    const execution = baseline.start(CLUSTER, '2');
    await baseline.runUntilIdle(BASELINE_CAP_MS);
    const latencies = [...rds.lifecycles.values()]
      .filter((l) => l.createdBy === execution.name && l.availableAt !== undefined && l.observedAvailableAt !== undefined)
      .map((l) => l.observedAvailableAt! - l.availableAt!);
    return figures('baseline', scenario, execution, latencies, rds);
  } finally {
    baseline.restore();
    rds.restore();
    clock.uninstall();
  }
}

function figures(design: RunFigures['design'], scenario: Scenario, execution: Execution, latencies: number[], rds: FakeRds): RunFigures {
  const end = execution.stoppedAt ?? Date.now();
  const outcome = execution.status === 'ABORTED'
    ? `never ends (stopped at the ${BASELINE_CAP_MS / 60 / MINUTE} h cap)`
    : execution.status === 'SUCCEEDED' ? 'SUCCEEDED' : `${execution.status} (${execution.error})`;
  return {
    design,
    scenario: scenario.name,
    stateTransitions: execution.stateTransitions,
    invocations: execution.handlerInvocations,
    detectionLatencyMs: latencies,
    outcome,
    durationMs: end - execution.startedAt,
    unsharedMs: rds.unsharedWindowMs(CLUSTER, execution.startedAt, end),
  };
}

function minutes(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
}

function row(f: RunFigures): string {
  const latency = f.detectionLatencyMs.length ? f.detectionLatencyMs.map((l) => `${Math.round(l / 1000)} s`).join(' / ') : '–';
  return `| ${f.scenario} | ${f.design} | ${f.stateTransitions} | ${f.invocations} | ${latency} | ${minutes(f.durationMs)} | ${f.outcome} | ${minutes(f.unsharedMs)} |`;
}

export async function main(): Promise<void> {
  const started = Date.now();
  const template = synthesizeTemplate({ clusterIdentifiers: [CLUSTER], waitInterval: WAIT_INTERVAL });
  const scenarios: Scenario[] = [
    { name: '2 + 2 min', durationMs: 2 * MINUTE, outcome: 'available' },
    { name: '10 + 10 min', durationMs: 10 * MINUTE, outcome: 'available' },
    { name: '30 + 30 min', durationMs: 30 * MINUTE, outcome: 'available' },
    { name: 'failed snapshot (after 10 min)', durationMs: 10 * MINUTE, outcome: 'failed' },
  ];
  const results: RunFigures[] = [];
  for (const scenario of scenarios) {
    results.push(await runBaseline(scenario));
    results.push(await runConstruct(template, scenario));
  }

  const at = (design: string, scenario: string) => results.find((r) => r.design === design && r.scenario === scenario)!;
  const base10 = at('baseline', '10 + 10 min');
  const ours10 = at('construct', '10 + 10 min');
  const oursFailed = at('construct', 'failed snapshot (after 10 min)');
  const failedAt = 10 * MINUTE; // the snapshot fails 10 minutes after it was created
  const checks = [
    [`state transitions at 10 + 10 min ≤ 0.5 × baseline (${ours10.stateTransitions} ≤ ${base10.stateTransitions * 0.5})`, ours10.stateTransitions <= base10.stateTransitions * 0.5],
    [`handler invocations at 10 + 10 min ≤ 1.1 × baseline (${ours10.invocations} ≤ ${(base10.invocations * 1.1).toFixed(1)})`, ours10.invocations <= base10.invocations * 1.1],
    ['detection latency ≤ one waitInterval per phase, every run', results.filter((r) => r.design === 'construct').every((r) => r.detectionLatencyMs.every((l) => l <= WAIT_INTERVAL.toMilliseconds()))],
    [`a failed snapshot ends the execution within one waitInterval (${minutes(oursFailed.durationMs - failedAt)} after the failure)`, oursFailed.durationMs - failedAt <= WAIT_INTERVAL.toMilliseconds() + 5 * LAMBDA_MS],
    ['no window without a shared snapshot', results.filter((r) => r.design === 'construct').every((r) => r.unsharedMs === 0)],
  ] as const;

  const fleet = await runFleet(1000);
  const copyFleet = await runCopyLimitedFleet(100);
  const instances = instanceSection(await runSnapshotSources(), await runInstanceFleet(100));
  const replicas = replicaSection(await runReplicaFleet(20));
  const copyRatio = copyFleet.completionMinutes / copyFleet.floorMinutes;
  const copyFailed = copyFleet.clusters - copyFleet.succeeded;
  const failures = Object.entries(copyFleet.failures).map(([name, n]) => `${n} ${name}`).join(', ') || 'none';
  const [synthOne, synthMany] = measureSynth([1, 500]);
  const synthPerId = (synthMany.synthMs - synthOne.synthMs) / (synthMany.clusters - synthOne.clusters);
  const idBytes = Array.from({ length: 500 }, (_, i) => `orders-${String(i).padStart(3, '0')}-db`).join(',').length;
  const fleetChecks = [
    [`every execution of the 1,000-cluster run succeeds (${fleet.succeeded} succeeded, ${fleet.failed} failed)`, fleet.failed === 0 && fleet.succeeded === fleet.clusters],
    [`sustained RDS rate ≤ the ${fleet.budgetPerSecond}/s budget (busiest minute: ${fleet.sustainedPerSecond.toFixed(2)}/s)`, fleet.sustainedPerSecond <= fleet.budgetPerSecond],
    [`the starter finishes well within its Lambda timeout (${fleet.starterSeconds} s of ${fleet.starterTimeoutSeconds} s)`, fleet.starterSeconds <= fleet.starterTimeoutSeconds / 10],
    [`1 and 500 explicit clusters synthesize the same resources but for the managed policies holding the cluster ARNs (${synthOne.resources} and ${synthMany.resources}, of which ${synthOne.clusterPolicies} and ${synthMany.clusterPolicies} policies)`,
      synthOne.resources - synthOne.clusterPolicies === synthMany.resources - synthMany.clusterPolicies],
    // The cost of each explicit id, not a ratio: a ratio moves with the fixed cost of synthesis (every feature adds to it) and with load.
    [`each of 499 more explicit ids adds at most ${SYNTH_MS_PER_ID_TARGET} ms to synthesis (${synthPerId.toFixed(2)} ms: ${synthMany.synthMs.toFixed(0)} ms vs ${synthOne.synthMs.toFixed(0)} ms)`,
      synthPerId <= SYNTH_MS_PER_ID_TARGET],
    [`the copy-limited fleet of ${copyFleet.clusters} completes within ${COPY_FLEET_TARGET_RATIO} × its floor (${copyRatio.toFixed(2)} ×)`, copyRatio <= COPY_FLEET_TARGET_RATIO && copyFailed === 0],
    [`no execution of the copy-limited fleet fails (${copyFailed} failed)`, copyFailed === 0],
  ] as const;

  // CI (BENCH_COST_CLUSTERS) may measure fewer fleet sizes: the 200-cluster day takes minutes, and only feeds the README's table.
  const costClusters = process.env.BENCH_COST_CLUSTERS?.split(',').map(Number);
  const costs = await costSection(costClusters);
  const refresh = await refreshSection();
  // Where the designs differ: Step Functions and Lambda per run (storage, logs and the rest are the cost model's, below).
  const runCost = (f: RunFigures) => f.stateTransitions * STEP_FUNCTIONS_PER_TRANSITION
    + f.invocations * (LAMBDA_PER_REQUEST + (LAMBDA_MS / 1000) * LAMBDA_GB * LAMBDA_PER_GB_SECOND.arm64);
  const perRunTable = renderPerRunTable([base10, ours10].map((f) => ({
    design: f.design, stateTransitions: f.stateTransitions, invocations: f.invocations, cost: dollars(runCost(f)),
  })));
  const lines = [
    '# Benchmarks',
    '',
    `Generated by \`npx projen bench\` on ${new Date(started).toISOString().slice(0, 10)} (Node ${process.version}).`,
    'Both designs run in the same simulator (`sim/`), with the same timing model: one cluster encrypted with',
    `the AWS-managed key, snapshot and copy durations as listed, ${LAMBDA_MS} ms of virtual time per Lambda invocation,`,
    `a ${WAIT_INTERVAL.toSeconds()}-second interval between status checks. Each scenario runs twice (day 1, day 2) and day 2 is measured,`,
    'so a previous shared snapshot exists. The construct runs its synthesized state machine with its real handlers;',
    'the baseline is the original pattern (fixed 60 s Wait → status Task → Choice per phase, create deletes the previous',
    'final snapshot first, no failure branch; `sim/baseline.ts`).',
    '',
    '| scenario | design | state transitions | handler invocations | detection latency per phase | run time | outcome | no shared snapshot for |',
    '|---|---|---|---|---|---|---|---|',
    ...results.map(row),
    '',
    '## Targets',
    '',
    ...checks.map(([text, ok]) => `- ${ok ? '✅' : '❌'} ${text}`),
    '',
    '## Fleet: one run of 1,000 clusters',
    '',
    'Half the clusters by id, half found by tag, all on the sharing key (no copies: RDS runs five at a time, see below);',
    'snapshots take 8 to 12 minutes, 200 ms per Lambda invocation, 50 ms per StartExecution call, `rdsRequestsPerSecond`',
    '8 (the default). RDS calls are counted per virtual second and minute by the in-memory RDS.',
    '',
    '| figure | value |',
    '|---|---|',
    `| executions | ${fleet.succeeded} succeeded, ${fleet.failed} failed |`,
    `| pacing chosen by the starter | ${fleet.pacing.clustersPerMinute} starts per minute; RDS asked on every ${fleet.pacing.pollStride}th status check |`,
    `| RDS requests/s, busiest minute (sustained) | ${fleet.sustainedPerSecond.toFixed(2)} |`,
    `| RDS requests/s, busiest second (peak; RDS allows bursts of 300) | ${fleet.peakPerSecond} |`,
    `| run duration (virtual) | ${fleet.runMinutes.toFixed(0)} min |`,
    `| starter duration (virtual) | ${fleet.starterSeconds} s of its ${fleet.starterTimeoutSeconds} s timeout |`,
    `| real time to simulate | ${fleet.realSeconds.toFixed(1)} s |`,
    '',
    `## Copy-limited fleet: ${copyFleet.clusters} clusters that all need a copy`,
    '',
    `Every cluster on the AWS-managed \`aws/rds\` key, so each run copies with the sharing key; RDS allows ${copyFleet.copyLimit} copies`,
    `in progress per account and Region and refuses more with SnapshotQuotaExceeded. Snapshots take ${copyFleet.snapshotMinutes} minutes,`,
    `copies ${copyFleet.copyMinutes}; the floor is the snapshot time plus ceil(${copyFleet.clusters} / ${copyFleet.copyLimit}) copy times. Target: ${COPY_FLEET_TARGET_RATIO} × the floor or better, no failed execution.`,
    '',
    '| clusters | copies in flight (RDS limit) | floor | completion | vs floor | executions | copy requests refused |',
    '|---|---|---|---|---|---|---|',
    `| ${copyFleet.clusters} | ${copyFleet.copyLimit} | ${copyFleet.floorMinutes} min | ${copyFleet.completionMinutes.toFixed(0)} min | ${copyFailed === 0 ? `${copyRatio.toFixed(2)} ×` : 'not met: executions failed'} | ${copyFleet.succeeded} succeeded, ${copyFailed} failed (${failures}) | ${copyFleet.refusedCopies} |`,
    '',
    ...instances.lines,
    ...replicas.lines,
    '## Synthesis: 1 versus 500 explicit clusters',
    '',
    '| clusters | CloudFormation resources | template size | synth time (median of 9, interleaved) |',
    '|---|---|---|---|',
    ...[synthOne, synthMany].map((f) => `| ${f.clusters} | ${f.resources} | ${f.templateBytes} bytes | ${f.synthMs.toFixed(0)} ms |`),
    '',
    `The template grows by ${synthMany.templateBytes - synthOne.templateBytes} bytes for 499 more ids (${idBytes} bytes as one comma-separated list):`,
    `the ids appear as cluster ARNs in the CreateSnapshot role's managed policies (${synthMany.clusterPolicies}, within IAM's size limits), and gzip-compressed in the environment of the starter and Prepare.`,
    '',
    '## Fleet targets',
    '',
    ...[...fleetChecks, ...instances.checks, ...replicas.checks, ...costs.checks].map(([text, ok]) => `- ${ok ? '✅' : '❌'} ${text}`),
    '',
    '## Step Functions and Lambda per run (one cluster, 10 + 10 min)',
    '',
    `Where the two designs differ, at the cost model's prices: $${STEP_FUNCTIONS_PER_TRANSITION * 1000} per 1,000 state transitions, $${LAMBDA_PER_REQUEST * 1e6} per million`,
    `Lambda requests and $${LAMBDA_PER_GB_SECOND.arm64} per GB-second (256 MB on arm64, ${LAMBDA_MS} ms per invocation, for both). What a month costs`,
    'in all (keys, alarms, metrics, logs, storage) is the next section.',
    '',
    ...perRunTable,
    '',
    ...costs.lines,
    '',
    refreshBlock(refresh.lines),
  ];
  // CI writes elsewhere (BENCH_OUTPUT), so checking the targets never changes the committed file.
  const file = process.env.BENCH_OUTPUT ?? path.join(__dirname, '..', 'BENCHMARKS.md');
  writeFileSync(file, lines.join('\n'));
  console.log(lines.join('\n'));
  console.log(`\nWrote ${file} in ${((Date.now() - started) / 1000).toFixed(1)} s of real time.`);
  // The README's cost figures come from the same inputs; CI (BENCH_OUTPUT) leaves the README alone.
  if (!process.env.BENCH_OUTPUT && costs.complete) {
    writeReadmeCosts(lines.join('\n'));
  }
  if ([...checks, ...fleetChecks, ...instances.checks, ...replicas.checks, ...costs.checks].some(([, ok]) => !ok)) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
