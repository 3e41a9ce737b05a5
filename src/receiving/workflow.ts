import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ERROR, EVENT_DETAIL_TYPE, EVENT_SOURCE, TARGET_ERROR, TRANSIENT_AWS_ERRORS } from '../shared/constants';
import type { SnapshotReceivedDetail } from '../shared/events';
import { backoffRetryWithin } from '../shared/retry-backoff';

/** The Lambda functions the copy workflow calls. */
export interface CopyWorkflowHandlers {
  readonly copySnapshot: lambda.IFunction;
  readonly checkCopy: lambda.IFunction;
  readonly retainCopies: lambda.IFunction;
  /** With `replicaRegions`: starts one replica execution per Region once the copy is kept. */
  readonly startReplicas?: lambda.IFunction;
}

export interface CopyWorkflowProps {
  readonly handlers: CopyWorkflowHandlers;
  readonly waitInterval: Duration;
  readonly copyTimeout: Duration;
  /** The source accounts' default buses, when `confirmCopies` is on. */
  readonly confirmationBuses?: string[];
  /** What names this receiver in its `Cluster Snapshot Received` events. */
  readonly receiver: { readonly copyPrefix: string; readonly ownerId: string };
  readonly logGroup: logs.ILogGroup;
}

/** Every state name, as the execution history and the simulator see them. */
export const RECEIVER_STATE = {
  copySnapshot: 'CopySharedSnapshot',
  waitForCopy: 'WaitForCopy',
  checkCopy: 'CheckCopy',
  retainCopies: 'RetainCopies',
  publishReceived: 'PublishReceived',
  startReplicas: 'StartReplicas',
  confirmationRequired: 'ConfirmationRequired',
  confirmCopy: 'ConfirmCopy',
  confirmationDelivered: 'ConfirmationDelivered',
  confirmationFailed: 'ConfirmationFailed',
  copied: 'Copied',
  failed: 'Failed',
} as const;

const LAMBDA_SERVICE_ERRORS = ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException'];

/**
 * One execution per shared snapshot:
 * CopySharedSnapshot → Wait → CheckCopy ⟲ → RetainCopies → PublishReceived (this account's bus) →
 * [ConfirmCopy (PutEvents to the source's bus)] → Copied.
 * A copy refused by the limit of copies in progress is retried with backoff; a status check that is
 * not ready is retried every `waitInterval` up to the deadline. Any failure ends in Failed with the
 * handler's named error: nothing needs cleaning up (a failed copy is deleted by CheckCopy).
 */
