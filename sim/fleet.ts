/**
 * Fleet figures for `npx projen bench`: one run of 1,000 clusters on the sharing key (explicit ids
 * and tag discovery mixed) measured against the RDS request budget, and synthesis of 1 versus 500 explicit clusters.
 */
import { performance } from 'perf_hooks';
import { synthesizeApp, synthesizeTemplate } from './example-stack';
import { fleetIds, fleetSimulation, MINUTE, runScheduledFleet } from './fleet-run';

export interface FleetFigures {
  readonly clusters: number;
  readonly budgetPerSecond: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly peakPerSecond: number;
  /** The busiest virtual minute's average rate. */
  readonly sustainedPerSecond: number;
  readonly runMinutes: number;
  readonly starterSeconds: number;
  readonly starterTimeoutSeconds: number;
  readonly pacing: { clustersPerMinute: number; pollStride: number };
  readonly realSeconds: number;
}

/** Runs one scheduled run of `clusters` clusters, half explicit and half found by tag. */
export async function runFleet(clusters = 1000, budgetPerSecond = 8): Promise<FleetFigures> {
  const realStart = performance.now();
  const ids = fleetIds('fleet', clusters, 4);
  const explicit = ids.filter((_, i) => i % 2 === 0);
  const template = synthesizeTemplate({
    clusterIdentifiers: explicit,
    clusterTag: { key: 'share-snapshots', value: 'true' },
    rdsRequestsPerSecond: budgetPerSecond,
  });
  const sim = fleetSimulation(template, 10_000);
  try {
    // On the sharing key, so no copies: RDS runs five copies at a time per account and Region, so
    // 1,000 copies would take days (copy-fleet.ts measures the copy-limited case).
    ids.forEach((identifier, i) => sim.rds.addCluster({
      identifier,
      kmsKeyId: sim.sharingKeyArn,
      tags: i % 2 === 1 ? { 'share-snapshots': 'true' } : {},
      snapshotMs: (8 + (i % 5)) * MINUTE,
      copyMs: (10 + (i % 7)) * MINUTE,
    }));
    const { starter, succeeded, runMinutes } = await runScheduledFleet(sim);

    const perSecond = new Map<number, number>();
    const perMinute = new Map<number, number>();
    for (const call of sim.rds.calls) {
      perSecond.set(Math.floor(call.at / 1000), (perSecond.get(Math.floor(call.at / 1000)) ?? 0) + 1);
      perMinute.set(Math.floor(call.at / MINUTE), (perMinute.get(Math.floor(call.at / MINUTE)) ?? 0) + 1);
    }
    return {
      clusters,
      budgetPerSecond,
      succeeded,
      failed: sim.executions.length - succeeded,
      peakPerSecond: Math.max(...perSecond.values()),
      sustainedPerSecond: Math.max(...perMinute.values()) / 60,
      runMinutes,
      starterSeconds: starter.durationMs / 1000,
      starterTimeoutSeconds: 300,
      pacing: starter.result?.pacing,
      realSeconds: (performance.now() - realStart) / 1000,
    };
  } finally {
    sim.dispose();
  }
}

export interface SynthFigures {
  readonly clusters: number;
  readonly resources: number;
  /** Managed policies: they hold the explicit clusters' ARNs, as many as IAM's size limits need. */
  readonly clusterPolicies: number;
  readonly templateBytes: number;
  readonly synthMs: number;
}

/**
 * Synthesizes an app (as `cdk synth` does) with each of `clusterCounts` explicit ids, `runs` times each, interleaved
 * (1, 500, 1, 500, ...) after one warm-up each, so garbage collection and JIT work fall on both
 * alike; the median of each count's timings.
 */
export function measureSynth(clusterCounts: number[], runs = 9): SynthFigures[] {
  const idsOf = (clusters: number) => Array.from({ length: clusters }, (_, i) => `orders-${String(i).padStart(3, '0')}-db`);
  // Warm-up: module loading and first-call compilation are not synthesis.
  type Resources = { Resources: Record<string, { Type?: string }> };
  const templates = clusterCounts.map((clusters) => synthesizeApp({ clusterIdentifiers: idsOf(clusters) }) as Resources);
  const timings: number[][] = clusterCounts.map(() => []);
  for (let run = 0; run < runs; run++) {
    clusterCounts.forEach((clusters, i) => {
      const ids = idsOf(clusters);
      const started = performance.now();
      synthesizeApp({ clusterIdentifiers: ids });
      timings[i].push(performance.now() - started);
    });
  }
  return clusterCounts.map((clusters, i) => {
    const template = templates[i];
    const sorted = [...timings[i]].sort((x, y) => x - y);
    return {
      clusters,
      resources: Object.keys(template.Resources).length,
      clusterPolicies: Object.values(template.Resources).filter((r) => r.Type === 'AWS::IAM::ManagedPolicy').length,
      templateBytes: JSON.stringify(template).length,
      synthMs: sorted[Math.floor(runs / 2)],
    };
  });
}

if (require.main === module) {
  runFleet(Number(process.argv[2] ?? 1000)).then((f) => console.log(JSON.stringify(f, null, 2)), (e) => {
    console.error(e);
    process.exit(1);
  });
}
