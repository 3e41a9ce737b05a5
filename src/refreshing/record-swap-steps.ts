import { Aws, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { REFRESH_STATE } from './states';
import { publishRefreshed, SwapProps } from './swap-steps';
import { CAUGHT_PATH, lambdaStep, nameError, stepInput } from './workflow-steps';
import { REFRESH_ERROR, SWAP_TIMEOUT_SECONDS } from '../shared/constants';

/** The endpoint record as the workflow writes it: the zone's id and ARN, the fully qualified name, the TTL in seconds. */
export interface ResolvedEndpointRecord {
  readonly zoneId: string;
  readonly zoneArn: string;
  readonly name: string;
  readonly ttl: number;
}

export interface RecordSwapProps extends SwapProps {
  readonly swapRecord: lambda.IFunction;
  readonly record: ResolvedEndpointRecord;
}

/**
 * PointRecord (UPSERT the CNAME to the new endpoint) → WaitForRecord → CheckRecord ⟲ (GetChange until
 * INSYNC) → PromoteNew (role tags) → RecordServes → PublishRefreshed → [KeepPrevious → DeletePrevious].
 * Route 53 answers with the old value until the new one is in sync (UPSERT: API reference,
 * ChangeResourceRecordSets), so the name never resolves to nothing. A failure is SwapFailed:
 * RecordBefore → RestoreRecord (the previous database's endpoint; after a first refresh the record
 * is deleted) → RollBackRoles → this run's database is deleted; a rollback that cannot finish is
 * RollbackFailed and deletes nothing.
 */
export function recordSwapSteps(scope: Construct, props: RecordSwapProps): sfn.IChainable {
  const S = REFRESH_STATE;
  const { record } = props;
  const rollbackFailed = nameError(scope, S.rollbackFailed, REFRESH_ERROR.RollbackFailed).next(props.publishFailed);
  const toRollbackFailed = { errors: [sfn.Errors.ALL], resultPath: CAUGHT_PATH };
  const rollBackRoles = lambdaStep(scope, S.rollBackRoles, props.swapRecord, sfn.JsonPath.DISCARD, stepInput('rollBack'));
  rollBackRoles.addCatch(rollbackFailed, toRollbackFailed);
  rollBackRoles.next(props.cleanUp);
  const restoreRecord = route53Task(scope, S.restoreRecord, 'changeResourceRecordSets', {
    HostedZoneId: record.zoneId,
    ChangeBatch: { 'Comment': 'RefreshedDatabase: the swap failed, back to the database that served', 'Changes.$': '$.rollback.changes' },
  }, sfn.JsonPath.DISCARD);
  // After a first refresh the DELETE finds nothing when PointRecord never got through: not a failure.
  restoreRecord.addCatch(new sfn.Choice(scope, S.recordRestoreRequired)
    .when(sfn.Condition.booleanEquals('$.rollback.required', true), rollbackFailed)
    .otherwise(rollBackRoles), toRollbackFailed);
  restoreRecord.next(rollBackRoles);
  const recordBefore = lambdaStep(scope, S.recordBefore, props.swapRecord, '$.rollback', stepInput('recordBefore'));
  recordBefore.addCatch(rollbackFailed, toRollbackFailed);
  recordBefore.next(restoreRecord);
  const swapFailed = nameError(scope, S.swapFailed, REFRESH_ERROR.SwapFailed).next(recordBefore);
  const toSwapFailed = { errors: [sfn.Errors.ALL], resultPath: CAUGHT_PATH };

  const point = route53Task(scope, S.pointRecord, 'changeResourceRecordSets', {
    HostedZoneId: record.zoneId,
    ChangeBatch: {
      Comment: 'RefreshedDatabase: the new database serves',
      Changes: [{
        Action: 'UPSERT',
        ResourceRecordSet: { Name: record.name, Type: 'CNAME', TTL: record.ttl, ResourceRecords: [{ 'Value.$': '$.restored.endpoint' }] },
      }],
    },
  }, '$.record', { 'changeId.$': '$.ChangeInfo.Id', 'checks': 0 });
  const check = route53Task(scope, S.checkRecord, 'getChange', { 'Id.$': '$.record.changeId' }, '$.recordChange', { 'status.$': '$.ChangeInfo.Status' });
  for (const step of [point, check]) step.addCatch(swapFailed, toSwapFailed);
  const wait = new sfn.Wait(scope, S.waitForRecord, { time: sfn.WaitTime.duration(props.waitInterval) });
  const count = new sfn.Pass(scope, S.countRecordCheck, {
    parameters: { 'changeId.$': '$.record.changeId', 'checks.$': 'States.MathAdd($.record.checks, 1)' },
    resultPath: '$.record',
  });
  const notInSync = new sfn.Pass(scope, S.recordNotInSync, {
    parameters: { Error: 'RecordNotInSync', Cause: `The record's change was not in sync within ${SWAP_TIMEOUT_SECONDS} seconds` },
    resultPath: CAUGHT_PATH,
  }).next(swapFailed);
  const promote = lambdaStep(scope, S.promoteNew, props.swapRecord, '$.swap', stepInput('promote'));
  promote.addCatch(swapFailed, toSwapFailed);
  const serves = new sfn.Pass(scope, S.recordServes, {
    parameters: { 'identifier.$': '$.restored.identifier', 'endpoint': record.name, 'port.$': '$.restored.port' },
    resultPath: '$.serving',
  });
  const maxChecks = Math.ceil(SWAP_TIMEOUT_SECONDS / props.waitInterval.toSeconds());
  point.next(wait).next(check).next(new sfn.Choice(scope, S.recordInSync)
    .when(sfn.Condition.stringEquals('$.recordChange.status', 'INSYNC'), promote.next(serves).next(publishRefreshed(scope, props)))
    .when(sfn.Condition.numberGreaterThanEquals('$.record.checks', maxChecks), notInSync)
    .otherwise(count.next(wait)));
  return point;
}

/**
 * The state machine's rights on the record: change only this CNAME in this zone (UPSERT, DELETE),
 * and read the changes' status (Service Authorization Reference, Route 53: GetChange is on `change/*`).
 */
export function recordStatements(record: ResolvedEndpointRecord): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      actions: ['route53:ChangeResourceRecordSets'],
      resources: [record.zoneArn],
      conditions: {
        'ForAllValues:StringEquals': {
          // Route 53 normalizes the names it compares: lowercase, no trailing dot (Route 53 Developer Guide, "Using IAM policy conditions").
          'route53:ChangeResourceRecordSetsNormalizedRecordNames': [record.name.toLowerCase().replace(/\.$/, '')],
          'route53:ChangeResourceRecordSetsRecordTypes': ['CNAME'],
          'route53:ChangeResourceRecordSetsActions': ['UPSERT', 'DELETE'],
        },
      },
    }),
    new iam.PolicyStatement({ actions: ['route53:GetChange'], resources: [`arn:${Aws.PARTITION}:route53:::change/*`] }),
  ];
}

/** A Step Functions AWS SDK integration task of Route 53, retried on transient faults (throttling, PriorRequestNotComplete). */
function route53Task(
  scope: Construct, id: string, action: string, parameters: object, resultPath: string, resultSelector?: object,
): sfn.CustomState {
  const task = new sfn.CustomState(scope, id, {
    stateJson: {
      Type: 'Task',
      Resource: `arn:${Aws.PARTITION}:states:::aws-sdk:route53:${action}`,
      Parameters: parameters,
      ...(resultSelector ? { ResultSelector: resultSelector } : {}),
      ResultPath: resultPath === sfn.JsonPath.DISCARD ? null : resultPath,
    },
  });
  task.addRetry({
    errors: [sfn.Errors.TASKS_FAILED], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 3, jitterStrategy: sfn.JitterType.FULL,
  });
  return task;
}