export class CopyWorkflow extends Construct {
  public readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: CopyWorkflowProps) {
    super(scope, id);
    const { handlers, waitInterval, copyTimeout } = props;
    const failed = new sfn.Fail(this, RECEIVER_STATE.failed, { errorPath: '$.error.Error', causePath: '$.error.Cause' });

    const copy = lambdaTask(this, RECEIVER_STATE.copySnapshot, handlers.copySnapshot);
    copy.addRetry(copyLimitRetry(waitInterval, copyTimeout));
    const check = statusCheckTask(this, RECEIVER_STATE.checkCopy, handlers.checkCopy, waitInterval, copyTimeout);
    const retain = lambdaTask(this, RECEIVER_STATE.retainCopies, handlers.retainCopies);
    const start = handlers.startReplicas && lambdaTask(this, RECEIVER_STATE.startReplicas, handlers.startReplicas, 6, '$.replicas');
    for (const task of [copy, check, retain, ...(start ? [start] : [])]) task.addCatch(failed, { errors: [sfn.Errors.ALL], resultPath: '$.error' });

    const done = new sfn.Succeed(this, RECEIVER_STATE.copied);
    const afterRetain = props.confirmationBuses ? this.confirmation(props.confirmationBuses, done, failed) : done;
    // The replicas start after the Received event, whether or not it could be put.
    const afterPublish = start ? start.next(afterRetain) : afterRetain;
    const publishReceived = this.publishReceived(props.receiver);
    publishReceived.addCatch(start ?? afterRetain, { errors: [sfn.Errors.ALL], resultPath: '$.publishError' });
    copy
      .next(new sfn.Wait(this, RECEIVER_STATE.waitForCopy, { time: sfn.WaitTime.duration(waitInterval) }))
      .next(check)
      .next(retain)
      .next(publishReceived)
      .next(afterPublish);

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(copy),
      comment: 'Copies one shared DB cluster snapshot with this account\'s key, keeps the newest copies, and optionally confirms to the source.',
      // Waiting for a copy slot and for the copy may each take up to copyTimeout.
      timeout: Duration.seconds(2 * copyTimeout.toSeconds() + 3600),
      tracingEnabled: true,
      logs: { destination: props.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
  }

  /**
   * `Cluster Snapshot Received` on this account's default bus: the copy is available (a
   * RefreshedDatabase with `runOnNewCopy` starts on it). A failed put never fails the copy.
   */
  private publishReceived(receiver: CopyWorkflowProps['receiver']): tasks.EventBridgePutEvents {
    const put = new tasks.EventBridgePutEvents(this, RECEIVER_STATE.publishReceived, {
      entries: [{
        source: EVENT_SOURCE,
        detailType: EVENT_DETAIL_TYPE.received,
        detail: sfn.TaskInput.fromObject({
          clusterIdentifier: sfn.JsonPath.stringAt('$.clusterIdentifier'),
          sourceAccount: sfn.JsonPath.stringAt('$.sourceAccount'),
          sourceSnapshotArn: sfn.JsonPath.stringAt('$.snapshotArn'),
          sourceSnapshotTime: sfn.JsonPath.stringAt('$.sourceSnapshotTime'),
          copyArn: sfn.JsonPath.stringAt('$.copyArn'),
          copyIdentifier: sfn.JsonPath.stringAt('$.copyIdentifier'),
          copyPrefix: receiver.copyPrefix,
          ownerId: receiver.ownerId,
        } satisfies Record<keyof SnapshotReceivedDetail, string>),
      }],
      resultPath: sfn.JsonPath.DISCARD,
    });
    put.addRetry({ errors: [sfn.Errors.ALL], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 3, jitterStrategy: sfn.JitterType.FULL });
    return put;
  }

  /**
   * PutEvents to the source account's default bus, named by ARN in the state (RetainCopies builds
   * it). IAM allows only the source accounts' default buses, whatever the state says.
   */
  private confirmation(buses: string[], done: sfn.Succeed, failed: sfn.Fail): sfn.Choice {
    const put = new tasks.CallAwsService(this, RECEIVER_STATE.confirmCopy, {
      service: 'eventbridge',
      action: 'putEvents',
      iamAction: 'events:PutEvents',
      iamResources: buses,
      parameters: {
        Entries: [{
          EventBusName: sfn.JsonPath.stringAt('$.confirmation.eventBusName'),
          Source: EVENT_SOURCE,
          DetailType: EVENT_DETAIL_TYPE.copied,
          Detail: sfn.JsonPath.stringAt('$.confirmation.detail'),
        }],
      },
      resultSelector: { 'failedEntryCount.$': '$.FailedEntryCount' },
      resultPath: '$.confirmationResult',
    });
    put.addRetry({ errors: [sfn.Errors.ALL], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 3, jitterStrategy: sfn.JitterType.FULL });
    put.addCatch(failed, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
    const notDelivered = new sfn.Fail(this, RECEIVER_STATE.confirmationFailed, {
      error: TARGET_ERROR.ConfirmationFailed,
      cause: 'PutEvents did not accept the Cluster Snapshot Copied event (FailedEntryCount > 0): check the source bus policy',
    });
    put.next(new sfn.Choice(this, RECEIVER_STATE.confirmationDelivered)
      .when(sfn.Condition.numberGreaterThan('$.confirmationResult.failedEntryCount', 0), notDelivered)
      .otherwise(done));
    return new sfn.Choice(this, RECEIVER_STATE.confirmationRequired)
      .when(sfn.Condition.isPresent('$.confirmation'), put)
      .otherwise(done);
  }
}

/**
 * A LambdaInvoke of a handler with this side's retries of Lambda's and AWS's transient errors.
 * `resultPath`: where the result goes (default: it replaces the state).
 */
export function lambdaTask(scope: Construct, id: string, fn: lambda.IFunction, transientAttempts = 6, resultPath?: string): tasks.LambdaInvoke {
  const task = new tasks.LambdaInvoke(scope, id, {
    lambdaFunction: fn,
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    taskTimeout: sfn.Timeout.duration(Duration.minutes(5)),
    ...(resultPath ? { resultPath } : {}),
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

/**
 * A status check retried every `waitInterval` until `timeout` (the handler throws SnapshotTimeout
 * past the deadline; the spare attempt makes sure that check happens), with more transient retries
 * for a long wait.
 */
export function statusCheckTask(scope: Construct, id: string, fn: lambda.IFunction, waitInterval: Duration, timeout: Duration): tasks.LambdaInvoke {
  const checks = Math.ceil(timeout.toSeconds() / waitInterval.toSeconds());
  const check = lambdaTask(scope, id, fn, Math.max(6, Math.ceil(checks / 10)));
  check.addRetry({ errors: [ERROR.SnapshotNotReady], interval: waitInterval, backoffRate: 1, maxAttempts: checks + 1 });
  return check;
}

/** The limit of copies in progress: back off, capped at 10 × `waitInterval`, for about `copyTimeout`. */
export function copyLimitRetry(waitInterval: Duration, copyTimeout: Duration): sfn.RetryProps {
  return { ...backoffRetryWithin(ERROR.CopyLimitReached, waitInterval, copyTimeout), jitterStrategy: sfn.JitterType.FULL };
}
