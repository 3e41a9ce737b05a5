import { awaitCopySlot, manualQuotaHasRoom } from './copy-slots.lambda-shared';
import { sharingKeyIn } from './regions.lambda-shared';
import { deadlineFromNow, parsePlan } from './run-plan.lambda-shared';
import { createdSnapshotTags } from './snapshot-tags.lambda-shared';
import { assertOwnSnapshot } from './snapshots.lambda-shared';
import type { RunPlan, RunResult } from './workflow-state.lambda-shared';
import { inRegion } from '../../shared/clients.lambda-shared';
import { requireEnv, snapshotNaming } from '../../shared/config.lambda-shared';
import { ENV } from '../../shared/constants';
import { InvalidInput } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';
import { withRdsCallMetrics } from '../../shared/metrics.lambda-shared';
import { translateRdsFault } from '../../shared/rds-faults.lambda-shared';
import { snapshotApi } from '../../shared/snapshot-apis.lambda-shared';
import { requireObject } from '../../shared/validate.lambda-shared';

/** One Region's copy step (`CopyToRegion-<region>`): the home run, once shared and cleaned up, and the Region. */
export interface CopyToRegionInput {
  readonly region: string;
  /** The home plan, with the run result (`run`) CleanUp put beside it. */
  readonly plan: RunPlan & { readonly run: RunResult };
}

/** `arn:<partition>:rds:<region>:<account>:<cluster-snapshot|snapshot>:<id>`. */
const SNAPSHOT_ARN = /^arn:[a-z-]+:rds:([a-z0-9-]+):(\d{12}):(cluster-snapshot|snapshot):([a-z][a-z0-9-]*)$/;

/**
 * Copies the home Region's shared snapshot into another Region (`regions`), under that Region's
 * key: CopyDBClusterSnapshot (CopyDBSnapshot) called in the destination Region with the source ARN
 * (Aurora User Guide, "Copying a DB cluster snapshot across Regions"; the JS SDK presigns the
 * source Region's part itself). The copy keeps the shared snapshot's identifier and is tagged as
 * this run's shared snapshot, so the Region's CheckSnapshot, ShareSnapshot and CleanUp steps treat
 * it as they treat the home one. A copy slot is counted in the destination Region
 * (CopyLimitReached until one is free: the state machine retries it every `waitInterval`, for
 * `snapshotTimeout` in all, and each attempt asks RDS, in that Region, whose request budget is its
 * own). Returns the plan the Region's next steps work on.
 */
async function run(event: CopyToRegionInput): Promise<RunPlan> {
  const input = requireObject(event, 'The CopyToRegion input') as unknown as CopyToRegionInput;
  const keyArn = sharingKeyIn(input.region);
  const home: RunPlan & { readonly run?: RunResult } = parsePlan(input.plan, snapshotNaming());
  const source = sharedSourceArn(home);

  const { clusterIdentifier, runId, databaseKind: kind, sharedSnapshotIdentifier: target } = home;
  const plan: RunPlan = {
    ...(kind ? { databaseKind: kind } : {}),
    clusterIdentifier,
    runId,
    sharedSnapshotIdentifier: target,
    copyRequired: false,
    ...(home.pollStride ? { pollStride: home.pollStride } : {}),
    region: input.region,
  };
  const ownership = { ownerId: requireEnv(ENV.OWNER_ID), clusterIdentifier, role: 'shared', runId } as const;
  // An unencrypted shared snapshot (allowUnencrypted) is copied as it is: RDS refuses a KmsKeyId
  // for an unencrypted cluster snapshot (CopyDBClusterSnapshot API reference, KmsKeyId).
  const kmsKeyId = home.run?.kmsKeyArn ? keyArn : undefined;
  await inRegion(input.region, async () => {
    await awaitCopySlot(plan, target);
    try {
      await snapshotApi(kind).copy({ source, target, kmsKeyId, tags: createdSnapshotTags(ownership) });
      log('info', 'Copying the shared snapshot into another Region', { source, target, region: input.region });
    } catch (error) {
      await translateRdsFault('copy', error, {
        clusterIdentifier,
        kind,
        snapshotIdentifier: target,
        sourceSnapshotIdentifier: source,
        kmsKeyArn: keyArn,
        alreadyExists: () => assertOwnSnapshot(target, ownership, kind),
        manualQuotaHasRoom: () => manualQuotaHasRoom(kind),
      });
    }
  });
  return { ...plan, awaitingSnapshotIdentifier: target, deadline: deadlineFromNow() };
}

/**
 * The home Region's shared snapshot of this run, by ARN, checked against the plan: in this
 * function's Region, of the plan's kind and identifier, and shared. The state cannot point the copy
 * at another snapshot.
 */
function sharedSourceArn(home: RunPlan & { readonly run?: RunResult }): string {
  const arn = home.run?.snapshotArn;
  const match = typeof arn === 'string' ? SNAPSHOT_ARN.exec(arn) : null;
  const type = home.databaseKind === 'instance' ? 'snapshot' : 'cluster-snapshot';
  const ownRegion = process.env.AWS_REGION;
  if (!match || match[3] !== type || match[4] !== home.sharedSnapshotIdentifier || (ownRegion !== undefined && match[1] !== ownRegion)) {
    throw new InvalidInput(`The run result's snapshotArn must be this run's shared ${type} '${home.sharedSnapshotIdentifier}' in this Region, got ${JSON.stringify(arn)?.slice(0, 200)}`);
  }
  if (!home.sharedWith || home.sharedWith.length === 0) {
    throw new InvalidInput('A snapshot is copied into other Regions only once it is shared in this one (sharedWith is missing)');
  }
  return arn as string;
}

/** The Lambda entry point: `run`, with one metric line of its RDS calls per invocation. */
export const handler = withRdsCallMetrics('copyToRegion', run);
