import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { PostRestoreStep } from './post-restore-step';
import { CAUGHT_PATH, ERROR_PATH, lambdaStep, nameError, postRestoreInput, postRestoreTask, putEvent, stepInput, waitRetry } from './workflow-steps';
import { DELETION_TIMEOUT_SECONDS, EVENT_DETAIL_TYPE, REFRESH_ERROR, SWAP_TIMEOUT_SECONDS } from '../shared/constants';

/** The Lambda functions the workflow calls. */
export interface RefreshWorkflowHandlers {
  readonly prepareRefresh: lambda.IFunction;
  readonly deleteDatabases: lambda.IFunction;
  readonly restoreDatabase: lambda.IFunction;
  readonly checkDatabase: lambda.IFunction;
  readonly createInstances: lambda.IFunction;
  readonly resetMasterPassword: lambda.IFunction;
  readonly swapNames: lambda.IFunction;
}

export interface RefreshWorkflowProps {
  readonly handlers: RefreshWorkflowHandlers;
  readonly databaseIdentifier: string;
  readonly kind: string;
  readonly waitInterval: Duration;
  readonly restoreTimeout: Duration;
  readonly postRestore?: PostRestoreStep;
  readonly postRestoreTimeout: Duration;
  /** Undefined: the previous database waits for the next refresh. */
  readonly keepPrevious?: Duration;
  readonly logGroup: logs.ILogGroup;
}

/** Every state name, as the execution history and the simulator see them. */
export const REFRESH_STATE = {
  prepare: 'PrepareRefresh',
  upToDate: 'UpToDate',
  alreadyFresh: 'AlreadyFresh',
  deleteObsolete: 'DeleteObsolete',
  restore: 'RestoreDatabase',
  waitForRestore: 'WaitForRestore',
  checkRestored: 'CheckRestored',
  createInstances: 'CreateInstances',
  resetMasterPassword: 'ResetMasterPassword',
  waitForInstances: 'WaitForInstances',
  checkReady: 'CheckReady',
  postRestore: 'PostRestore',
  postRestoreFailed: 'PostRestoreFailed',
  renameServingAway: 'RenameServingAway',
  renameIntoPlace: 'RenameIntoPlace',
  waitForRename: 'WaitForRename',
  checkServing: 'CheckServing',
  swapFailed: 'SwapFailed',
  rollBackNames: 'RollBackNames',
  rollbackFailed: 'RollbackFailed',
  cleanUp: 'CleanUpFailedRefresh',
  publishFailed: 'PublishRefreshFailed',
  failed: 'RefreshFailed',
  publishRefreshed: 'PublishRefreshed',
  keepPrevious: 'KeepPrevious',
  deletePrevious: 'DeletePrevious',
  previousNotDeleted: 'PreviousNotDeleted',
  refreshed: 'Refreshed',
} as const;

/**
 * One execution per refresh:
 * PrepareRefresh → [UpToDate: end] → DeleteObsolete → RestoreDatabase → CheckRestored ⟲ → CreateInstances →
 * ResetMasterPassword → CheckReady ⟲ → [PostRestore] → RenameServingAway → RenameIntoPlace → CheckServing ⟲ →
 * PublishRefreshed → [KeepPrevious → DeletePrevious] → Refreshed.
 * Before the swap any failure deletes this run's database and fails with its named error (the
 * serving database untouched); a failed swap rolls the names back first (SwapFailed); a rollback
 * that cannot finish fails with RollbackFailed and deletes nothing.
 */
