import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { REFRESH_STATE } from './states';
import { CAUGHT_PATH, ERROR_PATH, lambdaStep, nameError, putEvent, stepInput, waitRetry } from './workflow-steps';
import { DELETION_TIMEOUT_SECONDS, EVENT_DETAIL_TYPE, REFRESH_ERROR, SWAP_TIMEOUT_SECONDS } from '../shared/constants';

export interface SwapProps {
  readonly swapNames: lambda.IFunction;
  readonly checkDatabase: lambda.IFunction;
  readonly deleteDatabases: lambda.IFunction;
  readonly databaseIdentifier: string;
  readonly kind: string;
  readonly waitInterval: Duration;
  readonly keepPrevious?: Duration;
  /** Deletes this run's database, reports and fails: after a rollback. */
  readonly cleanUp: sfn.IChainable;
  /** Reports and fails without deleting anything: after a rollback that could not finish. */
  readonly publishFailed: sfn.IChainable;
}

/**
 * RenameServingAway → RenameIntoPlace → CheckServing ⟲ → PublishRefreshed → [KeepPrevious → DeletePrevious] → Refreshed.
 * A failure anywhere in it is SwapFailed: RollBackNames gives both databases their names back, then
 * this run's database is deleted; a rollback that cannot finish is RollbackFailed and deletes nothing.
 */
export function swapSteps(scope: Construct, props: SwapProps): sfn.IChainable {
  const S = REFRESH_STATE;
  const swapRetry = waitRetry(REFRESH_ERROR.DatabaseNotReady, props.waitInterval, Duration.seconds(SWAP_TIMEOUT_SECONDS));
  const rollBack = lambdaStep(scope, S.rollBackNames, props.swapNames, sfn.JsonPath.DISCARD, stepInput('rollBack'));
  rollBack.addRetry(swapRetry);
  const rollbackFailed = nameError(scope, S.rollbackFailed, REFRESH_ERROR.RollbackFailed).next(props.publishFailed);
  rollBack.addCatch(rollbackFailed, { errors: [sfn.Errors.ALL], resultPath: CAUGHT_PATH });
  rollBack.next(props.cleanUp);
  const swapFailed = nameError(scope, S.swapFailed, REFRESH_ERROR.SwapFailed).next(rollBack);
  const renameAway = lambdaStep(scope, S.renameServingAway, props.swapNames, '$.swap', stepInput('away'));
  const renameIntoPlace = lambdaStep(scope, S.renameIntoPlace, props.swapNames, '$.swap', stepInput('intoPlace'));
  const checkServing = lambdaStep(scope, S.checkServing, props.checkDatabase, '$.serving', stepInput('serving'));
  for (const step of [renameAway, renameIntoPlace, checkServing]) {
    step.addRetry(swapRetry);
    step.addCatch(swapFailed, { errors: [sfn.Errors.ALL], resultPath: CAUGHT_PATH });
  }

  const publishRefreshed = putEvent(scope, S.publishRefreshed, EVENT_DETAIL_TYPE.databaseRefreshed, {
    databaseIdentifier: props.databaseIdentifier,
    kind: props.kind,
    generation: sfn.JsonPath.stringAt('$.plan.generation'),
    endpoint: sfn.JsonPath.stringAt('$.serving.endpoint'),
    port: sfn.JsonPath.numberAt('$.serving.port'),
    masterUserSecretArn: sfn.JsonPath.stringAt('$.restored.masterUserSecretArn'),
    sourceSnapshotArn: sfn.JsonPath.stringAt('$.plan.copy.arn'),
    sourceSnapshotTime: sfn.JsonPath.stringAt('$.plan.copy.sourceSnapshotTime'),
    previousIdentifier: sfn.JsonPath.stringAt('$.swap.previousIdentifier'),
  });
  const after = afterRefresh(scope, props);
  publishRefreshed.addCatch(after, { errors: [sfn.Errors.ALL], resultPath: '$.publishError' });
  renameAway.next(renameIntoPlace)
    .next(new sfn.Wait(scope, S.waitForRename, { time: sfn.WaitTime.duration(props.waitInterval) }))
    .next(checkServing)
    .next(publishRefreshed)
    .next(after);
  return renameAway;
}

/** With `keepPrevious`: wait, then delete the previous database; without: it waits for the next refresh. */
function afterRefresh(scope: Construct, props: SwapProps): sfn.IChainable {
  const refreshed = new sfn.Succeed(scope, REFRESH_STATE.refreshed);
  if (!props.keepPrevious) return refreshed;
  const deletePrevious = lambdaStep(scope, REFRESH_STATE.deletePrevious, props.deleteDatabases, '$.previousDeleted', stepInput('previous'));
  deletePrevious.addRetry(waitRetry(REFRESH_ERROR.DeletionInProgress, props.waitInterval, Duration.seconds(DELETION_TIMEOUT_SECONDS)));
  const notDeleted = new sfn.Fail(scope, REFRESH_STATE.previousNotDeleted, { errorPath: `${ERROR_PATH}.Error`, causePath: `${ERROR_PATH}.Cause` });
  deletePrevious.addCatch(notDeleted, { errors: [sfn.Errors.ALL], resultPath: ERROR_PATH });
  const keep = new sfn.Wait(scope, REFRESH_STATE.keepPrevious, { time: sfn.WaitTime.duration(props.keepPrevious) });
  keep.next(deletePrevious).next(refreshed);
  // The first refresh renamed nothing away: nothing to keep.
  return new sfn.Choice(scope, REFRESH_STATE.previousToKeep)
    .when(sfn.Condition.isNull('$.swap.previousIdentifier'), refreshed)
    .otherwise(keep);
}
