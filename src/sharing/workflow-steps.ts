import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { ERROR, LAMBDA_SERVICE_ERRORS, TRANSIENT_AWS_ERRORS } from '../shared/constants';
import { backoffRetryWithin } from '../shared/retry-backoff';

/* The workflow's Lambda steps and their retries, shared by the home Region's steps (workflow.ts) and the other Regions' (region-steps.ts). */

/** How one Lambda step is invoked and retried. */
export interface TaskOptions {
  /** What the handler receives. @default - the state as it is */
  readonly payload?: sfn.TaskInput;
  /** The retry of Lambda's and AWS's transient faults. @default TRANSIENT_RETRY_POLICY */
  readonly transientRetry?: sfn.RetryProps;
  /** The step's own "not yet" retries, after the transient one. @default - none */
  readonly retries?: sfn.RetryProps[];
  /** Where the handler's result goes. @default - it replaces the state */
  readonly resultPath?: string;
  /** The part of the state the handler receives (with no `payload`). @default - the whole state */
  readonly inputPath?: string;
}

/** A Lambda step that passes the state in and takes the handler's result as the new state. */
export function lambdaTask(scope: Construct, id: string, fn: lambda.IFunction, options: TaskOptions = {}): tasks.LambdaInvoke {
  const task = new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    payload: options.payload,
    payloadResponseOnly: true,
    inputPath: options.inputPath,
    resultPath: options.resultPath,
    retryOnServiceExceptions: false,
    taskTimeout: sfn.Timeout.duration(Duration.minutes(5)),
  });
  task.addRetry(options.transientRetry ?? TRANSIENT_RETRY_POLICY);
  for (const retry of options.retries ?? []) task.addRetry(retry);
  return task;
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
