import { SwapFailed } from './errors.lambda-shared';
import { DatabaseKind, databaseKind } from './kind.lambda-shared';
import { generationName } from './names.lambda-shared';
import { ownDatabaseAt } from './own-database.lambda-shared';
import { previousTags, retag, SERVING_TAGS } from './roles.lambda-shared';
import { EndpointRecordSettings, refreshSettings, RefreshSettings } from './settings.lambda-shared';
import { planOf, RefreshPlan, RefreshState, SwapResult } from './state.lambda-shared';
import { REFRESH_TAG_ROLE } from '../../shared/constants';
import { InvalidInput } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';
import { preview } from '../../shared/validate.lambda-shared';

/*
 * The swap with an endpoint record: the state machine changes the CNAME (Route 53's
 * ChangeResourceRecordSets, UPSERT: the name keeps answering with the old value until the new one
 * is in sync) and this function keeps the role tags in step with it. No database is renamed.
 */

/**
 * `promote`: once the record points at the new database, it serves (deletion protection as
 * configured) and the one it replaced is previous; `recordBefore`: the change that gives the record
 * its value from before the swap back; `rollBack`: both databases get their roles from before the swap.
 */
export type RecordSwapStep = 'promote' | 'recordBefore' | 'rollBack';

export interface RecordSwapEvent {
  readonly step: RecordSwapStep;
  readonly state: unknown;
}

/** One change of Route 53's ChangeResourceRecordSets (API reference, `Change`): a CNAME with one value. */
export interface RecordChange {
  readonly Action: 'UPSERT' | 'DELETE';
  readonly ResourceRecordSet: { readonly Name: string; readonly Type: 'CNAME'; readonly TTL: number; readonly ResourceRecords: Array<{ readonly Value: string }> };
}

/** The rollback's change (one, as ChangeBatch's `Changes`), and whether the rollback fails when Route 53 refuses it. */
export interface RecordRollback {
  readonly changes: RecordChange[];
  /** True: the record must point back at the database that served; false (first refresh): the record this run made is deleted, if it exists. */
  readonly required: boolean;
}

const NO_PREVIOUS: SwapResult = { previousIdentifier: null };

export async function handler(event: RecordSwapEvent): Promise<SwapResult | RecordRollback> {
  const settings = refreshSettings();
  const record = settings.endpointRecord;
  if (!record) throw new InvalidInput('SwapRecord runs only with an endpoint record (REFRESH_ENDPOINT_RECORD)');
  const plan = planOf(event?.state, 'The SwapRecord input');
  const kind = databaseKind(settings.kind);
  switch (event.step) {
    case 'promote': return promote(kind, settings, plan);
    case 'recordBefore': return recordBefore(kind, settings, record, plan, event.state as RefreshState);
    case 'rollBack': return rollBack(kind, settings, plan);
    default: throw new InvalidInput(`step must be promote, recordBefore or rollBack, got ${preview(event?.step)}`);
  }
}

async function promote(kind: DatabaseKind, settings: RefreshSettings, plan: RefreshPlan): Promise<SwapResult> {
  if (!(await ownDatabaseAt(kind, settings, plan.newIdentifier, plan.generation))) {
    throw new SwapFailed(`Database '${plan.newIdentifier}' disappeared while the record was pointed at it`);
  }
  // The new one first: a promotion interrupted between the two leaves the newer one serving.
  await retag(kind, plan.newIdentifier, SERVING_TAGS);
  if (settings.restore.deletionProtection) await kind.setDeletionProtection(plan.newIdentifier, true);
  if (!plan.servingGeneration) return NO_PREVIOUS;
  const previousIdentifier = generationName(settings.databaseIdentifier, plan.servingGeneration);
  if (await ownDatabaseAt(kind, settings, previousIdentifier, plan.servingGeneration)) await retag(kind, previousIdentifier, previousTags(settings));
  log('info', 'The record points at the new database', { serving: plan.newIdentifier, previous: previousIdentifier });
  return { previousIdentifier };
}

/** The database that served before the swap: the record points back at its endpoint. None (a first refresh): delete the record. */
async function recordBefore(
  kind: DatabaseKind, settings: RefreshSettings, record: EndpointRecordSettings, plan: RefreshPlan, state: RefreshState,
): Promise<RecordRollback> {
  const cname = (action: RecordChange['Action'], value: string): RecordChange => ({
    Action: action,
    ResourceRecordSet: { Name: record.name, Type: 'CNAME', TTL: record.ttl, ResourceRecords: [{ Value: value }] },
  });
  if (!plan.servingGeneration) {
    if (!state.restored?.endpoint) throw new InvalidInput('The SwapRecord input needs the restored database at $.restored');
    return { changes: [cname('DELETE', state.restored.endpoint)], required: false };
  }
  const previousIdentifier = generationName(settings.databaseIdentifier, plan.servingGeneration);
  const previous = await ownDatabaseAt(kind, settings, previousIdentifier, plan.servingGeneration);
  if (!previous?.view.endpoint) throw new SwapFailed(`'${previousIdentifier}', which served before the swap, is gone: the record cannot point back at it`);
  return { changes: [cname('UPSERT', previous.view.endpoint)], required: true };
}

async function rollBack(kind: DatabaseKind, settings: RefreshSettings, plan: RefreshPlan): Promise<SwapResult> {
  if (await ownDatabaseAt(kind, settings, plan.newIdentifier, plan.generation)) {
    await retag(kind, plan.newIdentifier, { [REFRESH_TAG_ROLE]: 'restoring' });
    await kind.setDeletionProtection(plan.newIdentifier, false);
  }
  if (plan.servingGeneration) {
    const previousIdentifier = generationName(settings.databaseIdentifier, plan.servingGeneration);
    if (await ownDatabaseAt(kind, settings, previousIdentifier, plan.servingGeneration)) await retag(kind, previousIdentifier, SERVING_TAGS);
  }
  log('info', 'Rolled the roles back: the record points at the database that served before', { restored: plan.newIdentifier });
  return NO_PREVIOUS;
}
