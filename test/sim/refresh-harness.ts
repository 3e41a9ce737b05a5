import type { Tag } from '@aws-sdk/client-rds';
import { Duration } from 'aws-cdk-lib';
import { runDay, MINUTE } from './harness';
import { evaluateAlarm, readAlarms } from '../../sim/alarms';
import { seedReceiverCopy, synthesizeRefreshTemplate, RefreshExample } from '../../sim/example-refresh';
import { serviceMetrics } from '../../sim/service-metrics';
import { Simulation, SimulationOptions } from '../../sim/simulation';
import { DEFAULT_STACK, templateResolver } from '../../sim/template';
import { ENV, REFRESH_ENV, REFRESH_TAG_GENERATION, REFRESH_TAG_OWNER, REFRESH_TAG_SOURCE_SNAPSHOT, TARGET_ENV } from '../../src/shared/constants';

/*
 * A target account running a ReceivedClusterSnapshots and a RefreshedDatabase `orders-staging`
 * of `orders-db`, simulated alone: the receiver's copies are put in place as it would make them
 * (its prefix and tags), so each test says exactly which copies exist when.
 */

export { MINUTE, runDay };
export const TARGET = '222222222222';
export const SOURCE = '111111111111';
export const DATABASE = 'orders-staging';
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const templates = new Map<string, { Resources: Record<string, any> }>();
const rawTemplates = new WeakMap<Simulation, { Resources: Record<string, any> }>();

/** Synthesizes (once per example) and starts a simulation of the target account. Call `dispose()` when done. */
export function refreshSimulation(example: RefreshExample = {}, options: Omit<SimulationOptions, 'template' | 'account'> = {}): Simulation {
  const key = JSON.stringify(example, (_, v) => (v instanceof Duration ? `${v.toSeconds()}s` : v));
  if (!templates.has(key)) templates.set(key, synthesizeRefreshTemplate(TARGET, SOURCE, example));
  const sim = new Simulation({ template: templates.get(key)!, account: TARGET, start: new Date(runDay(0).getTime() - HOUR), ...options });
  rawTemplates.set(sim, templates.get(key)!);
  return sim;
}

function envOf(sim: Simulation, key: string): string {
  return [...sim.functionsByArn.values()].map((f) => f.environment[key]).find((v) => v !== undefined)!;
}

/** The receiver's owner id, as its functions carry it. */
export function receiverOwnerId(sim: Simulation): string {
  return [...sim.functionsByArn.values()].find((f) => TARGET_ENV.COPY_PREFIX in f.environment)!.environment[ENV.OWNER_ID];
}

/** The refresh's owner id. */
export function refreshOwnerId(sim: Simulation): string {
  return [...sim.functionsByArn.values()].find((f) => REFRESH_ENV.DATABASE_IDENTIFIER in f.environment)!.environment[ENV.OWNER_ID];
}

/** The refresh's state machine. */
export function refreshStateMachine(sim: Simulation): string {
  return envOf(sim, ENV.STATE_MACHINE_ARN) && [...sim.functionsByArn.values()]
    .find((f) => REFRESH_ENV.DATABASE_IDENTIFIER in f.environment && ENV.STATE_MACHINE_ARN in f.environment)!.environment[ENV.STATE_MACHINE_ARN];
}

/** Puts the receiver's copy of the source's snapshot taken at `takenAt` in place, available. Returns its identifier. */
export function seedCopy(sim: Simulation, takenAt: Date, cluster = 'orders-db'): string {
  return seedReceiverCopy(sim, SOURCE, takenAt.getTime(), cluster);
}

/** Fires the refresh's schedule at `time` and runs until every execution has ended. */
export async function scheduledRefresh(sim: Simulation, time: Date): Promise<void> {
  const run = await sim.fireSchedule(time, refreshStateMachine(sim));
  if (run.error) throw new Error(`The refresh's starter failed: ${run.error}`);
  await sim.runUntilIdle();
}

export function tagOf(tags: Tag[] | undefined, key: string): string | undefined {
  return tags?.find((t) => t.Key === key)?.Value;
}

/** The clusters this account holds now (restored ones), by identifier. */
export function clusters(sim: Simulation): string[] {
  return [...sim.rds.databases.clusters.values()].map((c) => (sim.rds.databases.cluster(c.identifier), c))
    .filter((c) => sim.rds.databases.clusters.has(c.resourceId)).map((c) => c.identifier).sort();
}

/** The restored cluster holding `identifier`, with its source snapshot, generation and owner. */
export function database(sim: Simulation, identifier: string) {
  const c = sim.rds.databases.cluster(identifier);
  if (!c) return undefined;
  return {
    cluster: c,
    restoredFrom: c.restoredFrom.split(':').pop(),
    generation: tagOf(c.tags, REFRESH_TAG_GENERATION),
    owner: tagOf(c.tags, REFRESH_TAG_OWNER),
    sourceSnapshot: tagOf(c.tags, REFRESH_TAG_SOURCE_SNAPSHOT),
    members: sim.rds.databases.membersOf(c).map((i) => `${i.identifier}:${i.status}`),
  };
}

/** Every alarm of the template, with its state at `at` over what AWS publishes for the executions and functions. */
export function alarmStates(sim: Simulation, at = Date.now()): Record<string, string> {
  const template = rawTemplates.get(sim)!;
  const metrics = serviceMetrics(sim);
  const alarms = readAlarms(template, templateResolver(template, DEFAULT_STACK, TARGET));
  return Object.fromEntries(alarms.map((a) => [a.logicalId, evaluateAlarm(a, metrics, at)]));
}

/** The refresh's events (PutEvents from its state machine): detail-type and detail. */
export function refreshEvents(sim: Simulation): Array<{ detailType: string; detail: any }> {
  return sim.putEvents.map(({ entry }) => ({
    detailType: String(entry.DetailType),
    detail: typeof entry.Detail === 'string' ? JSON.parse(entry.Detail) : entry.Detail,
  }));
}
