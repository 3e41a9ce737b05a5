import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { EVENT_DETAIL_TYPE, EVENT_SOURCE, MAX_PUT_EVENTS_ENTRIES } from '../shared/constants';

/*
 * The events the workflow puts: `Cluster Snapshot Shared` after each successful run (on this
 * account's default bus, and with `notifyTargetAccounts` on each target account's), and
 * `Cluster Snapshot Failed` before a failed run ends. Step Functions' optimized EventBridge
 * integration (`arn:aws:states:::events:putEvents`) fails the task with `EventBridge.FailedEntry`
 * when an entry is not accepted (Step Functions Developer Guide, "Add EventBridge events").
 */

/** The state names of the event steps. */
export const EVENT_STATE = {
  /** `Cluster Snapshot Shared` on this account's default bus; detail: the run result (`$`). */
  publishShared: 'PublishSnapshotShared',
  /** The same event on the target accounts' default buses, 10 per state: `NotifyTargetAccounts1`, `NotifyTargetAccounts2`. */
  notifyTargetAccounts: 'NotifyTargetAccounts',
  /** Reshapes a failed Prepare's state so that the clean-up can never read the execution's input as a plan. */
  prepareFailed: 'PrepareFailed',
  /** `Cluster Snapshot Failed` on this account's default bus; detail: CleanUpFailedRun's `failedEvent`. */
  publishFailed: 'PublishSnapshotFailed',
} as const;

/** PutEvents is retried on any error: throttling, a bus briefly unavailable, a failed entry. Events may arrive twice. */
export const PUT_EVENTS_RETRY: sfn.RetryProps = {
  errors: [sfn.Errors.ALL],
  interval: Duration.seconds(5),
  backoffRate: 2,
  maxAttempts: 3,
  jitterStrategy: sfn.JitterType.FULL,
};

/** A target account's default event bus: PutEvents across accounts names the bus by ARN. */
export function defaultBusArn(stack: Stack, account: string): string {
  return stack.formatArn({ account, service: 'events', resource: 'event-bus', resourceName: 'default' });
}

/**
 * The success path's event steps, in order: this account's bus, then (with `notifyTargetAccounts`)
 * the target accounts' buses, at most 10 entries per PutEvents. Each keeps the run result as the
 * state (and so as the execution's output). The state machine role may put events on exactly these buses.
 */
export function sharedEventSteps(scope: Construct, targetAccountIds: string[]): tasks.EventBridgePutEvents[] {
  const stack = Stack.of(scope);
  const entry = (eventBus?: events.IEventBus): tasks.EventBridgePutEventsEntry => ({
    source: EVENT_SOURCE,
    detailType: EVENT_DETAIL_TYPE.shared,
    detail: sfn.TaskInput.fromJsonPathAt('$'),
    eventBus,
  });
  const steps = [putEvents(scope, EVENT_STATE.publishShared, [entry()])];
  for (let i = 0; i < targetAccountIds.length; i += MAX_PUT_EVENTS_ENTRIES) {
    const chunk = targetAccountIds.slice(i, i + MAX_PUT_EVENTS_ENTRIES);
    steps.push(putEvents(scope, `${EVENT_STATE.notifyTargetAccounts}${steps.length}`, chunk.map((account, j) =>
      entry(events.EventBus.fromEventBusArn(scope, `TargetBus${i + j + 1}`, defaultBusArn(stack, account))))));
  }
  return steps;
}

/** `Cluster Snapshot Failed` on this account's default bus, from CleanUpFailedRun's `failedEvent`. */
export function failedEventStep(scope: Construct): tasks.EventBridgePutEvents {
  return putEvents(scope, EVENT_STATE.publishFailed, [{
    source: EVENT_SOURCE,
    detailType: EVENT_DETAIL_TYPE.failed,
    detail: sfn.TaskInput.fromJsonPathAt('$.failedEvent'),
  }]);
}

function putEvents(scope: Construct, id: string, entries: tasks.EventBridgePutEventsEntry[]): tasks.EventBridgePutEvents {
  const step = new tasks.EventBridgePutEvents(scope, id, {
    entries,
    resultPath: sfn.JsonPath.DISCARD,
    taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
  });
  step.addRetry(PUT_EVENTS_RETRY);
  return step;
}
