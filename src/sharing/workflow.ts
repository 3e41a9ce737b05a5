import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { EVENT_STATE, failedEventStep, RUN_RESULT_PATH, sharedEventSteps } from './events';
import { SnapshotHandlers } from './snapshot-handlers';
import { ERROR, LAMBDA_SERVICE_ERRORS, MAX_START_DELAY_SECONDS, TRANSIENT_AWS_ERRORS } from '../shared/constants';
import { backoffRetryWithin } from '../shared/retry-backoff';

export interface SnapshotWorkflowProps {
  readonly handlers: SnapshotHandlers;
  readonly waitInterval: Duration;
  readonly snapshotTimeout: Duration;
  readonly logGroup: logs.ILogGroup;
  /** `notifyTargetAccounts`: the target accounts whose default buses also get `Cluster Snapshot Shared`. @default - none */
  readonly notifyTargetAccountIds?: string[];
  /** DB instances are selected: an instance that is not `available` (InstanceNotAvailable) is waited for as a cluster is. @default false */
  readonly withInstances?: boolean;
  /** `snapshotSource` automated: a plan with an automated source goes from Prepare straight to CopySnapshot. @default false */
  readonly automatedSource?: boolean;
}

/** Every state name, as the execution history and the simulator see them. */
export const STATE = {
  startDelayed: 'StartDelayed',
  waitToStart: 'WaitToStart',
  prepare: 'Prepare',
  snapshotSource: 'SnapshotSource',
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
  /** Prepare found an earlier run of the cluster in progress: the run is skipped (its output says so). */
  runSkipped: 'RunSkipped',
  skipped: 'Skipped',
} as const;

/**
 * Phases that may each wait up to `snapshotTimeout`: the cluster (Prepare, then CreateSnapshot),
 * the snapshot, a free copy slot, and the copy.
 */
const WAITING_PHASES = 5;

/** How one Lambda step is invoked and retried. */
interface TaskOptions {
  /** What the handler receives. @default - the state as it is */
  readonly payload?: sfn.TaskInput;
  /** The retry of Lambda's and AWS's transient faults. @default TRANSIENT_RETRY_POLICY */
  readonly transientRetry?: sfn.RetryProps;
  /** The step's own "not yet" retries, after the transient one. @default - none */
  readonly retries?: sfn.RetryProps[];
  /** Where the handler's result goes. @default - it replaces the state */
  readonly resultPath?: string;
}

