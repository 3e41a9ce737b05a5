/**
 * `npx projen demo`: synthesizes an example app with a mixed fleet (three Aurora clusters, a
 * PostgreSQL and an Oracle DB instance) and simulates one scheduled run of it, with no AWS account.
 * Prints a timeline per database, the outcomes and the run's cost; then both sides of the handoff
 * to the target accounts (sim/demo-handoff.ts), and a staging database kept fresh from the copies
 * (sim/demo-refresh.ts).
 */
import { TimeZone } from 'aws-cdk-lib';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { deployedResources, dollars, windowCost } from './cost-model';
import { PRICES_TAKEN } from './cost-prices';
import { measureUsage } from './cost-usage';
import { handoffDemo } from './demo-handoff';
import { refreshDemo } from './demo-refresh';
import { synthesizeTemplate, TARGET_ACCOUNTS } from './example-stack';
import { AWS_MANAGED_RDS_KEY } from './fake-rds';
import { LogCapture } from './log-capture';
import { ExecutionReport, reportExecution } from './metrics';
import { Simulation } from './simulation';

const TIME_ZONE = 'Europe/Berlin';
/** 03:00 in Berlin on the demo day (CET, UTC+1). */
const SCHEDULED = new Date('2026-11-27T02:00:00Z');
const MINUTE = 60_000;
/** The simulator's time per Lambda invocation (its timing model), also what Lambda bills per invocation here. */
const LAMBDA_MS = 200;

const CLUSTERS = [
  { identifier: 'orders-db', about: 'encrypted with the AWS-managed aws/rds key: snapshot, copy with the sharing key, share' },
  { identifier: 'billing-db', about: 'already encrypted with the sharing key: snapshot and share, no copy' },
  { identifier: 'events-db', about: 'its snapshot fails after 7 minutes: the run stops and cleans up' },
];
const INSTANCES = [
  { identifier: 'payments-pg', about: 'RDS for PostgreSQL DB instance on the aws/rds key: DB snapshot, copy with the sharing key, share' },
  { identifier: 'ledger-ora', about: 'RDS for Oracle DB instance with TDE: RDS cannot share it, refused before anything is created' },
];

