/**
 * The replica fleet of `npx projen bench` (and `ts-node -P tsconfig.dev.json -r ./test/setup/jest.setup.ts
 * sim/replica-bench.ts [clusters]` alone, which prints its section): a source shares N clusters with a receiver that keeps replicas
 * in two replica Regions (`replicaRegions`). RDS allows 5 cluster snapshot copies in progress per
 * destination Region and account (Aurora User Guide; sim/rds-regions.ts), in the receiver's own
 * Region and in each replica Region apart. Measured: from the first share to the last replica
 * available, against its floor, and no failed execution.
 *
 * The floor is what the copy limit allows at best: the copies into the receiver's Region run in
 * waves of 5 (`W = ceil(N / 5)` waves of the copy time `h`), each replica Region in waves of 5 of
 * the cross-Region copy time `r`, and a replica can start only once its copy is available:
 * `max(h + W × r, W × h + r)`. The cross-Region copy time is the simulator's model, not a measurement.
 */
import { performance } from 'perf_hooks';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { REGION } from './aws-env';
import { synthesizeReceiverTemplate } from './example-receiver';
import { synthesizeTemplate } from './example-stack';
import { fleetIds, FLEET_START, MINUTE } from './fleet-run';
import { HandoffSimulation, SOURCE_ACCOUNT, TARGET_ACCOUNT } from './handoff';
import { COPIES_IN_PROGRESS_LIMIT } from './rds-store';

const REPLICA_REGIONS = ['us-east-1', 'eu-central-1'];
/** The target: within this many times the floor, no failed execution (issue 17). */
export const REPLICA_FLEET_TARGET_RATIO = 1.15;

/** One replica Region's figures. */
export interface RegionFigures {
  readonly region: string;
  readonly available: number;
  readonly lastMinutes: number;
  readonly refusedCopies: number;
}

export interface ReplicaFleetFigures {
  readonly clusters: number;
  readonly regions: readonly string[];
  readonly copyLimit: number;
  readonly copyMinutes: number;
  readonly crossRegionCopyMinutes: number;
  readonly floorMinutes: number;
  /** From the first share to the last replica available in any Region. */
  readonly completionMinutes: number;
  /** Per replica Region: replicas available, and when the last one became available (minutes after the first share). */
  readonly perRegion: ReadonlyArray<RegionFigures>;
  readonly executions: number;
  readonly failedExecutions: number;
  readonly realSeconds: number;
}

/** N clusters shared at once, copied into the receiver's Region and replicated into two Regions, 5 copies in progress per Region. */
export async function runReplicaFleet(clusters = 20, copyMinutes = 10, crossRegionCopyMinutes = 60): Promise<ReplicaFleetFigures> {
  const realStart = performance.now();
  const ids = fleetIds('orders', clusters, 2);
  const keyArn = (region: string) => `arn:aws:kms:${region}:${TARGET_ACCOUNT}:key/dr-${region}`;
  const sim = new HandoffSimulation({
    accounts: [
      {
        account: SOURCE_ACCOUNT,
        templates: [synthesizeTemplate({ clusterIdentifiers: ids, targetAccountIds: [TARGET_ACCOUNT], notifyTargetAccounts: true })],
        rdsFaults: { manualSnapshotQuota: 4 * clusters },
      },
      {
        account: TARGET_ACCOUNT,
        templates: [synthesizeReceiverTemplate(TARGET_ACCOUNT, {
          sourceAccountIds: [SOURCE_ACCOUNT],
          // Imported keys: only their ARNs are read.
          replicaRegions: REPLICA_REGIONS.map((region) => ({ region, encryptionKey: { keyArn: keyArn(region) } as kms.IKey })),
        })],
        rdsFaults: { manualSnapshotQuota: 4 * clusters, sharedCopyMs: copyMinutes * MINUTE, crossRegionCopyMs: crossRegionCopyMinutes * MINUTE },
      },
    ],
    start: new Date(FLEET_START.getTime() - MINUTE),
    lambdaDurationMs: 200,
    keepLogText: false,
  });
  try {
    const source = sim.account(SOURCE_ACCOUNT);
    // On the sharing key: the source shares without a copy of its own, so every share lands at about the same time.
    ids.forEach((identifier) => source.rds.addCluster({ identifier, kmsKeyId: source.sharingKeyArn, snapshotMs: 10 * MINUTE }));
    const run = await sim.fireSchedule(SOURCE_ACCOUNT, FLEET_START);
    if (run.error) throw new Error(`The source's starter failed: ${run.error}`);
    await sim.runUntilIdle();

    const firstShare = Math.min(...[...source.rds.lifecycles.values()].map((l) => l.sharedAt ?? Infinity));
    const target = sim.account(TARGET_ACCOUNT);
    const perRegion = REPLICA_REGIONS.map((region) => {
      const rds = target.rds.inRegion(region);
      const available = [...rds.lifecycles.values()].map((l) => l.availableAt).filter((at): at is number => at !== undefined);
      const refused = rds.calls.filter((c) => c.region === region && c.api === 'CopyDBClusterSnapshot' && c.error === 'SnapshotQuotaExceededFault').length;
      return { region, available: available.length, lastMinutes: (Math.max(...available) - firstShare) / MINUTE, refusedCopies: refused };
    });
    const waves = Math.ceil(clusters / COPIES_IN_PROGRESS_LIMIT);
    const executions = [source, target].flatMap((s) => s.executions);
    return {
      clusters,
      regions: REPLICA_REGIONS,
      copyLimit: COPIES_IN_PROGRESS_LIMIT,
      copyMinutes,
      crossRegionCopyMinutes,
      floorMinutes: Math.max(copyMinutes + waves * crossRegionCopyMinutes, waves * copyMinutes + crossRegionCopyMinutes),
      completionMinutes: Math.max(...perRegion.map((r) => r.lastMinutes)),
      perRegion,
      executions: executions.length,
      failedExecutions: executions.filter((e) => e.status !== 'SUCCEEDED').length,
      realSeconds: (performance.now() - realStart) / 1000,
    };
  } finally {
    sim.dispose();
  }
}

