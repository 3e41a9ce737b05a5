import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { sharingHandler, type HandlerFunctionFactory } from './handler-functions';
import type { SnapshotPermissions } from './permissions';

/** How long a scheduled run may still start after its time: Scheduler's delivery and Lambda's async retries. */
const RUN_START_MAX_AGE = Duration.hours(1);
/** Scheduler's attempts to deliver the invocation. */
const SCHEDULE_RETRY_ATTEMPTS = 3;
/** Lambda's attempts after a failed starter run (2 is Lambda's maximum). */
const STARTER_ASYNC_RETRY_ATTEMPTS = 2;

/** The function the schedule invokes: it reads the cluster selection and starts one execution per cluster. */
export function createStarter(
  functions: HandlerFunctionFactory,
  permissions: SnapshotPermissions,
  stateMachine: sfn.StateMachine,
  environment: Record<string, string>,
  /** Tag discovery's listings, and the DB instances' statements. */
  discovery: iam.PolicyStatement[],
): lambda.Function {
  const starter = functions.create('Starter', sharingHandler('startExecutions'), environment, [
    ...permissions.readAccountQuotas(),
    // A retried start credits this run's own snapshots in the quota check (quota.lambda-shared.ts).
    ...permissions.listSnapshotsOfCluster(),
    ...discovery,
  ], Duration.minutes(5));
  stateMachine.grantStartExecution(starter);
  // Once per run it lists the running executions, to skip a cluster whose earlier run is still in progress.
  starter.addToRolePolicy(new iam.PolicyStatement({ actions: ['states:ListExecutions'], resources: [stateMachine.stateMachineArn] }));
  // Scheduler invokes the starter asynchronously, so a failed attempt is retried by Lambda itself
  // (by default twice, for up to 6 hours). Set explicitly: a retry starts only what is missing, and
  // within the hour the schedule allows, so a run starts close to its scheduled time or not at all.
  starter.configureAsyncInvoke({ retryAttempts: STARTER_ASYNC_RETRY_ATTEMPTS, maxEventAge: RUN_START_MAX_AGE });
  return starter;
}

/** The schedule that starts every run, through the starter. */
export function createSchedule(
  scope: Construct, starter: lambda.IFunction, schedule: scheduler.ScheduleExpression, enabled: boolean,
): scheduler.Schedule {
  return new scheduler.Schedule(scope, 'Schedule', {
    description: 'Starts a SharedClusterSnapshots run',
    enabled,
    schedule,
    target: new targets.LambdaInvoke(starter, {
      input: scheduler.ScheduleTargetInput.fromObject({ scheduledTime: scheduler.ContextAttribute.scheduledTime }),
      // Delivery retries, when Scheduler cannot invoke the function at all.
      retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
      maxEventAge: RUN_START_MAX_AGE,
    }),
  });
}