export class RefreshWorkflow extends Construct {
  public readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: RefreshWorkflowProps) {
    super(scope, id);
    const { handlers: h, waitInterval, restoreTimeout } = props;
    const S = REFRESH_STATE;
    const restoreRetry = (error: string) => waitRetry(error, waitInterval, restoreTimeout);
    const swapRetry = waitRetry(REFRESH_ERROR.DatabaseNotReady, waitInterval, Duration.seconds(SWAP_TIMEOUT_SECONDS));
    const deletionRetry = waitRetry(REFRESH_ERROR.DeletionInProgress, waitInterval, Duration.seconds(DELETION_TIMEOUT_SECONDS));

    // The failure path: delete this run's database (never the serving one), report, fail by name.
    const failed = new sfn.Fail(this, S.failed, { errorPath: `${ERROR_PATH}.Error`, causePath: `${ERROR_PATH}.Cause` });
    const publishFailed = putEvent(this, S.publishFailed, EVENT_DETAIL_TYPE.databaseRefreshFailed, {
      databaseIdentifier: props.databaseIdentifier,
      error: sfn.JsonPath.stringAt(`${ERROR_PATH}.Error`),
      cause: sfn.JsonPath.stringAt(`${ERROR_PATH}.Cause`),
    });
    publishFailed.addCatch(failed, { errors: [sfn.Errors.ALL], resultPath: '$.publishError' });
    publishFailed.next(failed);
    const cleanUp = lambdaStep(this, S.cleanUp, h.deleteDatabases, '$.cleanUp', stepInput('failed'));
    cleanUp.addRetry(deletionRetry);
    cleanUp.addCatch(publishFailed, { errors: [sfn.Errors.ALL], resultPath: '$.cleanUpError' });
    cleanUp.next(publishFailed);
    const onFailure = { errors: [sfn.Errors.ALL], resultPath: ERROR_PATH };

    const prepare = lambdaStep(this, S.prepare, h.prepareRefresh, '$.plan', sfn.TaskInput.fromObject({
      input: sfn.JsonPath.entirePayload,
      run: sfn.JsonPath.executionName,
    }));
    prepare.addCatch(publishFailed, onFailure);
    const deleteObsolete = lambdaStep(this, S.deleteObsolete, h.deleteDatabases, sfn.JsonPath.DISCARD, stepInput('obsolete'));
    deleteObsolete.addRetry(deletionRetry);
    const restore = lambdaStep(this, S.restore, h.restoreDatabase, sfn.JsonPath.DISCARD);
    const checkRestored = lambdaStep(this, S.checkRestored, h.checkDatabase, sfn.JsonPath.DISCARD, stepInput('restored'));
    checkRestored.addRetry(restoreRetry(REFRESH_ERROR.DatabaseNotReady));
    const createInstances = lambdaStep(this, S.createInstances, h.createInstances, sfn.JsonPath.DISCARD);
    createInstances.addRetry(restoreRetry(REFRESH_ERROR.DatabaseNotReady));
    const resetPassword = lambdaStep(this, S.resetMasterPassword, h.resetMasterPassword, sfn.JsonPath.DISCARD);
    resetPassword.addRetry(restoreRetry(REFRESH_ERROR.DatabaseNotReady));
    const checkReady = lambdaStep(this, S.checkReady, h.checkDatabase, '$.restored', stepInput('ready'));
    checkReady.addRetry(restoreRetry(REFRESH_ERROR.DatabaseNotReady));
    for (const step of [deleteObsolete, restore, checkRestored, createInstances, resetPassword, checkReady]) step.addCatch(cleanUp, onFailure);

    // The swap, and the rollback of the names when it fails.
    const rollbackFailed = nameError(this, S.rollbackFailed, REFRESH_ERROR.RollbackFailed).next(publishFailed);
    const rollBack = lambdaStep(this, S.rollBackNames, h.swapNames, sfn.JsonPath.DISCARD, stepInput('rollBack'));
    rollBack.addRetry(swapRetry);
    rollBack.addCatch(rollbackFailed, { errors: [sfn.Errors.ALL], resultPath: CAUGHT_PATH });
    rollBack.next(cleanUp);
    const swapFailed = nameError(this, S.swapFailed, REFRESH_ERROR.SwapFailed).next(rollBack);
    const onSwapFailure = { errors: [sfn.Errors.ALL], resultPath: CAUGHT_PATH };
    const renameAway = lambdaStep(this, S.renameServingAway, h.swapNames, '$.swap', stepInput('away'));
    const renameIntoPlace = lambdaStep(this, S.renameIntoPlace, h.swapNames, '$.swap', stepInput('intoPlace'));
    const checkServing = lambdaStep(this, S.checkServing, h.checkDatabase, '$.serving', stepInput('serving'));
    for (const step of [renameAway, renameIntoPlace, checkServing]) {
      step.addRetry(swapRetry);
      step.addCatch(swapFailed, onSwapFailure);
    }

    const refreshed = new sfn.Succeed(this, S.refreshed);
    const publishRefreshed = putEvent(this, S.publishRefreshed, EVENT_DETAIL_TYPE.databaseRefreshed, {
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
    const afterRefresh = this.afterRefresh(props, refreshed);
    publishRefreshed.addCatch(afterRefresh, { errors: [sfn.Errors.ALL], resultPath: '$.publishError' });
    publishRefreshed.next(afterRefresh);

    const beforeSwap: sfn.IChainable = props.postRestore ? this.postRestore(props, cleanUp) : renameAway;
    if (props.postRestore) (beforeSwap as sfn.TaskStateBase).next(renameAway);
    const start = prepare.next(new sfn.Choice(this, S.upToDate)
      .when(sfn.Condition.booleanEquals('$.plan.upToDate', true), new sfn.Succeed(this, S.alreadyFresh))
      .otherwise(deleteObsolete
        .next(restore)
        .next(new sfn.Wait(this, S.waitForRestore, { time: sfn.WaitTime.duration(waitInterval) }))
        .next(checkRestored)
        .next(createInstances)
        .next(resetPassword)
        .next(new sfn.Wait(this, S.waitForInstances, { time: sfn.WaitTime.duration(waitInterval) }))
        .next(checkReady)
        .next(beforeSwap)));
    renameAway.next(renameIntoPlace)
      .next(new sfn.Wait(this, S.waitForRename, { time: sfn.WaitTime.duration(waitInterval) }))
      .next(checkServing)
      .next(publishRefreshed);

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(start),
      comment: 'Restores the newest owned snapshot copy into a new database, runs the post-restore step, and swaps it in under the stable identifier.',
      timeout: Duration.seconds(restoreTimeout.toSeconds() + props.postRestoreTimeout.toSeconds() + 2 * SWAP_TIMEOUT_SECONDS
        + 2 * DELETION_TIMEOUT_SECONDS + (props.keepPrevious?.toSeconds() ?? 0) + 3600),
      tracingEnabled: true,
      logs: { destination: props.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
  }

  private postRestore(props: RefreshWorkflowProps, cleanUp: sfn.IChainable): sfn.TaskStateBase {
    const step = postRestoreTask(this, REFRESH_STATE.postRestore, props.postRestore!, postRestoreInput(props.databaseIdentifier, 'refresh'), props.postRestoreTimeout);
    step.addCatch(nameError(this, REFRESH_STATE.postRestoreFailed, REFRESH_ERROR.PostRestoreFailed).next(cleanUp), {
      errors: [sfn.Errors.ALL],
      resultPath: CAUGHT_PATH,
    });
    return step;
  }

  /** With `keepPrevious`: wait, then delete the previous database; without: it waits for the next refresh. */
  private afterRefresh(props: RefreshWorkflowProps, refreshed: sfn.Succeed): sfn.IChainable {
    if (!props.keepPrevious) return refreshed;
    const deletePrevious = lambdaStep(this, REFRESH_STATE.deletePrevious, props.handlers.deleteDatabases, '$.previousDeleted', stepInput('previous'));
    deletePrevious.addRetry(waitRetry(REFRESH_ERROR.DeletionInProgress, props.waitInterval, Duration.seconds(DELETION_TIMEOUT_SECONDS)));
    deletePrevious.addCatch(new sfn.Fail(this, REFRESH_STATE.previousNotDeleted, { errorPath: `${ERROR_PATH}.Error`, causePath: `${ERROR_PATH}.Cause` }), {
      errors: [sfn.Errors.ALL],
      resultPath: ERROR_PATH,
    });
    const keep = new sfn.Wait(this, REFRESH_STATE.keepPrevious, { time: sfn.WaitTime.duration(props.keepPrevious) });
    keep.next(deletePrevious).next(refreshed);
    return keep;
  }
}