/** The BENCHMARKS.md section and its checks. */
export function replicaSection(fleet: ReplicaFleetFigures): { lines: string[]; checks: Array<readonly [string, boolean]> } {
  const ratio = fleet.completionMinutes / fleet.floorMinutes;
  const complete = fleet.perRegion.every((r) => r.available === fleet.clusters);
  return {
    lines: [
      `## Replica fleet: ${fleet.clusters} clusters replicated into ${fleet.regions.length} Regions`,
      '',
      `A source shares ${fleet.clusters} clusters at once; the receiver copies each into its own Region (${REGION}) under its key, then into`,
      `${fleet.regions.join(' and ')} (\`replicaRegions\`) under each Region's key. RDS allows ${fleet.copyLimit} copies in progress per destination Region and`,
      `account, in each Region apart. Copies into the receiver's Region take ${fleet.copyMinutes} minutes; cross-Region copies take`,
      `${fleet.crossRegionCopyMinutes} minutes (the simulator's model, not a measurement: AWS says they "can take hours"). The floor is what the copy`,
      `limit allows at best: max(h + W × r, W × h + r) with W = ceil(${fleet.clusters} / ${fleet.copyLimit}) waves, h and r the two copy times.`,
      `Measured from the first share to the last replica available. Target: ${REPLICA_FLEET_TARGET_RATIO} × the floor or better, no failed execution.`,
      '',
      '| Region | replicas available | last available (after the first share) | copy requests refused |',
      '|---|---|---|---|',
      ...fleet.perRegion.map((r) => `| ${r.region} | ${r.available} of ${fleet.clusters} | ${r.lastMinutes.toFixed(0)} min | ${r.refusedCopies} |`),
      '',
      '| floor | share to last replica | vs floor | executions (both accounts) | real time |',
      '|---|---|---|---|---|',
      `| ${fleet.floorMinutes} min | ${fleet.completionMinutes.toFixed(0)} min | ${ratio.toFixed(2)} × | ${fleet.executions - fleet.failedExecutions} succeeded, `
        + `${fleet.failedExecutions} failed | ${fleet.realSeconds.toFixed(1)} s |`,
      '',
    ],
    checks: [
      [`the replica fleet of ${fleet.clusters} clusters reaches every replica Region within ${REPLICA_FLEET_TARGET_RATIO} × its floor (${ratio.toFixed(2)} ×), `
        + `no execution failing (${fleet.failedExecutions} failed)`, complete && ratio <= REPLICA_FLEET_TARGET_RATIO && fleet.failedExecutions === 0],
    ],
  };
}

if (require.main === module) {
  (async () => {
    const section = replicaSection(await runReplicaFleet(Number(process.argv[2] ?? 20)));
    console.log([...section.lines, ...section.checks.map(([text, ok]) => `- ${ok ? '✅' : '❌'} ${text}`)].join('\n'));
  })().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
