import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { RefreshHandlers } from './refresh-handlers';
import { REFRESH_STATE } from './states';
import { ERROR_PATH, lambdaStep, stepInput, waitRetry } from './workflow-steps';
import { DELETION_TIMEOUT_SECONDS, REFRESH_ERROR } from '../shared/constants';

/** The functions of the restore phase, which both modes run. */
export type RestorePhaseHandlers = Pick<RefreshHandlers,
'prepareRefresh' | 'deleteDatabases' | 'restoreDatabase' | 'checkDatabase' | 'createInstances' | 'resetMasterPassword'>;

export interface RestorePhaseProps {
  readonly handlers: RestorePhaseHandlers;
  readonly waitInterval: Duration;
  readonly restoreTimeout: Duration;
  /** Where a failed Prepare goes (nothing was created), and where any later failure goes (this run's database exists). */
  readonly prepareFailed: sfn.IChainable;
  readonly failed: sfn.IChainable;
  /** Refresh mode: a run whose serving database holds the newest copy ends at once. */
  readonly skipWhenUpToDate: boolean;
}

/** The first and last states of the restore phase. */
export interface RestorePhase {
  readonly start: sfn.IChainable;
  readonly checkReady: sfn.TaskStateBase;
}

/**
 * PrepareRefresh → [UpToDate] → DeleteObsolete → RestoreDatabase → CheckRestored ⟲ → CreateInstances →
 * ResetMasterPassword → CheckReady ⟲: a ready database under this run's generation name, with its
 * instances and a new master secret, at `$.restored`. Any failure leaves its error at `$.error`.
 */
export function restorePhase(scope: Construct, props: RestorePhaseProps): RestorePhase {
  const { handlers: h, waitInterval, restoreTimeout } = props;
  const S = REFRESH_STATE;
  const notReady = waitRetry(REFRESH_ERROR.DatabaseNotReady, waitInterval, restoreTimeout);
  const onFailure = { errors: [sfn.Errors.ALL], resultPath: ERROR_PATH };

  const prepare = lambdaStep(scope, S.prepare, h.prepareRefresh, '$.plan', sfn.TaskInput.fromObject({
    input: sfn.JsonPath.entirePayload,
    run: sfn.JsonPath.executionName,
  }));
  prepare.addCatch(props.prepareFailed, onFailure);
  const deleteObsolete = lambdaStep(scope, S.deleteObsolete, h.deleteDatabases, sfn.JsonPath.DISCARD, stepInput('obsolete'));
  deleteObsolete.addRetry(waitRetry(REFRESH_ERROR.DeletionInProgress, waitInterval, Duration.seconds(DELETION_TIMEOUT_SECONDS)));
  const restore = lambdaStep(scope, S.restore, h.restoreDatabase, sfn.JsonPath.DISCARD);
  const checkRestored = lambdaStep(scope, S.checkRestored, h.checkDatabase, sfn.JsonPath.DISCARD, stepInput('restored'));
  const createInstances = lambdaStep(scope, S.createInstances, h.createInstances, sfn.JsonPath.DISCARD);
  const resetPassword = lambdaStep(scope, S.resetMasterPassword, h.resetMasterPassword, sfn.JsonPath.DISCARD);
  const checkReady = lambdaStep(scope, S.checkReady, h.checkDatabase, '$.restored', stepInput('ready'));
  for (const step of [checkRestored, createInstances, resetPassword, checkReady]) step.addRetry(notReady);
  for (const step of [deleteObsolete, restore, checkRestored, createInstances, resetPassword, checkReady]) step.addCatch(props.failed, onFailure);

  const restoring = deleteObsolete
    .next(restore)
    .next(new sfn.Wait(scope, S.waitForRestore, { time: sfn.WaitTime.duration(waitInterval) }))
    .next(checkRestored)
    .next(createInstances)
    .next(resetPassword)
    .next(new sfn.Wait(scope, S.waitForInstances, { time: sfn.WaitTime.duration(waitInterval) }))
    .next(checkReady);
  const start = props.skipWhenUpToDate
    ? prepare.next(new sfn.Choice(scope, S.upToDate)
      .when(sfn.Condition.booleanEquals('$.plan.upToDate', true), new sfn.Succeed(scope, S.alreadyFresh))
      .otherwise(restoring))
    : prepare.next(restoring);
  return { start, checkReady };
}
