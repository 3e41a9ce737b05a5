import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { lambdaTask, statusCheckTask } from './workflow';
import { ERROR, EVENT_DETAIL_TYPE, EVENT_SOURCE } from '../shared/constants';

/** The Lambda functions the replica workflow calls. */
export interface ReplicaWorkflowHandlers {
  readonly copyReplica: lambda.IFunction;
  readonly checkReplica: lambda.IFunction;
  readonly retainReplicas: lambda.IFunction;
}

export interface ReplicaWorkflowProps {
  readonly handlers: ReplicaWorkflowHandlers;
  readonly waitInterval: Duration;
  /** How long a replica may wait for a copy slot, and then for its copy. */
  readonly timeout: Duration;
  readonly logGroup: logs.ILogGroup;
}

/** Every state name of the replica workflow. */
export const REPLICA_STATE = {
  copyReplica: 'CopyReplica',
  waitForReplica: 'WaitForReplica',
  checkReplica: 'CheckReplica',
  retainReplicas: 'RetainReplicas',
  publishReplicated: 'PublishReplicated',
  replicated: 'Replicated',
  failed: 'Failed',
} as const;

/**
 * One execution per copy and replica Region, input `{ "copyIdentifier", "region" }`:
 * CopyReplica → Wait → CheckReplica ⟲ → RetainReplicas → PublishReplicated → Replicated. Every call
 * to the replica Region goes through a handler with a client of that Region (Step Functions' own
 * integrations call only the state machine's Region); only the event goes to this Region's bus.
 * A refused copy slot is asked again every `waitInterval` (the slots of the Region free up one by
 * one: a backoff would leave them idle). Any failure ends in Failed with the handler's named error,
 * e.g. ReplicaKeyNotAccessible: the copy in this Region and the other Regions' replicas go on.
 */
export class ReplicaWorkflow extends Construct {
  public readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: ReplicaWorkflowProps) {
    super(scope, id);
    const { handlers, waitInterval, timeout } = props;
    const failed = new sfn.Fail(this, REPLICA_STATE.failed, { errorPath: '$.error.Error', causePath: '$.error.Cause' });
    const copy = lambdaTask(this, REPLICA_STATE.copyReplica, handlers.copyReplica);
    copy.addRetry({
      errors: [ERROR.CopyLimitReached],
      interval: waitInterval,
      backoffRate: 1,
      maxAttempts: Math.ceil(timeout.toSeconds() / waitInterval.toSeconds()),
    });
    const check = statusCheckTask(this, REPLICA_STATE.checkReplica, handlers.checkReplica, waitInterval, timeout);
    const retain = lambdaTask(this, REPLICA_STATE.retainReplicas, handlers.retainReplicas);
    const publish = new tasks.EventBridgePutEvents(this, REPLICA_STATE.publishReplicated, {
      entries: [{
        eventBus: events.EventBus.fromEventBusName(this, 'DefaultBus', 'default'),
        source: EVENT_SOURCE,
        detailType: EVENT_DETAIL_TYPE.replicated,
        detail: sfn.TaskInput.fromJsonPathAt('$.replicated'),
      }],
      resultPath: sfn.JsonPath.DISCARD,
    });
    publish.addRetry({
      errors: [sfn.Errors.ALL], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 3, jitterStrategy: sfn.JitterType.FULL,
    });
    for (const task of [copy, check, retain, publish]) task.addCatch(failed, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
    copy
      .next(new sfn.Wait(this, REPLICA_STATE.waitForReplica, { time: sfn.WaitTime.duration(waitInterval) }))
      .next(check)
      .next(retain)
      .next(publish)
      .next(new sfn.Succeed(this, REPLICA_STATE.replicated));

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(copy),
      comment: 'Copies one of the receiver\'s copies into one replica Region under that Region\'s key, keeps the newest replicas there, and publishes Cluster Snapshot Replicated.',
      // Waiting for a copy slot and for the copy may each take up to `timeout`.
      timeout: Duration.seconds(2 * timeout.toSeconds() + 3600),
      tracingEnabled: true,
      logs: { destination: props.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
  }
}
