/**
 * The copy-limited fleet for `npx projen bench`: clusters that all need a re-encrypting copy, with
 * RDS allowing five copies in progress per account and Region (Aurora User Guide, "DB cluster
 * snapshot copying"; modelled in rds-store.ts). The floor is one snapshot time plus
 * ceil(N / 5) copy times: no schedule can finish sooner.
 */
import { performance } from 'perf_hooks';
import { synthesizeTemplate } from './example-stack';
import { fleetIds, fleetSimulation, MINUTE, runScheduledFleet } from './fleet-run';
import { COPIES_IN_PROGRESS_LIMIT } from './rds-store';

export interface CopyFleetFigures {
  readonly clusters: number;
  readonly copyLimit: number;
  readonly snapshotMinutes: number;
  readonly copyMinutes: number;
  readonly succeeded: number;
  /** Failed executions by error name. */
  readonly failures: Record<string, number>;
  readonly completionMinutes: number;
  readonly floorMinutes: number;
  /** Copy requests RDS refused because five were in progress. */
  readonly refusedCopies: number;
  readonly realSeconds: number;
}

export async function runCopyLimitedFleet(clusters = 100, snapshotMinutes = 10, copyMinutes = 10): Promise<CopyFleetFigures> {
  const realStart = performance.now();
  const ids = fleetIds('copy', clusters, 3);
  // Room for two snapshots per cluster: the quota is not what this measures.
  const sim = fleetSimulation(synthesizeTemplate({ clusterIdentifiers: ids }), 4 * clusters);
  try {
    // Encrypted with the AWS-managed aws/rds key (the fake's default): every one needs a copy.
    ids.forEach((identifier) => sim.rds.addCluster({ identifier, snapshotMs: snapshotMinutes * MINUTE, copyMs: copyMinutes * MINUTE }));
    const run = await runScheduledFleet(sim);
    const failures: Record<string, number> = {};
    for (const e of sim.executions.filter((x) => x.status !== 'SUCCEEDED')) failures[e.error ?? e.status] = (failures[e.error ?? e.status] ?? 0) + 1;
    return {
      clusters,
      copyLimit: COPIES_IN_PROGRESS_LIMIT,
      snapshotMinutes,
      copyMinutes,
      succeeded: run.succeeded,
      failures,
      completionMinutes: run.runMinutes,
      floorMinutes: snapshotMinutes + Math.ceil(clusters / COPIES_IN_PROGRESS_LIMIT) * copyMinutes,
      refusedCopies: sim.rds.calls.filter((c) => c.api === 'CopyDBClusterSnapshot' && c.error === 'SnapshotQuotaExceededFault').length,
      realSeconds: (performance.now() - realStart) / 1000,
    };
  } finally {
    sim.dispose();
  }
}

/** The target: within 1.15 × the floor, every execution succeeding. */
export const COPY_FLEET_TARGET_RATIO = 1.15;

if (require.main === module) {
  runCopyLimitedFleet(Number(process.argv[2] ?? 100)).then((f) => console.log(JSON.stringify(f, null, 2)), (e) => {
    console.error(e);
    process.exit(1);
  });
}
