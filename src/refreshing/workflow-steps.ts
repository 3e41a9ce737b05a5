import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { PostRestoreStep } from './post-restore-step';
import { EVENT_SOURCE, LAMBDA_SERVICE_ERRORS, MAX_CHECKS_PER_PHASE, TRANSIENT_AWS_ERRORS } from '../shared/constants';

/*
 * The building blocks of the refresh's state machine: Lambda steps with the transient retries,
 * waits bounded by a number of checks, the error reshaping a Catch needs, the user's post-restore
 * step, and the events.
 */

/** Where a Catch puts the error it caught, before a Pass names it (`$.error` is the run's error). */
export const CAUGHT_PATH = '$.caught';
export const ERROR_PATH = '$.error';

/** The input of one step of a handler with several: `{ step, state }`, the state being the whole state. */
export function stepInput(step: string): sfn.TaskInput {
  return sfn.TaskInput.fromObject({ step, state: sfn.JsonPath.entirePayload });
}

/** A Lambda step whose input is the whole state (or `payload`), with Lambda's and AWS's transient faults retried. */
export function lambdaStep(scope: Construct, id: string, fn: lambda.IFunction, resultPath: string, payload?: sfn.TaskInput): tasks.LambdaInvoke {
  const task = new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    payload,
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    resultPath,
    taskTimeout: sfn.Timeout.duration(Duration.minutes(5)),
  });
  task.addRetry({
    errors: [...LAMBDA_SERVICE_ERRORS, ...TRANSIENT_AWS_ERRORS],
    interval: Duration.seconds(2),
    backoffRate: 2,
    maxAttempts: 6,
    maxDelay: Duration.seconds(60),
    jitterStrategy: sfn.JitterType.FULL,
  });
  return task;
}

/** Retries `error` every `waitInterval` for about `within`; one spare attempt lets a handler's own deadline check fire. */
export function waitRetry(error: string, waitInterval: Duration, within: Duration): sfn.RetryProps {
  const checks = Math.min(MAX_CHECKS_PER_PHASE, Math.ceil(within.toSeconds() / waitInterval.toSeconds()));
  return { errors: [error], interval: waitInterval, backoffRate: 1, maxAttempts: checks + 1 };
}

/** Names a caught error: `{ Error: name, Cause: <the caught error as JSON> }` at `$.error`. */
export function nameError(scope: Construct, id: string, name: string): sfn.Pass {
  return new sfn.Pass(scope, id, {
    parameters: { Error: name, Cause: sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt(CAUGHT_PATH)) },
    resultPath: ERROR_PATH,
  });
}

/** What the post-restore step (and a restore test's check) receives: the restored database, by its temporary identifier. */
export function postRestoreInput(databaseIdentifier: string, mode: string): sfn.TaskInput {
  return sfn.TaskInput.fromObject({
    mode,
    stableIdentifier: databaseIdentifier,
    databaseIdentifier: sfn.JsonPath.stringAt('$.restored.identifier'),
    endpoint: sfn.JsonPath.stringAt('$.restored.endpoint'),
    port: sfn.JsonPath.numberAt('$.restored.port'),
    masterUserSecretArn: sfn.JsonPath.stringAt('$.restored.masterUserSecretArn'),
    engine: sfn.JsonPath.stringAt('$.plan.copy.engine'),
    sourceSnapshotArn: sfn.JsonPath.stringAt('$.plan.copy.arn'),
    sourceSnapshotTime: sfn.JsonPath.stringAt('$.plan.copy.sourceSnapshotTime'),
  });
}

/** The user's step: invoke the function, or run the state machine to its end (`.sync:2`), within `timeout`. */
export function postRestoreTask(scope: Construct, id: string, step: PostRestoreStep, input: sfn.TaskInput, timeout: Duration): sfn.TaskStateBase {
  if (step.lambdaFunction) {
    return new tasks.LambdaInvoke(scope, id, {
      lambdaFunction: step.lambdaFunction,
      payload: input,
      payloadResponseOnly: true,
      resultPath: sfn.JsonPath.DISCARD,
      taskTimeout: sfn.Timeout.duration(timeout),
      retryOnServiceExceptions: true,
    });
  }
  return new tasks.StepFunctionsStartExecution(scope, id, {
    stateMachine: step.stateMachine!,
    integrationPattern: sfn.IntegrationPattern.RUN_JOB,
    input,
    resultPath: sfn.JsonPath.DISCARD,
    taskTimeout: sfn.Timeout.duration(timeout),
  });
}

/** PutEvents on this account's default bus, retried; a failed put never fails the run it reports. */
export function putEvent(
  scope: Construct, id: string, detailType: string, detail: Record<string, unknown> | sfn.TaskInput,
): tasks.EventBridgePutEvents {
  const put = new tasks.EventBridgePutEvents(scope, id, {
    entries: [{ source: EVENT_SOURCE, detailType, detail: detail instanceof sfn.TaskInput ? detail : sfn.TaskInput.fromObject(detail) }],
    resultPath: sfn.JsonPath.DISCARD,
  });
  put.addRetry({ errors: [sfn.Errors.ALL], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 3, jitterStrategy: sfn.JitterType.FULL });
  return put;
}
