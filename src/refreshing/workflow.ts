import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { PostRestoreStep } from './post-restore-step';
import { RefreshMode } from './props';
import { restorePhase, RestorePhaseHandlers } from './restore-phase';
import { restoreTestSteps } from './restore-test-steps';
import { REFRESH_STATE } from './states';
import { swapSteps } from './swap-steps';
import { CAUGHT_PATH, ERROR_PATH, lambdaStep, nameError, postRestoreInput, postRestoreTask, putEvent, stepInput, waitRetry } from './workflow-steps';
import { DELETION_TIMEOUT_SECONDS, EVENT_DETAIL_TYPE, REFRESH_ERROR, SWAP_TIMEOUT_SECONDS } from '../shared/constants';

export { REFRESH_STATE } from './states';

/** The Lambda functions the workflow calls: the restore phase's, and each mode's own. */
export interface RefreshWorkflowHandlers extends RestorePhaseHandlers {
  readonly swapNames?: lambda.IFunction;
  readonly checkConnection?: lambda.IFunction;
  readonly recordRestoreTest?: lambda.IFunction;
}

export interface RefreshWorkflowProps {
  readonly handlers: RefreshWorkflowHandlers;
  readonly mode: RefreshMode;
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

/**
 * One execution per run. Both modes restore the newest copy (restore-phase.ts); a refresh then runs
 * the post-restore step and swaps the database in (swap-steps.ts), a restore test checks it and
 * deletes it (restore-test-steps.ts). Before a refresh's swap any failure deletes this run's
 * database and fails with its named error, the serving database untouched.
 */
export class RefreshWorkflow extends Construct {
  public readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: RefreshWorkflowProps) {
    super(scope, id);
    const start = props.mode === RefreshMode.RESTORE_TEST ? this.restoreTest(props) : this.refresh(props);
    const timeouts = props.restoreTimeout.toSeconds() + props.postRestoreTimeout.toSeconds() + 2 * SWAP_TIMEOUT_SECONDS
      + 2 * DELETION_TIMEOUT_SECONDS + (props.keepPrevious?.toSeconds() ?? 0);
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(start),
      comment: props.mode === RefreshMode.RESTORE_TEST
        ? 'Restores the newest owned snapshot copy, checks it, records the result and deletes it.'
        : 'Restores the newest owned snapshot copy into a new database, runs the post-restore step, and swaps it in under the stable identifier.',
      timeout: Duration.seconds(timeouts + 3600),
      tracingEnabled: true,
      logs: { destination: props.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
  }

  private refresh(props: RefreshWorkflowProps): sfn.IChainable {
    const S = REFRESH_STATE;
    const h = props.handlers;
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
    cleanUp.addRetry(waitRetry(REFRESH_ERROR.DeletionInProgress, props.waitInterval, Duration.seconds(DELETION_TIMEOUT_SECONDS)));
    cleanUp.addCatch(publishFailed, { errors: [sfn.Errors.ALL], resultPath: '$.cleanUpError' });
    cleanUp.next(publishFailed);

    const phase = restorePhase(this, { ...props, prepareFailed: publishFailed, failed: cleanUp, skipWhenUpToDate: true });
    const swap = swapSteps(this, {
      ...props, swapNames: h.swapNames!, checkDatabase: h.checkDatabase, deleteDatabases: h.deleteDatabases, cleanUp, publishFailed,
    });
    if (props.postRestore) {
      const step = postRestoreTask(this, S.postRestore, props.postRestore, postRestoreInput(props.databaseIdentifier, 'refresh'), props.postRestoreTimeout);
      const postRestoreFailed = nameError(this, S.postRestoreFailed, REFRESH_ERROR.PostRestoreFailed).next(cleanUp);
      step.addCatch(postRestoreFailed, { errors: [sfn.Errors.ALL], resultPath: CAUGHT_PATH });
      phase.checkReady.next(step).next(swap);
    } else {
      phase.checkReady.next(swap);
    }
    return phase.start;
  }

  private restoreTest(props: RefreshWorkflowProps): sfn.IChainable {
    const h = props.handlers;
    const test = restoreTestSteps(this, {
      ...props, deleteDatabases: h.deleteDatabases, recordRestoreTest: h.recordRestoreTest!, checkConnection: h.checkConnection!,
    });
    const phase = restorePhase(this, { ...props, prepareFailed: test.failed, failed: test.failed, skipWhenUpToDate: false });
    phase.checkReady.next(test.afterReady);
    return phase.start;
  }
}
