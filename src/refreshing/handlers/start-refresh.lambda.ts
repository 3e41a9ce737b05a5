import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { sfn } from '../../shared/clients.lambda-shared';
import { requireEnv } from '../../shared/config.lambda-shared';
import { ENV, EVENT_DETAIL_TYPE } from '../../shared/constants';
import { isAwsError } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';
import { scheduledRunId } from '../../shared/validate.lambda-shared';

/**
 * What EventBridge Scheduler sends: the scheduled time of this firing. Empty for a manual run. Or,
 * with `runOnNewCopy`, the receiver's `Cluster Snapshot Received` event as the rule delivers it.
 */
export interface StartEvent {
  readonly 'scheduledTime'?: string;
  readonly 'detail-type'?: string;
  readonly 'time'?: string;
}

export interface StartResult {
  readonly execution: string;
  readonly alreadyStarted: boolean;
}

/**
 * An execution StartExecution reports as started this long before this invocation began is the one
 * an earlier attempt started: Step Functions answers a repeated start of a running execution (same
 * name and input) with the original. The margin absorbs clock skew.
 */
const EARLIER_START_MARGIN_MS = 1000;

/**
 * Starts the refresh of one scheduled time (or of a new copy's event time). The execution's name is
 * derived from that time, so a schedule that fires twice, or an invocation Lambda retries, starts
 * one refresh: Step Functions
 * answers a repeated start with the running execution, or refuses it once that has ended
 * (ExecutionAlreadyExists).
 */
export async function handler(event: StartEvent = {}): Promise<StartResult> {
  const invokedAt = Date.now();
  // A new copy's run is the run of the event's minute: a schedule firing in that minute, or the
  // same event delivered twice, starts no second one.
  const start: { scheduledTime?: string } = event?.['detail-type'] === EVENT_DETAIL_TYPE.received ? { scheduledTime: event.time } : event;
  const runId = scheduledRunId(start, 'The starter event');
  const name = `refresh-${runId}`;
  try {
    const started = await sfn.send(new StartExecutionCommand({
      stateMachineArn: requireEnv(ENV.STATE_MACHINE_ARN),
      name,
      input: JSON.stringify(start.scheduledTime ? { scheduledTime: start.scheduledTime } : {}),
    }));
    if (started.startDate && started.startDate.getTime() < invokedAt - EARLIER_START_MARGIN_MS) return { execution: name, alreadyStarted: true };
  } catch (error) {
    if (!isAwsError(error, 'ExecutionAlreadyExists')) throw error;
    log('info', 'The refresh of this scheduled time was started already', { name });
    return { execution: name, alreadyStarted: true };
  }
  log('info', 'Started a refresh', { name });
  return { execution: name, alreadyStarted: false };
}
