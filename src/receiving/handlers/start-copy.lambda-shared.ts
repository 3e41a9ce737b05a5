import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { CopyInput } from './copy-state.lambda-shared';
import type { ReplicaInput } from './replicas.lambda-shared';
import { sfn } from '../../shared/clients.lambda-shared';
import { requireEnv } from '../../shared/config.lambda-shared';
import { ENV, TARGET_ENV } from '../../shared/constants';
import { isAwsError } from '../../shared/errors.lambda-shared';

export type StartOutcome = 'started' | 'alreadyStarted';

/**
 * Starts the copy execution under a deterministic name. Step Functions refuses a second execution
 * of the same name (for 90 days), so a duplicate event or a repeated scan firing starts nothing twice.
 */
export async function startCopy(input: CopyInput, name: string): Promise<StartOutcome> {
  return start(requireEnv(ENV.STATE_MACHINE_ARN), {
    sourceAccount: input.sourceAccount,
    snapshotArn: input.snapshotArn,
    ...(input.requiredOptions ? { requiredOptions: input.requiredOptions } : {}),
  }, name);
}

/** Starts a replica execution (one copy into one replica Region) under a deterministic name, likewise. */
export async function startReplica(input: ReplicaInput, name: string): Promise<StartOutcome> {
  return start(requireEnv(TARGET_ENV.REPLICA_STATE_MACHINE_ARN), { ...input }, name);
}

async function start(stateMachineArn: string, input: object, name: string): Promise<StartOutcome> {
  try {
    await sfn.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    return 'started';
  } catch (error) {
    if (isAwsError(error, 'ExecutionAlreadyExists')) return 'alreadyStarted';
    throw error;
  }
}
