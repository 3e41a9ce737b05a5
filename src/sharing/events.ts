import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ERROR, EVENT_DETAIL_TYPE, EVENT_SOURCE } from '../shared/constants';

/*
 * The events the workflow puts: `Cluster Snapshot Shared` after each successful run (on this
 * account's default bus, and with `notifyTargetAccounts` on each target account's), and
 * `Cluster Snapshot Failed` before a failed run ends. Step Functions' optimized EventBridge
 * integration (`arn:aws:states:::events:putEvents`) fails the task with `EventBridge.FailedEntry`
 * when an entry is not accepted (Step Functions Developer Guide, "Add EventBridge events").
 */

/** The state names of the event steps. */
export const EVENT_STATE = {
  /** `Cluster Snapshot Shared` on this account's default bus; detail: the run result (`$.run`). */
  publishShared: 'PublishSnapshotShared',
  /** The same event on one target account's default bus (`notifyTargetAccounts`): `NotifyTarget<account id>`. */
  notifyTargetPrefix: 'NotifyTarget',
  /** With `notifyTargetAccounts`: whether every Shared event was put; the run succeeds, or fails with `SharedEventNotPut`. */
  sharedEventsPut: 'SharedEventsPut',
  /** The end of a run whose snapshot is shared but whose Shared event was not put everywhere. */
  sharedEventNotPut: 'SharedEventNotPut',
  /** The end of a successful run: its output is the run result. */
  succeeded: 'Succeeded',
  /** Reshapes a failed Prepare's state so that the clean-up can never read the execution's input as a plan. */
  prepareFailed: 'PrepareFailed',
  /** `Cluster Snapshot Failed` on this account's default bus; detail: CleanUpFailedRun's `failedEvent`. */
  publishFailed: 'PublishSnapshotFailed',
} as const;

/**
 * Where CleanUp puts the run result, beside the plan: the Shared events' detail and the run's
 * output. An event step's error goes beside it, so it never becomes part of a later step's detail.
 */
export const RUN_RESULT_PATH = '$.run';
/** Where a Shared event step that failed leaves its error, beside the run result. */
const SHARED_EVENT_ERROR_PATH = '$.sharedEventError';

/** The steps in the other Regions (`regions`, region-steps.ts), and how the run's verdict tells that one failed. */
export interface RegionSteps {
  /** One branch per Region, after the home Region's events. */
  readonly parallel: sfn.Parallel;
  /** True when any Region's branch ended in its failure. */
  readonly anyFailed: sfn.Condition;
  /** Fails the run with `RegionCopyFailed`. */
  readonly fail: sfn.IChainable;
}

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
 * The success path's end, after CleanUp: `Cluster Snapshot Shared` on this account's bus, then (with
 * `notifyTargetAccounts`) on each target account's bus, one PutEvents per target, so that a bus that
 * refuses (no receiver, so no bus policy) is retried alone and the other targets still get the
 * event. The snapshot is shared by then, so a step that fails cleans nothing up: once every step was
 * tried, the run fails with `SharedEventNotPut` (the failure alarm tells) and the cause of the last
 * step that failed. The run's output is the run result. Without targets to notify this adds one
 * state transition to a run. The state machine role may put events on exactly these buses.
 * With `regions`, their steps run after the events (whether put or not), and a failed Region fails
 * the run with `RegionCopyFailed` (a Shared event not put still fails it with `SharedEventNotPut`).
 */
export function sharedEventSteps(scope: Construct, targetAccountIds: string[], regions?: RegionSteps): sfn.IChainable {
  const stack = Stack.of(scope);
  const entry = (eventBus?: events.IEventBus): tasks.EventBridgePutEventsEntry => ({
    source: EVENT_SOURCE,
    detailType: EVENT_DETAIL_TYPE.shared,
    detail: sfn.TaskInput.fromJsonPathAt(RUN_RESULT_PATH),
    eventBus,
  });
  const notPut = new sfn.Fail(scope, EVENT_STATE.sharedEventNotPut, {
    error: ERROR.SharedEventNotPut,
    causePath: `${SHARED_EVENT_ERROR_PATH}.Cause`,
  });
  if (targetAccountIds.length === 0 && !regions) {
    const publish = putEvents(scope, EVENT_STATE.publishShared, [entry()], RUN_RESULT_PATH);
    publish.addCatch(notPut, { errors: [sfn.Errors.ALL], resultPath: SHARED_EVENT_ERROR_PATH });
    return publish;
  }
  const steps = [putEvents(scope, EVENT_STATE.publishShared, [entry()])];
  for (const account of targetAccountIds) {
    const bus = events.EventBus.fromEventBusArn(scope, `TargetBus${account}`, defaultBusArn(stack, account));
    steps.push(putEvents(scope, `${EVENT_STATE.notifyTargetPrefix}${account}`, [entry(bus)]));
  }
  const verdict = new sfn.Choice(scope, EVENT_STATE.sharedEventsPut)
    .when(sfn.Condition.isPresent(SHARED_EVENT_ERROR_PATH), notPut);
  if (regions) verdict.when(regions.anyFailed, regions.fail);
  verdict.otherwise(new sfn.Succeed(scope, EVENT_STATE.succeeded, { outputPath: RUN_RESULT_PATH }));
  const afterEvents = regions ? regions.parallel.next(verdict) : verdict;
  steps.forEach((step, i) => {
    const next = steps[i + 1] ?? afterEvents;
    step.addCatch(next, { errors: [sfn.Errors.ALL], resultPath: SHARED_EVENT_ERROR_PATH });
    step.next(next);
  });
  return steps[0];
}

/** `Cluster Snapshot Failed` on this account's default bus, from CleanUpFailedRun's `failedEvent`. */
export function failedEventStep(scope: Construct): tasks.EventBridgePutEvents {
  return putEvents(scope, EVENT_STATE.publishFailed, [{
    source: EVENT_SOURCE,
    detailType: EVENT_DETAIL_TYPE.failed,
    detail: sfn.TaskInput.fromJsonPathAt('$.failedEvent'),
  }]);
}

/** One PutEvents step, retried, its result discarded. */
export function putEvents(scope: Construct, id: string, entries: tasks.EventBridgePutEventsEntry[], outputPath?: string): tasks.EventBridgePutEvents {
  const step = new tasks.EventBridgePutEvents(scope, id, {
    entries,
    resultPath: sfn.JsonPath.DISCARD,
    outputPath,
    taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
  });
  step.addRetry(PUT_EVENTS_RETRY);
  return step;
}
