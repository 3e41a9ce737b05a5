/**
 * A day in the life of a deployment, measured for the cost model: SharedClusterSnapshots on `clusters`
 * clusters in the source account and ReceivedClusterSnapshots in one target account, simulated
 * together as their schedules run them (the source's daily run and hourly freshness function, the
 * receiver's catch-up scan every 6 hours), and their first day measured. (With `warmUp`, the second:
 * a previous shared snapshot and copy then exist. It costs the same to within a few percent, and
 * doubles the simulation's time, which a fleet of 200 makes long.)
 */
import { performance } from 'perf_hooks';
import type { MeasuredUsage } from './cost-usage';
import { measureUsage } from './cost-usage';
import { synthesizeReceiverTemplate } from './example-receiver';
import { synthesizeTemplate } from './example-stack';
import { AWS_MANAGED_RDS_KEY } from './fake-rds';
import { HandoffSimulation, SOURCE_ACCOUNT, TARGET_ACCOUNT } from './handoff';
import type { ReceivedClusterSnapshotsProps, SharedClusterSnapshotsProps } from '../src';
import { TARGET_DEFAULTS } from '../src/shared/constants';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The source's scheduled run on the first simulated day (the default schedule: 03:00 UTC daily). */
const FIRST_RUN = Date.parse('2026-11-27T03:00:00Z');

export interface DaySetup {
  readonly clusters: number;
  /** Props of the source's SharedClusterSnapshots beyond the clusters and the target. @default the defaults */
  readonly source?: Partial<SharedClusterSnapshotsProps>;
  /** Props of the target's ReceivedClusterSnapshots beyond the source account. @default the defaults */
  readonly receiver?: Partial<ReceivedClusterSnapshotsProps>;
  /** How long RDS takes to snapshot a cluster, to copy it with the sharing key, and the target to copy it. @default 10 minutes each */
  readonly snapshotMs?: number;
  readonly copyMs?: number;
  readonly receiveCopyMs?: number;
  /** The timing model's time per Lambda invocation. @default 200 ms */
  readonly lambdaMs?: number;
  /** Run a day before the measured one, so a previous shared snapshot and copy exist. @default false */
  readonly warmUp?: boolean;
}

/** One account of a measured day: its template and what it used. */
export interface MeasuredAccount {
  readonly template: { Resources: Record<string, any> };
  readonly usage: MeasuredUsage;
}

export interface MeasuredDay {
  readonly clusters: number;
  readonly source: MeasuredAccount;
  readonly target: MeasuredAccount;
  readonly succeeded: number;
  readonly failed: number;
  readonly realSeconds: number;
}

/**
 * Runs the two days. Every cluster is on the AWS-managed `aws/rds` key, so each run copies with the
 * sharing key: the case of every Aurora cluster created since February 2026 (an AWS-owned key) and of
 * `aws/rds` ones, and the most expensive one. The manual snapshot quota is raised in both accounts,
 * as a fleet this size needs.
 */
export async function measureDay(setup: DaySetup): Promise<MeasuredDay> {
  const realStart = performance.now();
  const lambdaMs = setup.lambdaMs ?? 200;
  const ids = Array.from({ length: setup.clusters }, (_, i) => `db-${String(i).padStart(4, '0')}`);
  const source = synthesizeTemplate({ clusterIdentifiers: ids, targetAccountIds: [TARGET_ACCOUNT], ...setup.source });
  const target = synthesizeReceiverTemplate(TARGET_ACCOUNT, { sourceAccountIds: [SOURCE_ACCOUNT], ...setup.receiver });
  const quota = { manualSnapshotQuota: 100_000 };
  const sim = new HandoffSimulation({
    start: new Date(FIRST_RUN - MINUTE),
    lambdaDurationMs: lambdaMs,
    keepLogText: false,
    // Usage does not depend on IAM (what the roles allow is tested elsewhere); evaluating every call would double the time.
    accounts: [
      { account: SOURCE_ACCOUNT, templates: [source], rdsFaults: quota, enforceIam: false },
      { account: TARGET_ACCOUNT, templates: [target], rdsFaults: quota, enforceIam: false },
    ],
  });
  try {
    for (const identifier of ids) {
      sim.account(SOURCE_ACCOUNT).rds.addCluster({
        identifier,
        kmsKeyId: AWS_MANAGED_RDS_KEY,
        snapshotMs: setup.snapshotMs ?? 10 * MINUTE,
        copyMs: setup.copyMs ?? 10 * MINUTE,
      });
    }
    sim.account(TARGET_ACCOUNT).rds.setFaults({ ...quota, sharedCopyMs: setup.receiveCopyMs ?? 10 * MINUTE });
    const scanEvery = TARGET_DEFAULTS.scanIntervalHours;
    // Hour by hour, so each schedule fires on time (the freshness metric lands in its own hour).
    const days = setup.warmUp ? 2 : 1;
    for (let hour = 0; hour < 24 * days; hour++) {
      const at = FIRST_RUN + hour * HOUR;
      if (hour % 24 === 0) await sim.fireSchedule(SOURCE_ACCOUNT, new Date(at));
      if (hour % scanEvery === scanEvery / 2) await sim.fireSchedule(TARGET_ACCOUNT, new Date(at));
      await sim.account(SOURCE_ACCOUNT).runRateSchedules(new Date(at + HOUR - 1));
      sim.forgetSdkCalls();
    }
    await sim.runUntilIdle();

    const window = { from: FIRST_RUN + (days - 1) * DAY, to: FIRST_RUN + days * DAY };
    const measure = (account: string) => measureUsage(sim.account(account), sim.logs, window, {
      lambdaMs,
      eventTimes: sim.buses.records.filter((r) => r.from === account && r.outcome !== 'refused').map((r) => r.at),
    });
    const executions = sim.account(SOURCE_ACCOUNT).executions.filter((e) => e.startedAt >= window.from);
    return {
      clusters: setup.clusters,
      source: { template: source, usage: measure(SOURCE_ACCOUNT) },
      target: { template: target, usage: measure(TARGET_ACCOUNT) },
      succeeded: executions.filter((e) => e.status === 'SUCCEEDED').length,
      failed: executions.filter((e) => e.status !== 'SUCCEEDED').length,
      realSeconds: (performance.now() - realStart) / 1000,
    };
  } finally {
    sim.dispose();
  }
}

if (require.main === module) {
  measureDay({ clusters: Number(process.argv[2] ?? 1), warmUp: process.argv[3] === 'warm-up' }).then((day) => {
    console.log(JSON.stringify({ ...day, source: day.source.usage, target: day.target.usage }, null, 2));
  }, (e) => {
    console.error(e);
    process.exit(1);
  });
}