/**
 * One execution per cluster:
 * Prepare → CreateSnapshot → Wait → CheckSnapshot ⟲ → [CopySnapshot ⟲ → Wait → CheckCopy ⟲] → ShareSnapshot → CleanUp
 * → PublishSnapshotShared → [NotifyTarget<account> ... → SharedEventsPut] (events.ts).
 * A status check that is not ready throws SnapshotNotReady, retried every `waitInterval`: one billed
 * transition per check, with no Wait/Choice lap. A copy refused for want of a copy slot throws
 * CopyLimitReached, retried the same way. Any failure goes to CleanUpFailedRun, then
 * PublishSnapshotFailed, then Failed with the original error. A run that Prepare finds overlapping
 * an earlier one (RunInProgress) ends in RunSkipped → Skipped instead: it created nothing, and a
 * skip is no failure (no clean-up, no Failed event, no failed execution for the alarm).
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
    const cleanUpFailedRun = this.task(STATE.cleanUpFailedRun, handlers.cleanUpFailedRun, {
      transientRetry: CLEAN_UP_TRANSIENT_RETRY_POLICY,
    });
    cleanUpFailedRun.addCatch(failed, { errors: [sfn.Errors.ALL], resultPath: '$.cleanUpError' });
    // The Failed event goes out before the Fail state; if it cannot, the run still fails with its own error.
    const publishFailed = failedEventStep(this);
    publishFailed.addCatch(failed, { errors: [sfn.Errors.ALL], resultPath: '$.publishError' });
    cleanUpFailedRun.next(publishFailed).next(failed);
    const onFailure = (task: tasks.LambdaInvoke) =>
      task.addCatch(cleanUpFailedRun, { errors: [sfn.Errors.ALL], resultPath: '$.error' });

    const waitForCluster = clusterNotAvailableRetry(waitInterval, snapshotTimeout, props.withInstances);
    const prepare = this.task(STATE.prepare, handlers.prepare, {
      payload: sfn.TaskInput.fromObject({ 'input.$': '$', 'executionStartTime.$': '$$.Execution.StartTime' }),
      retries: [waitForCluster],
    });
    const createSnapshot = this.task(STATE.createSnapshot, handlers.createSnapshot, { retries: [waitForCluster] });
    const longWait = longWaitTransientRetry(waitInterval, snapshotTimeout);
    const waitUntilReady = notReadyRetry(waitInterval, snapshotTimeout);
    const checkSnapshot = this.task(STATE.checkSnapshot, handlers.checkSnapshot, { transientRetry: longWait, retries: [waitUntilReady] });
    const copySnapshot = this.task(STATE.copySnapshot, handlers.copySnapshot, {
      transientRetry: longWait,
      retries: [copyLimitRetry(waitInterval, snapshotTimeout)],
    });
    const checkCopy = this.task(STATE.checkCopy, handlers.checkSnapshot, { transientRetry: longWait, retries: [waitUntilReady] });
    const shareSnapshot = this.task(STATE.shareSnapshot, handlers.shareSnapshot);
    // The run result goes beside the plan, for the event steps (events.ts).
    const cleanUp = this.task(STATE.cleanUp, handlers.cleanUp, { resultPath: RUN_RESULT_PATH });
    // Prepare creates nothing, so its failures clean up nothing. A hostile execution input must never
    // reach CleanUpFailedRun as if it were a plan: PrepareFailed nests
    // it under `executionInput`, where CleanUpFailedRun reads only the Failed event's names.
    const prepareFailed = new sfn.Pass(this, EVENT_STATE.prepareFailed, {
      parameters: { 'error.$': '$.error', 'executionInput.$': '$' },
    });
    prepareFailed.next(cleanUpFailedRun);
    prepare.addCatch(skippedRun(this, props.withInstances), { errors: [ERROR.RunInProgress], resultPath: '$.error' });
    prepare.addCatch(prepareFailed, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
    for (const task of [createSnapshot, checkSnapshot, copySnapshot, checkCopy, shareSnapshot, cleanUp]) {
      onFailure(task);
    }

    // The event steps end the run themselves; their failures never reach the clean-up (the snapshot is shared).
    const share = shareSnapshot.next(cleanUp).next(sharedEventSteps(this, props.notifyTargetAccountIds ?? []));
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
    // snapshotSource: Prepare found an automated snapshot to copy, so nothing is created or waited for.
    prepare.next(props.automatedSource
      ? new sfn.Choice(this, STATE.snapshotSource).when(sfn.Condition.isPresent('$.sourceSnapshotIdentifier'), copy).otherwise(createSnapshot)
      : createSnapshot);
    createSnapshot
      .next(new sfn.Wait(this, STATE.waitForSnapshot, { time: sfn.WaitTime.duration(waitInterval) }))
      .next(checkSnapshot)
      .next(new sfn.Choice(this, STATE.copyRequired)
        .when(sfn.Condition.booleanEquals('$.copyRequired', true), copy)
        .otherwise(share));

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(start),
      comment: 'Snapshots one DB cluster, re-encrypts it with the sharing key, shares it, and cleans up.',
      // Each waiting phase may take up to snapshotTimeout; an hour for everything else; a start may
      // be delayed by up to a day in a very large fleet.
      timeout: Duration.seconds(WAITING_PHASES * snapshotTimeout.toSeconds() + 3600 + MAX_START_DELAY_SECONDS),
      tracingEnabled: true,
      logs: { destination: props.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
  }

  /** A Lambda step that passes the state in and takes the handler's result as the new state. */
  private task(id: string, fn: lambda.IFunction, options: TaskOptions = {}): tasks.LambdaInvoke {
    const task = new tasks.LambdaInvoke(this, id, {
      lambdaFunction: fn,
      payload: options.payload,
      payloadResponseOnly: true,
      resultPath: options.resultPath,
      retryOnServiceExceptions: false,
      taskTimeout: sfn.Timeout.duration(Duration.minutes(5)),
    });
    task.addRetry(options.transientRetry ?? TRANSIENT_RETRY_POLICY);
    for (const retry of options.retries ?? []) task.addRetry(retry);
    return task;
  }
}

/**
 * The end of a skipped run: its output names the cluster and, in `cause`, Prepare's message (which
 * snapshot of which run is still in progress). Prepare has counted the skip (`RunSkipped`).
 */
