import { isValidGeneration } from './names.lambda-shared';
import { InvalidInput } from '../../shared/errors.lambda-shared';
import { preview, requireObject } from '../../shared/validate.lambda-shared';

/** The copy a run restores. */
export interface PlannedCopy {
  readonly arn: string;
  readonly identifier: string;
  readonly engine: string;
  /** When its source snapshot was taken (ISO-8601): the age of the data. */
  readonly sourceSnapshotTime: string;
}

/** What Prepare decided; every later step reads it from `$.plan`. */
export interface RefreshPlan {
  /** The execution that plans (the run tag on what it creates). */
  readonly run: string;
  /** The new database's generation, and its name until it serves. */
  readonly generation: string;
  readonly newIdentifier: string;
  readonly databaseIdentifier: string;
  readonly copy: PlannedCopy;
  /** The serving database's generation, when one serves. */
  readonly servingGeneration?: string;
  /** Databases of this instance to delete before restoring: stale restores and expired previous ones. */
  readonly obsolete: string[];
  /** The restore phase's deadline (ISO-8601). */
  readonly deadline: string;
  /** The serving database already holds the newest copy: nothing to do. */
  readonly upToDate: boolean;
}

/** The restored database, once ready (CheckDatabase `ready`). */
export interface RestoredDatabase {
  readonly identifier: string;
  readonly endpoint: string;
  readonly port: number;
  readonly masterUserSecretArn: string;
}

/** The execution's state as the handlers receive it. */
export interface RefreshState {
  readonly plan: RefreshPlan;
  readonly restored?: RestoredDatabase;
  readonly swap?: SwapResult;
}

/** What the swap did: the database it renamed away, if one served. */
export interface SwapResult {
  /** Null on the first refresh (JSON null, so the event's JSONPath always finds the field). */
  readonly previousIdentifier: string | null;
}

/** The plan of a handler's input, checked for the fields every step relies on. */
export function planOf(event: unknown, what: string): RefreshPlan {
  const state = requireObject(event, what);
  const plan = state.plan as RefreshPlan | undefined;
  if (typeof plan !== 'object' || plan === null || !isValidGeneration(plan.generation) || typeof plan.newIdentifier !== 'string'
    || typeof plan.copy?.arn !== 'string' || !Array.isArray(plan.obsolete)) {
    throw new InvalidInput(`${what} needs the plan Prepare made at $.plan, got ${preview(plan)}`);
  }
  return plan;
}