export async function main(): Promise<void> {
  const template = synthesizeTemplate({
    clusterIdentifiers: CLUSTERS.map((c) => c.identifier),
    instanceIdentifiers: INSTANCES.map((i) => i.identifier),
    schedule: ScheduleExpression.cron({ hour: '3', minute: '0', timeZone: TimeZone.EUROPE_BERLIN }),
  });
  // The handlers' log lines are captured, not printed: their volume is part of the run's cost.
  const logs = new LogCapture();
  const sim = new Simulation({ template, start: new Date(SCHEDULED.getTime() - MINUTE), lambdaDurationMs: LAMBDA_MS, logs });
  try {
    sim.rds.addCluster({ identifier: 'orders-db', kmsKeyId: AWS_MANAGED_RDS_KEY, snapshotMs: 9 * MINUTE, copyMs: 14 * MINUTE });
    sim.rds.addCluster({ identifier: 'billing-db', kmsKeyId: sim.sharingKeyArn, snapshotMs: 6 * MINUTE });
    sim.rds.addCluster({ identifier: 'events-db', snapshotMs: 7 * MINUTE, snapshotOutcome: 'failed' });
    sim.rds.instances.addInstance({ identifier: 'payments-pg', snapshotMs: 5 * MINUTE, copyMs: 6 * MINUTE });
    sim.rds.instances.addOptionGroup({ name: 'ledger-tde', engine: 'oracle-ee', majorEngineVersion: '19', options: [{ name: 'TDE', permanent: true, persistent: true }] });
    sim.rds.instances.addInstance({ identifier: 'ledger-ora', engine: 'oracle-ee', optionGroupName: 'ledger-tde', kmsKeyId: sim.sharingKeyArn });

    const starter = await sim.fireSchedule(SCHEDULED);
    await sim.runUntilIdle();

    const print = (line = '') => console.log(line);
    print('SharedClusterSnapshots: one scheduled run, simulated locally (no AWS account)');
    print(`Schedule ${sim.template.schedule!.expression} ${sim.template.schedule!.timezone}, fired ${clock(SCHEDULED.getTime())} (${SCHEDULED.toISOString()})`);
    print(`Targets ${TARGET_ACCOUNTS.join(', ')} · status checks every minute · times in ${TIME_ZONE}`);
    print(`Starter: started ${starter.result?.started?.length ?? 0} executions${starter.error ? `, failed with ${starter.error}` : ''}`);

    const reports = sim.executions.map((e) => reportExecution(sim, e));
    for (const cluster of [...CLUSTERS, ...INSTANCES]) {
      const report = reports.find((r) => r.cluster === cluster.identifier)!;
      print();
      print(`${cluster.identifier}: ${cluster.about}`);
      printTimeline(report, print);
      const execution = sim.executions.find((e) => e.name === report.name)!;
      if (execution.status === 'SUCCEEDED') {
        print(`  ✔ SUCCEEDED at ${clock(report.stoppedAt!)}: ${execution.output.snapshotIdentifier}, shared with ${execution.output.sharedWith.join(', ')}`);
      } else {
        const message = parseCause(execution.cause);
        print(`  ✘ ${execution.status} at ${clock(report.stoppedAt!)}: ${execution.error}: ${message}`);
        const left = [
          ...sim.rds.snapshotsOf(cluster.identifier).map((s) => s.DBClusterSnapshotIdentifier),
          ...sim.rds.instances.snapshotsOf(cluster.identifier).map((s) => s.DBSnapshotIdentifier),
        ];
        const created = [...sim.rds.lifecycles.values(), ...sim.rds.instances.lifecycles.values()].some((l) => l.createdBy === execution.name);
        const nothing = created ? 'nothing (this run\'s snapshots were deleted)' : 'nothing (no snapshot was created)';
        print(`    left behind: ${left.length ? left.join(', ') : nothing}`);
      }
    }

    const end = Math.max(...reports.map((r) => r.stoppedAt!));
    const usage = measureUsage(sim, logs, { from: SCHEDULED.getTime() - MINUTE, to: end + 1 }, {
      lambdaMs: LAMBDA_MS,
      eventTimes: sim.putEvents.map((e) => e.at),
    });
    const cost = windowCost(deployedResources(template), usage);
    print();
    print(`Run cost (sim/cost-model.ts: list prices of ${PRICES_TAKEN}, us-east-1, no free tier; ${sim.rds.calls.length} RDS API calls, which AWS does not bill)`);
    for (const line of cost.lines) print(`  ${line.item.padEnd(21)} ${line.quantity.padEnd(42)} ${dollars(line.monthly)}`);
    print(`  This run ${dollars(cost.total)}. A month with the fixed costs and the snapshot storage: after the handoff, below.`);
    print();
    const simulatedMinutes = Math.round((end - SCHEDULED.getTime()) / MINUTE);
    print(`Simulated ${simulatedMinutes} minutes of virtual time; synthesis and simulation took ${(performance.now() / 1000).toFixed(1)} s of real time.`);
  } finally {
    sim.dispose();
    logs.uninstall();
  }
  console.log();
  await handoffDemo((line = '') => console.log(line), clock);
  console.log();
  await refreshDemo((line = '') => console.log(line), clock);
}

const PHASE_LABEL: Record<string, string> = {
  'prepare': 'prepare',
  'snapshot': 'snapshot',
  'copy': 'copy (re-encrypt)',
  'share': 'share',
  'clean-up': 'clean up',
};

function printTimeline(report: ExecutionReport, print: (line: string) => void): void {
  for (const [phase, span] of Object.entries(report.phases)) {
    const checks = report.timeline.filter((t) => (phase === 'snapshot' && t.state === 'CheckSnapshot') || (phase === 'copy' && t.state === 'CheckCopy'));
    const attempts = checks.reduce((n, t) => n + t.attempts, 0);
    const failed = report.timeline.find((t) => t.failedWith && phaseStates(phase).includes(t.state));
    print(`  ${clock(span.start)}  ${(PHASE_LABEL[phase] ?? phase).padEnd(18)} ${duration(span.end - span.start).padStart(9)}`
      + `${attempts ? `  ${attempts} status check${attempts === 1 ? '' : 's'}` : ''}${failed ? `  → ${failed.failedWith}` : ''}`);
  }
}

function phaseStates(phase: string): string[] {
  return {
    'prepare': ['Prepare'],
    'snapshot': ['CreateSnapshot', 'WaitForSnapshot', 'CheckSnapshot'],
    'copy': ['CopySnapshot', 'WaitForCopy', 'CheckCopy'],
    'share': ['ShareSnapshot'],
    'clean-up': ['CleanUp', 'CleanUpFailedRun'],
  }[phase] ?? [];
}

function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString('en-GB', { timeZone: TIME_ZONE, hour12: false });
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

function parseCause(cause: string | undefined): string {
  try {
    return JSON.parse(cause ?? '').errorMessage ?? cause;
  } catch {
    return cause ?? '';
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
