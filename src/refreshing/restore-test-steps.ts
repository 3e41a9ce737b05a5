import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { PostRestoreStep } from './post-restore-step';
import { REFRESH_STATE } from './states';
import { ERROR_PATH, lambdaStep, postRestoreInput, postRestoreTask, putEvent, stepInput, waitRetry } from './workflow-steps';
import { DELETION_TIMEOUT_SECONDS, EVENT_DETAIL_TYPE, REFRESH_ERROR } from '../shared/constants';

export interface RestoreTestProps {
  readonly deleteDatabases: lambda.IFunction;
  readonly recordRestoreTest: lambda.IFunction;
  /** The built-in check, when there is no post-restore step. */
  readonly checkConnection: lambda.IFunction;
  readonly postRestore?: PostRestoreStep;
  readonly postRestoreTimeout: Duration;
  readonly databaseIdentifier: string;
  readonly waitInterval: Duration;
}

export interface RestoreTestSteps {
  /** From the check on: the database is ready at `$.restored`. */
  readonly afterReady: sfn.IChainable;
  /** Where every failure goes, its error at `$.error`. */
  readonly failed: sfn.IChainable;
}

/**
 * Check (the post-restore step, or CheckConnection) → DeleteTested → RecordTestPassed → PublishRestoreTested → RestoreTested;
 * after any failure: DeleteFailedTest → RecordTestFailed → PublishRestoreTestFailed → RestoreTestFailed, failing
 * with the failure's name (RestoreFailed for a copy that does not restore). The database is always deleted.
 */
export function restoreTestSteps(scope: Construct, props: RestoreTestProps): RestoreTestSteps {
  const S = REFRESH_STATE;
  const deletion = waitRetry(REFRESH_ERROR.DeletionInProgress, props.waitInterval, Duration.seconds(DELETION_TIMEOUT_SECONDS));
  const detail = sfn.TaskInput.fromJsonPathAt('$.result');

  const fail = new sfn.Fail(scope, S.testFailed, { errorPath: `${ERROR_PATH}.Error`, causePath: `${ERROR_PATH}.Cause` });
  const publishFailed = putEvent(scope, S.publishTestFailed, EVENT_DETAIL_TYPE.databaseRestoreTested, detail);
  publishFailed.addCatch(fail, { errors: [sfn.Errors.ALL], resultPath: '$.publishError' });
  const recordFailed = lambdaStep(scope, S.recordFailed, props.recordRestoreTest, '$.result', sfn.TaskInput.fromObject({ passed: false, state: sfn.JsonPath.entirePayload }));
  recordFailed.addCatch(fail, { errors: [sfn.Errors.ALL], resultPath: '$.recordError' });
  const deleteFailed = lambdaStep(scope, S.deleteFailedTest, props.deleteDatabases, '$.cleanUp', stepInput('tested'));
  deleteFailed.addRetry(deletion);
  deleteFailed.addCatch(recordFailed, { errors: [sfn.Errors.ALL], resultPath: '$.cleanUpError' });
  deleteFailed.next(recordFailed).next(publishFailed).next(fail);

  const onFailure = { errors: [sfn.Errors.ALL], resultPath: ERROR_PATH };
  const check = props.postRestore
    ? postRestoreTask(scope, S.postRestore, props.postRestore, postRestoreInput(props.databaseIdentifier, 'restore-test'), props.postRestoreTimeout)
    : lambdaStep(scope, S.checkConnection, props.checkConnection, '$.check', postRestoreInput(props.databaseIdentifier, 'restore-test'));
  check.addCatch(deleteFailed, onFailure);
  const deleteTested = lambdaStep(scope, S.deleteTested, props.deleteDatabases, '$.cleanUp', stepInput('tested'));
  deleteTested.addRetry(deletion);
  deleteTested.addCatch(deleteFailed, onFailure);
  const recordPassed = lambdaStep(scope, S.recordPassed, props.recordRestoreTest, '$.result', sfn.TaskInput.fromObject({ passed: true, state: sfn.JsonPath.entirePayload }));
  const tested = new sfn.Succeed(scope, S.tested);
  const publish = putEvent(scope, S.publishTested, EVENT_DETAIL_TYPE.databaseRestoreTested, detail);
  publish.addCatch(tested, { errors: [sfn.Errors.ALL], resultPath: '$.publishError' });
  check.next(deleteTested).next(recordPassed).next(publish).next(tested);
  return { afterReady: check, failed: deleteFailed };
}
