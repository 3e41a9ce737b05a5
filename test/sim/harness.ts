import type { DBClusterSnapshot } from '@aws-sdk/client-rds';
import { Duration, Resource } from 'aws-cdk-lib';
import { synthesizeTemplate, TARGET_ACCOUNTS } from '../../sim/example-stack';
import { Simulation, SimulationOptions } from '../../sim/simulation';
import type { SharedClusterSnapshotsProps } from '../../src';
import { TAG_CLUSTER, TAG_OWNER, TAG_ROLE, TAG_RUN } from '../../src/shared/constants';
import { runIdFromTime } from '../../src/shared/naming.lambda-shared';

export { TARGET_ACCOUNTS };
export const MINUTE = 60_000;
export const FIRST_RUN = new Date('2026-11-27T03:00:00Z');

const TAG = TAG_ROLE;

/** The run id of the scheduled run `days` days after the first (the tag value, not a name part). */
export function runId(days: number): string {
  return runIdFromTime(runDay(days));
}

/** A scheduled time `days` days after the first run. */
export function runDay(days: number): Date {
  return new Date(FIRST_RUN.getTime() + days * 24 * 60 * MINUTE);
}

const templates = new Map<string, { Resources: Record<string, any> }>();

/** Synthesizes (once per distinct props) and starts a simulation. Call `dispose()` when done. */
export function simulation(
  props: Partial<SharedClusterSnapshotsProps> = {},
  options: Omit<SimulationOptions, 'template'> = {},
): Simulation {
  // A KMS key (e.g. a `regions` key) stands for its ARN.
  const key = JSON.stringify(props, (_, v) => (v instanceof Duration ? v.toSeconds() : v instanceof Resource && 'keyArn' in v ? v.keyArn : v));
  if (!templates.has(key)) templates.set(key, synthesizeTemplate(props));
  return new Simulation({ template: templates.get(key)!, ...options });
}

export function role(s: DBClusterSnapshot): string | undefined {
  return s.TagList?.find((t) => t.Key === TAG)?.Value;
}

export function sharedSnapshots(sim: Simulation, cluster: string): DBClusterSnapshot[] {
  return sim.rds.snapshotsOf(cluster).filter((s) => role(s) === 'shared');
}

export function temporarySnapshots(sim: Simulation, cluster: string): DBClusterSnapshot[] {
  return sim.rds.snapshotsOf(cluster).filter((s) => role(s) === 'temporary');
}

/** Fires the schedule at `time` and runs until every execution has ended. */
export async function scheduledRun(sim: Simulation, time: Date): Promise<void> {
  const run = await sim.fireSchedule(time);
  if (run.error) throw new Error(`The starter failed: ${run.error}`);
  await sim.runUntilIdle();
}

/** Asserts the cluster ends with exactly `count` shared snapshots, re-encrypted and shared with every target. */
export function expectShared(sim: Simulation, cluster: string, count = 1): DBClusterSnapshot[] {
  const shared = sharedSnapshots(sim, cluster);
  expect(shared).toHaveLength(count);
  for (const s of shared) {
    expect(s.Status).toBe('available');
    expect(sim.rds.restoreAccounts(s.DBClusterSnapshotIdentifier!).sort()).toEqual([...TARGET_ACCOUNTS].sort());
  }
  expect(temporarySnapshots(sim, cluster)).toEqual([]);
  return shared;
}

const RUN_TAG = TAG_RUN;
const CLUSTER_TAG = TAG_CLUSTER;
const OWNER_TAG = TAG_OWNER;

/** The id of the snapshot a run made for a cluster, by its tags (names are the handlers' business). */
export function snapshotIdOf(
  sim: Simulation, cluster: string, run: string, snapshotRole: 'shared' | 'temporary', ownerId?: string,
): string | undefined {
  const tag = (tags: readonly { Key?: string; Value?: string }[], key: string) => tags.find((t) => t.Key === key)?.Value;
  return [...sim.rds.lifecycles.values()].find((l) => l.clusterId === cluster && tag(l.tags, RUN_TAG) === run
    && tag(l.tags, TAG) === snapshotRole && tag(l.tags, CLUSTER_TAG) === cluster && (!ownerId || tag(l.tags, OWNER_TAG) === ownerId))?.id;
}

type Tags = readonly { Key?: string; Value?: string }[];

/** The owner tag of a snapshot (as Describe shows it) or of a lifecycle record. */
export function ownerOf(s: { TagList?: Tags } | { tags: Tags }): string | undefined {
  const tags = 'tags' in s ? s.tags : s.TagList ?? [];
  return tags.find((t) => t.Key === OWNER_TAG)?.Value;
}
