import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { CopyInput } from './copy-state.lambda-shared';
import { sfn } from '../../shared/clients.lambda-shared';
import { requireEnv } from '../../shared/config.lambda-shared';
import { ENV } from '../../shared/constants';
import { isAwsError } from '../../shared/errors.lambda-shared';

export type StartOutcome = 'started' | 'alreadyStarted';

/**
 * Starts the copy execution under a deterministic name. Step Functions refuses a second execution
 * of the same name (for 90 days), so a duplicate event or a repeated scan firing starts nothing twice.
 */
export async function startCopy(input: CopyInput, name: string): Promise<StartOutcome> {
  try {
    await sfn.send(new StartExecutionCommand({
      stateMachineArn: requireEnv(ENV.STATE_MACHINE_ARN),
      name,
      input: JSON.stringify({
        sourceAccount: input.sourceAccount,
        snapshotArn: input.snapshotArn,
        ...(input.requiredOptions ? { requiredOptions: input.requiredOptions } : {}),
      }),
    }));
    return 'started';
  } catch (error) {
    if (isAwsError(error, 'ExecutionAlreadyExists')) return 'alreadyStarted';
    throw error;
  }
}
