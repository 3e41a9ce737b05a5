import { newestCopy } from './copies.lambda-shared';
import { DatabaseNotOwned, NoCopyAvailable, RefreshInProgress } from './errors.lambda-shared';
import { databaseKind } from './kind.lambda-shared';
import { listOwnDatabases } from './listing.lambda-shared';
import { generationName, generationOf } from './names.lambda-shared';
import { asOwnDatabase, OwnDatabase } from './ownership.lambda-shared';
import { refreshSettings, RefreshSettings } from './settings.lambda-shared';
import type { RefreshPlan } from './state.lambda-shared';
import { InvalidInput } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';
import { preview, requireObject } from '../../shared/validate.lambda-shared';

/** The execution's input (the starter's, or a run started by hand) and the execution's name. */
export interface PrepareEvent {
  readonly input?: { readonly scheduledTime?: string };
  readonly run: string;
}

/**
 * Plans one run: checks that the stable identifier is free or this instance's, finds the newest
 * copy to restore (or that the serving database already holds it), and lists the databases of this
 * instance to delete first (restores a failed run left behind, previous databases past their
 * time). Fails with RefreshInProgress while another run is restoring.
 */
export async function handler(event: PrepareEvent): Promise<RefreshPlan> {
  const settings = refreshSettings();
  const obj = requireObject(event, 'The Prepare input');
  if (typeof obj.run !== 'string' || obj.run.length === 0) throw new InvalidInput(`The Prepare input needs the execution name as run, got ${preview(obj.run)}`);
  const generation = generationOf(scheduledTime(event.input));
  const kind = databaseKind(settings.kind);
  // A restore test never serves: the stable identifier is only the start of its databases' names.
  const serving = settings.mode === 'refresh' ? await kind.describe(settings.databaseIdentifier) : undefined;
  const servingOwn = serving && asOwnDatabase(serving, settings);
  if (serving && !servingOwn) {
    throw new DatabaseNotOwned(`'${settings.databaseIdentifier}' is a database this RefreshedDatabase did not create: rename or delete it before the first refresh`);
  }
  const copy = await newestCopy(settings);
  if (!copy) throw new NoCopyAvailable(`No available copy of '${settings.sourceCluster}' with prefix '${settings.copyPrefix}' carries owner '${settings.copyOwnerId}'`);
  const now = Date.now();
  const others = (await listOwnDatabases(settings)).filter((d) => d.view.identifier !== settings.databaseIdentifier);
  assertNoRunInProgress(others, settings, generation, event.run, now);
  const upToDate = settings.mode === 'refresh' && servingOwn?.sourceSnapshotArn === copy.arn;
  const plan: RefreshPlan = {
    run: event.run,
    generation,
    newIdentifier: generationName(settings.databaseIdentifier, generation),
    databaseIdentifier: settings.databaseIdentifier,
    copy,
    servingGeneration: servingOwn?.generation,
    obsolete: upToDate ? [] : others.filter((d) => isObsolete(d, settings, generation, now)).map((d) => d.view.identifier),
    deadline: new Date(now + settings.restoreTimeoutSeconds * 1000).toISOString(),
    upToDate,
  };
  log('info', upToDate ? 'The serving database holds the newest copy already' : 'Planned a refresh', { ...plan });
  return plan;
}

function scheduledTime(input: PrepareEvent['input']): Date {
  if (input?.scheduledTime === undefined) return new Date();
  const time = new Date(input.scheduledTime);
  if (typeof input.scheduledTime !== 'string' || Number.isNaN(time.getTime())) {
    throw new InvalidInput(`scheduledTime must be an ISO-8601 time, got ${preview(input.scheduledTime)}`);
  }
  return time;
}

const IN_PROGRESS_ROLES = ['restoring', 'restore-test'];

/** How long after its generation a database being restored counts as another run's work in progress. */
function inProgressWindowMs(settings: RefreshSettings): number {
  return settings.staleAfterSeconds * 1000;
}

function generationTime(generation: string): number {
  const g = generation;
  return Date.parse(`${g.slice(0, 4)}-${g.slice(4, 6)}-${g.slice(6, 8)}T${g.slice(8, 10)}:${g.slice(10, 12)}:00Z`);
}

/** A restore of another run that is younger than the run's longest duration is work in progress. */
function assertNoRunInProgress(others: OwnDatabase[], settings: RefreshSettings, generation: string, run: string, now: number): void {
  const busy = others.find((d) => IN_PROGRESS_ROLES.includes(d.role) && d.run !== run
    && (d.generation === generation || now - generationTime(d.generation) < inProgressWindowMs(settings)));
  if (busy) throw new RefreshInProgress(`Run '${busy.run}' is restoring '${busy.view.identifier}'; this run restores nothing`);
}

/** What to delete before restoring: stale restores, and previous databases whose time has come. */
function isObsolete(d: OwnDatabase, settings: RefreshSettings, generation: string, now: number): boolean {
  if (d.generation === generation) return false;
  if (IN_PROGRESS_ROLES.includes(d.role)) return true;
  // A database renamed away keeps its generation name; `serving` there is a swap interrupted before its tag.
  if (settings.keepPreviousSeconds === undefined) return true;
  return d.deleteAfter !== undefined && d.deleteAfter <= now;
}
