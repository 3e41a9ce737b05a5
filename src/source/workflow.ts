import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { MAX_START_DELAY_SECONDS, TRANSIENT_AWS_ERRORS } from '../shared/constants';

/** The Lambda functions the workflow calls, one per step. */
export interface WorkflowHandlers {
  readonly prepare: lambda.IFunction;
  readonly createSnapshot: lambda.IFunction;
  readonly checkSnapshot: lambda.IFunction;
  readonly copySnapshot: lambda.IFunction;
  readonly shareSnapshot: lambda.IFunction;
  readonly cleanUp: lambda.IFunction;
  readonly cleanUpFailedRun: lambda.IFunction;
}

export interface SnapshotWorkflowProps {
  readonly handlers: WorkflowHandlers;
  readonly waitInterval: Duration;
  readonly snapshotTimeout: Duration;
  readonly logGroup: logs.ILogGroup;
}

/** Lambda's own transient faults; the task retries them with the AWS faults below. */
const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

/** Every state name, as the execution history and the simulator see them. */
export const STATE = {
  startDelayed: 'StartDelayed',
  waitToStart: 'WaitToStart',
  prepare: 'Prepare',
  createSnapshot: 'CreateSnapshot',
  waitForSnapshot: 'WaitForSnapshot',
  checkSnapshot: 'CheckSnapshot',
  copyRequired: 'CopyRequired',
  copySnapshot: 'CopySnapshot',
  waitForCopy: 'WaitForCopy',
  checkCopy: 'CheckCopy',
  shareSnapshot: 'ShareSnapshot',
  cleanUp: 'CleanUp',
  cleanUpFailedRun: 'CleanUpFailedRun',
  failed: 'Failed',
} as const;

/**
 * One execution per cluster:
 * Prepare → CreateSnapshot → Wait → CheckSnapshot ⟲ → [CopySnapshot → Wait → CheckCopy ⟲] → ShareSnapshot → CleanUp.
 * A status check that is not ready throws SnapshotNotReady, retried every `waitInterval`: one billed
 * transition per check, with no Wait/Choice lap. Any failure goes to CleanUpFailedRun, then Failed
 * with the original error.
 */