function skippedRun(scope: Construct, withInstances = false): sfn.IChainable {
  const skipped = new sfn.Succeed(scope, STATE.skipped);
  const output = (id: string, path: string) => new sfn.Pass(scope, id, {
    parameters: { 'skipped': true, [`${path}.$`]: `$.${path}`, 'error.$': '$.error.Error', 'cause.$': '$.error.Cause' },
  }).next(skipped);
  if (!withInstances) return output(STATE.runSkipped, 'clusterIdentifier');
  // A DB instance's input names no clusterIdentifier, which a Pass reading it would fail on (States.Runtime).
  return new sfn.Choice(scope, `${STATE.runSkipped}Kind`)
    .when(sfn.Condition.isPresent('$.instanceIdentifier'), output(`${STATE.runSkipped}Instance`, 'instanceIdentifier'))
    .otherwise(output(STATE.runSkipped, 'clusterIdentifier'));
}

/**
 * Lambda's and AWS's transient faults (throttling, 5xx): exponential backoff with full jitter, so
 * a fleet's executions throttled together do not all retry together.
 */
export function transientRetry(maxAttempts: number): sfn.RetryProps {
  return {
    errors: [...LAMBDA_SERVICE_ERRORS, ...TRANSIENT_AWS_ERRORS],
    interval: Duration.seconds(2),
    backoffRate: 2,
    maxAttempts,
    maxDelay: Duration.seconds(60),
    jitterStrategy: sfn.JitterType.FULL,
  };
}

/** Every step without a long wait: the SDK's own retries came first, so a few more suffice. */
export const TRANSIENT_RETRY_POLICY = transientRetry(6);

/** The last chance to remove a failed run's snapshots: more patience with throttling than the rest. */
export const CLEAN_UP_TRANSIENT_RETRY_POLICY = transientRetry(10);

/**
 * A Retry's attempts add up over a whole state visit: a step retried through a long wait (a status
 * check, a copy waiting for a slot) gets a budget for transient faults that grows with its attempts.
 */
export function longWaitTransientRetry(waitInterval: Duration, snapshotTimeout: Duration): sfn.RetryProps {
  return transientRetry(Math.max(6, Math.ceil(checksWithin(waitInterval, snapshotTimeout) / 10)));
}

/** A snapshot not yet available is checked again every `waitInterval` until its deadline. */
export function notReadyRetry(waitInterval: Duration, snapshotTimeout: Duration): sfn.RetryProps {
  // The handler throws SnapshotTimeout once the deadline has passed; one spare attempt makes sure
  // the last check happens after it.
  return {
    errors: [ERROR.SnapshotNotReady],
    interval: waitInterval,
    backoffRate: 1,
    maxAttempts: checksWithin(waitInterval, snapshotTimeout) + 1,
  };
}

/**
 * A copy refused because RDS already has 5 copies in progress in the account and Region (or the
 * fleet has `maxConcurrentCopies`) waits for a slot: it asks again every `waitInterval`, no longer
 * than `snapshotTimeout` in all (attempts × interval never exceed it), then fails the run.
 * Three phases of at most 2,000 attempts of 3 history events each stay below the 25,000-event cap.
 */
export function copyLimitRetry(waitInterval: Duration, snapshotTimeout: Duration): sfn.RetryProps {
  return {
    errors: [ERROR.CopyLimitReached],
    interval: waitInterval,
    backoffRate: 1,
    maxAttempts: Math.max(1, Math.floor(snapshotTimeout.toSeconds() / waitInterval.toSeconds())),
  };
}

/**
 * A cluster that is not `available` (often `backing-up` in its backup window) is retried with
 * exponential backoff, capped at 10 × `waitInterval`, for about `snapshotTimeout` in all.
 */
export function clusterNotAvailableRetry(waitInterval: Duration, snapshotTimeout: Duration, withInstances = false): sfn.RetryProps {
  const retry = backoffRetryWithin(ERROR.ClusterNotAvailable, waitInterval, snapshotTimeout);
  return withInstances ? { ...retry, errors: [ERROR.ClusterNotAvailable, ERROR.InstanceNotAvailable] } : retry;
}

/** How many `waitInterval`s fit in `snapshotTimeout`, the last one partly. */
function checksWithin(waitInterval: Duration, snapshotTimeout: Duration): number {
  return Math.ceil(snapshotTimeout.toSeconds() / waitInterval.toSeconds());
}
