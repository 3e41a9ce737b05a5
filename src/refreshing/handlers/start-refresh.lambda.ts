import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { sfn } from '../../shared/clients.lambda-shared';
import { requireEnv } from '../../shared/config.lambda-shared';
import { ENV } from '../../shared/constants';
import { isAwsError } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';
import { scheduledRunId } from '../../shared/validate.lambda-shared';

/** What EventBridge Scheduler sends: the scheduled time of this firing. Empty for a manual run. */
export interface StartEvent {
  readonly scheduledTime?: string;
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
 * Starts the refresh of one scheduled time. The execution's name is derived from that time, so a
 * schedule that fires twice, or an invocation Lambda retries, starts one refresh: Step Functions
 * answers a repeated start with the running execution, or refuses it once that has ended
 * (ExecutionAlreadyExists).
 */
export async function handler(event: StartEvent = {}): Promise<StartResult> {
  const invokedAt = Date.now();
  const runId = scheduledRunId(event, 'The starter event');
  const name = `refresh-${runId}`;
  try {
    const started = await sfn.send(new StartExecutionCommand({
      stateMachineArn: requireEnv(ENV.STATE_MACHINE_ARN),
      name,
      input: JSON.stringify(event.scheduledTime ? { scheduledTime: event.scheduledTime } : {}),
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