export class SnapshotWorkflow extends Construct {
  public readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: SnapshotWorkflowProps) {
    super(scope, id);
    const { handlers, waitInterval, snapshotTimeout } = props;

    const failed = new sfn.Fail(this, STATE.failed, {
      errorPath: '$.error.Error',
      causePath: '$.error.Cause',
    });
    // The last chance to remove this run's snapshots: more patience with throttling than the rest.
    const cleanUpFailedRun = this.task(STATE.cleanUpFailedRun, handlers.cleanUpFailedRun, undefined, 10);
    cleanUpFailedRun.addCatch(failed, { errors: [sfn.Errors.ALL], resultPath: '$.cleanUpError' });
    cleanUpFailedRun.next(failed);
    const onFailure = (task: tasks.LambdaInvoke) =>
      task.addCatch(cleanUpFailedRun, { errors: [sfn.Errors.ALL], resultPath: '$.error' });

    const prepare = this.task(STATE.prepare, handlers.prepare, sfn.TaskInput.fromObject({
      'input.$': '$',
      'executionStartTime.$': '$$.Execution.StartTime',
    }));
    const createSnapshot = this.task(STATE.createSnapshot, handlers.createSnapshot);
    for (const task of [prepare, createSnapshot]) {
      task.addRetry(clusterNotAvailableRetry(waitInterval, snapshotTimeout));
    }
    // A Retry's attempts add up over a whole state visit: a long wait gets a budget for Lambda's
    // transient errors that grows with its number of checks.
    const checks = Math.ceil(snapshotTimeout.toSeconds() / waitInterval.toSeconds());
    const checkBudget = Math.max(6, Math.ceil(checks / 10));
    const checkSnapshot = this.task(STATE.checkSnapshot, handlers.checkSnapshot, undefined, checkBudget);
    const copySnapshot = this.task(STATE.copySnapshot, handlers.copySnapshot);
    const checkCopy = this.task(STATE.checkCopy, handlers.checkSnapshot, undefined, checkBudget);
    for (const task of [checkSnapshot, checkCopy]) {
      task.addRetry(notReadyRetry(waitInterval, snapshotTimeout));
    }
    const shareSnapshot = this.task(STATE.shareSnapshot, handlers.shareSnapshot);
    const cleanUp = this.task(STATE.cleanUp, handlers.cleanUp);
    // Prepare creates nothing, so its failures skip the clean-up; this also keeps a hostile
    // execution input from ever reaching CleanUpFailedRun as if it were a plan.
    prepare.addCatch(failed, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
    for (const task of [createSnapshot, checkSnapshot, copySnapshot, checkCopy, shareSnapshot, cleanUp]) {
      onFailure(task);
    }

    const share = shareSnapshot.next(cleanUp);
    const copy = copySnapshot
      .next(new sfn.Wait(this, STATE.waitForCopy, { time: sfn.WaitTime.duration(waitInterval) }))
      .next(checkCopy)
      .next(share);
    // The starter spreads a large fleet's starts in minute waves (startDelaySeconds); a manual
    // start without it goes straight to Prepare.
    const start = new sfn.Choice(this, STATE.startDelayed)
      .when(sfn.Condition.and(
        sfn.Condition.isPresent('$.startDelaySeconds'),
        sfn.Condition.numberGreaterThan('$.startDelaySeconds', 0),
      ), new sfn.Wait(this, STATE.waitToStart, { time: sfn.WaitTime.secondsPath('$.startDelaySeconds') }).next(prepare))
      .otherwise(prepare);
    prepare
      .next(createSnapshot)
      .next(new sfn.Wait(this, STATE.waitForSnapshot, { time: sfn.WaitTime.duration(waitInterval) }))
      .next(checkSnapshot)
      .next(new sfn.Choice(this, STATE.copyRequired)
        .when(sfn.Condition.booleanEquals('$.copyRequired', true), copy)
        .otherwise(share));

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(start),
      comment: 'Snapshots one DB cluster, re-encrypts it with the sharing key, shares it, and cleans up.',
      // Waiting for the cluster (Prepare, then CreateSnapshot), the snapshot and the copy may each
      // take up to snapshotTimeout; a start may be delayed by up to a day in a very large fleet.
      timeout: Duration.seconds(4 * snapshotTimeout.toSeconds() + 3600 + MAX_START_DELAY_SECONDS),
      tracingEnabled: true,
      logs: { destination: props.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
  }

  /** A Lambda step that passes the state in and takes the handler's result as the new state. */
  private task(id: string, fn: lambda.IFunction, payload?: sfn.TaskInput, transientAttempts = 6): tasks.LambdaInvoke {
    const task = new tasks.LambdaInvoke(this, id, {
      lambdaFunction: fn,
      payload,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
      taskTimeout: sfn.Timeout.duration(Duration.minutes(5)),
    });
    task.addRetry({
      errors: [...LAMBDA_SERVICE_ERRORS, ...TRANSIENT_AWS_ERRORS],
      interval: Duration.seconds(2),
      backoffRate: 2,
      maxAttempts: transientAttempts,
      maxDelay: Duration.seconds(60),
      jitterStrategy: sfn.JitterType.FULL,
    });
    return task;
  }
}

/** A snapshot not yet available is checked again every `waitInterval` until its deadline. */
export function notReadyRetry(waitInterval: Duration, snapshotTimeout: Duration): sfn.RetryProps {
  // The handler throws SnapshotTimeout once the deadline has passed; one spare attempt makes sure
  // the last check happens after it.
  const checks = Math.ceil(snapshotTimeout.toSeconds() / waitInterval.toSeconds());
  return {
    errors: ['SnapshotNotReady'],
    interval: waitInterval,
    backoffRate: 1,
    maxAttempts: checks + 1,
  };
}

/**
 * A cluster that is not `available` (often `backing-up` in its backup window) is retried with
 * exponential backoff, capped at 10 × `waitInterval`, for about `snapshotTimeout` in all.
 */
export function clusterNotAvailableRetry(waitInterval: Duration, snapshotTimeout: Duration): sfn.RetryProps {
  const interval = waitInterval.toSeconds();
  const maxDelay = Math.min(10 * interval, 3600);
  let attempts = 0;
  for (let waited = 0; waited < snapshotTimeout.toSeconds(); attempts++) {
    waited += Math.min(interval * 2 ** attempts, maxDelay);
  }
  return {
    errors: ['ClusterNotAvailable'],
    interval: waitInterval,
    backoffRate: 2,
    maxDelay: Duration.seconds(maxDelay),
    maxAttempts: Math.max(attempts, 1),
  };
}
