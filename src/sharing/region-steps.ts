import type { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { putEvents, RegionSteps, RUN_RESULT_PATH } from './events';
import type { SnapshotHandlers } from './snapshot-handlers';
import {
  CLEAN_UP_TRANSIENT_RETRY_POLICY, copyLimitRetry, lambdaTask, longWaitTransientRetry, notReadyRetry,
} from './workflow-steps';
import { ERROR, EVENT_DETAIL_TYPE, EVENT_SOURCE } from '../shared/constants';

/** The state names of one Region's branch: `<name>-<region>`, e.g. `CopyToRegion-eu-central-1`. */
export const REGION_STATE = {
  /** The Parallel state with one branch per Region, after the home Region's run succeeded. */
  regions: 'Regions',
  copy: 'CopyToRegion',
  wait: 'WaitForRegionCopy',
  check: 'CheckRegionCopy',
  share: 'ShareInRegion',
  cleanUp: 'CleanUpRegion',
  /** `Cluster Snapshot Shared` with `region`, on this account's default bus. */
  publishShared: 'PublishRegionShared',
  /** The end of a Region whose copy is shared there: `{ region, snapshotArn }`. */
  shared: 'RegionShared',
  cleanUpFailed: 'CleanUpRegionFailedRun',
  /** `Cluster Snapshot Failed` with `region`, on this account's default bus. */
  publishFailed: 'PublishRegionFailed',
  /** The end of a Region whose part failed: `{ region, error }`; the branch itself never fails. */
  failed: 'RegionFailed',
  /** After the branches: the cause of `RegionCopyFailed`, every Region's end. */
  regionsFailed: 'RegionsFailed',
  regionCopyFailed: 'RegionCopyFailed',
} as const;

/** A Region's plan (CopyToRegion's result), beside the home state, so a failure still has the home run result. */
const REGION_PLAN_PATH = '$.regionPlan';
/** The Region's run result (its CleanUp's), the detail of its Shared event. */
const REGION_RUN_PATH = '$.regionRun';
/** Each Region's end, in `regions` order, beside the home run result. */
export const REGIONS_RESULT_PATH = '$.regions';

export interface RegionStepsProps {
  readonly handlers: SnapshotHandlers;
  readonly regions: string[];
  readonly waitInterval: Duration;
  readonly snapshotTimeout: Duration;
}

/**
 * After the home Region's run (shared, cleaned up, its events put): every other Region at once, in
 * a branch of its own. CopyToRegion (waiting for a copy slot in that Region) → Wait → CheckRegionCopy
 * ⟲ → ShareInRegion → CleanUpRegion → PublishRegionShared. Each step works in the branch's Region
 * only (the plan names it, the handlers route their RDS calls there). Any failure goes to the
 * Region's own clean-up (its copy, unless shared there) and `Cluster Snapshot Failed` with the
 * Region, and ends the branch as `{ region, error }`: a Region never fails another, nor the home
 * Region's run, whose snapshot is shared already. The run then fails with `RegionCopyFailed`.
 */
export function regionSteps(scope: Construct, props: RegionStepsProps): RegionSteps {
  const { handlers, waitInterval, snapshotTimeout } = props;
  const copyToRegion = handlers.copyToRegion;
  if (!copyToRegion) throw new Error('The Region steps need the CopyToRegion function');
  const longWait = longWaitTransientRetry(waitInterval, snapshotTimeout);
  const parallel = new sfn.Parallel(scope, REGION_STATE.regions, { resultPath: REGIONS_RESULT_PATH });
  for (const region of props.regions) {
    const name = (state: string) => `${state}-${region}`;
    const inRegion = { inputPath: REGION_PLAN_PATH, resultPath: REGION_PLAN_PATH };
    const copy = lambdaTask(scope, name(REGION_STATE.copy), copyToRegion, {
      payload: sfn.TaskInput.fromObject({ 'region': region, 'plan.$': '$' }),
      resultPath: REGION_PLAN_PATH,
      transientRetry: longWait,
      retries: [copyLimitRetry(waitInterval, snapshotTimeout)],
    });
    const check = lambdaTask(scope, name(REGION_STATE.check), handlers.checkSnapshot, {
      ...inRegion, transientRetry: longWait, retries: [notReadyRetry(waitInterval, snapshotTimeout)],
    });
    const share = lambdaTask(scope, name(REGION_STATE.share), handlers.shareSnapshot, inRegion);
    const cleanUp = lambdaTask(scope, name(REGION_STATE.cleanUp), handlers.cleanUp, { inputPath: REGION_PLAN_PATH, resultPath: REGION_RUN_PATH });
    const publishShared = putEvents(scope, name(REGION_STATE.publishShared), [{
      source: EVENT_SOURCE, detailType: EVENT_DETAIL_TYPE.shared, detail: sfn.TaskInput.fromJsonPathAt(REGION_RUN_PATH),
    }]);
    const shared = new sfn.Pass(scope, name(REGION_STATE.shared), {
      parameters: { 'region': region, 'snapshotArn.$': `${REGION_RUN_PATH}.snapshotArn` },
    });

    const failed = new sfn.Pass(scope, name(REGION_STATE.failed), { parameters: { 'region': region, 'error.$': '$.error' } });
    const cleanUpFailed = lambdaTask(scope, name(REGION_STATE.cleanUpFailed), handlers.cleanUpFailedRun, {
      payload: sfn.TaskInput.fromObject({ 'region': region, 'run.$': RUN_RESULT_PATH, 'error.$': '$.error' }),
      transientRetry: CLEAN_UP_TRANSIENT_RETRY_POLICY,
    });
    cleanUpFailed.addCatch(failed, { errors: [sfn.Errors.ALL], resultPath: '$.cleanUpError' });
    const publishFailed = putEvents(scope, name(REGION_STATE.publishFailed), [{
      source: EVENT_SOURCE, detailType: EVENT_DETAIL_TYPE.failed, detail: sfn.TaskInput.fromJsonPathAt('$.failedEvent'),
    }]);
    publishFailed.addCatch(failed, { errors: [sfn.Errors.ALL], resultPath: '$.publishError' });
    cleanUpFailed.next(publishFailed).next(failed);
    for (const step of [copy, check, share, cleanUp, publishShared]) {
      step.addCatch(cleanUpFailed, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
    }
    parallel.branch(copy
      .next(new sfn.Wait(scope, name(REGION_STATE.wait), { time: sfn.WaitTime.duration(waitInterval) }))
      .next(check).next(share).next(cleanUp).next(publishShared).next(shared));
  }
  // Every branch ends in a Pass: the Parallel fails only on a fault of Step Functions itself.
  const regionsFailed = new sfn.Pass(scope, REGION_STATE.regionsFailed, {
    parameters: { 'cause.$': `States.JsonToString(${REGIONS_RESULT_PATH})` },
  });
  parallel.addCatch(regionsFailed, { errors: [sfn.Errors.ALL], resultPath: REGIONS_RESULT_PATH });
  const fail = regionsFailed.next(new sfn.Fail(scope, REGION_STATE.regionCopyFailed, { error: ERROR.RegionCopyFailed, causePath: '$.cause' }));
  const failedAt = props.regions.map((_, i) => sfn.Condition.isPresent(`${REGIONS_RESULT_PATH}[${i}].error`));
  const anyFailed = failedAt.length === 1 ? failedAt[0] : sfn.Condition.or(...failedAt);
  return { parallel, anyFailed, fail };
}
