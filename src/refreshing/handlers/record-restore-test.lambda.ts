import { refreshSettings } from './settings.lambda-shared';
import type { RefreshPlan } from './state.lambda-shared';
import { REFRESH_METRIC, SILENT_LOGS_VARIABLE } from '../../shared/constants';
import { InvalidInput } from '../../shared/errors.lambda-shared';
import type { DatabaseRestoreTestedDetail } from '../../shared/events';
import { requireObject } from '../../shared/validate.lambda-shared';

export interface RecordEvent {
  readonly passed: boolean;
  /** The execution's state: its plan (absent when Prepare failed) and, after a failure, its error. */
  readonly state: { readonly plan?: RefreshPlan; readonly error?: { readonly Error?: string; readonly Cause?: string } };
}

/**
 * Records a restore test's result: the `RestoreTestPassed` metric (1 or 0) and the detail of the
 * `Database Restore Tested` event the state machine puts next.
 */
export async function handler(event: RecordEvent): Promise<DatabaseRestoreTestedDetail> {
  const settings = refreshSettings();
  const obj = requireObject(event, 'The RecordRestoreTest input');
  if (typeof obj.passed !== 'boolean') throw new InvalidInput('The RecordRestoreTest input needs passed: true or false');
  const plan = event.state?.plan;
  const detail: DatabaseRestoreTestedDetail = {
    databaseIdentifier: plan?.newIdentifier ?? settings.databaseIdentifier,
    sourceSnapshotArn: plan?.copy.arn,
    sourceSnapshotTime: plan?.copy.sourceSnapshotTime,
    passed: event.passed,
    ...(event.passed ? {} : { error: event.state?.error?.Error ?? 'Unknown', cause: event.state?.error?.Cause }),
  };
  if (process.env[SILENT_LOGS_VARIABLE] !== 'true') console.log(JSON.stringify(restoreTestRecord(settings.ownerId, detail, Date.now())));
  return detail;
}

/** One embedded-metric-format record: 1 for a test that passed, 0 for one that failed, under the owner id. */
export function restoreTestRecord(ownerId: string, detail: DatabaseRestoreTestedDetail, now: number): Record<string, unknown> {
  const { namespace, restoreTestPassed, ownerDimension, databaseDimension } = REFRESH_METRIC;
  return {
    _aws: { Timestamp: now, CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [[ownerDimension]], Metrics: [{ Name: restoreTestPassed, Unit: 'Count' }] }] },
    [ownerDimension]: ownerId,
    [databaseDimension]: detail.databaseIdentifier,
    [restoreTestPassed]: detail.passed ? 1 : 0,
    ...(detail.error ? { error: detail.error } : {}),
  };
}
