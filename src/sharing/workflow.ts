import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { EVENT_STATE, failedEventStep, RUN_RESULT_PATH, sharedEventSteps } from './events';
import { regionSteps } from './region-steps';
import { SnapshotHandlers } from './snapshot-handlers';
import {
  CLEAN_UP_TRANSIENT_RETRY_POLICY, clusterNotAvailableRetry, copyLimitRetry, lambdaTask, longWaitTransientRetry, notReadyRetry, TaskOptions,
} from './workflow-steps';

export {
  CLEAN_UP_TRANSIENT_RETRY_POLICY, clusterNotAvailableRetry, copyLimitRetry, longWaitTransientRetry, notReadyRetry,
  TRANSIENT_RETRY_POLICY, transientRetry,
} from './workflow-steps';
import { ERROR, MAX_START_DELAY_SECONDS } from '../shared/constants';

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
  /** `regions`: the other Regions, whose steps follow the home Region's events (region-steps.ts). @default - none */
  readonly regions?: string[];
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
/** With `regions`, two more (in parallel across Regions): a copy slot there, and the copy. */
const REGION_WAITING_PHASES = 2;

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
    const regions = props.regions?.length ? regionSteps(this, { handlers, regions: props.regions, waitInterval, snapshotTimeout }) : undefined;
    const share = shareSnapshot.next(cleanUp).next(sharedEventSteps(this, props.notifyTargetAccountIds ?? [], regions));
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
      timeout: Duration.seconds(
        (WAITING_PHASES + (regions ? REGION_WAITING_PHASES : 0)) * snapshotTimeout.toSeconds() + 3600 + MAX_START_DELAY_SECONDS,
      ),
      tracingEnabled: true,
      logs: { destination: props.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });
  }

  private task(id: string, fn: lambda.IFunction, options: TaskOptions = {}): tasks.LambdaInvoke {
    return lambdaTask(this, id, fn, options);
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
