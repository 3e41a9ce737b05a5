import { listEnv } from '../../shared/config.lambda-shared';
import { ENV } from '../../shared/constants';
import { TargetIsOwnAccount } from '../../shared/errors.lambda-shared';
import { accountOfStateMachine } from '../../shared/own-account.lambda-shared';

/**
 * The construct refuses the stack's own account as a target at synth, but an environment-agnostic
 * stack learns its account only at deploy time: the starter checks again, before it starts anything.
 */
export function assertNoOwnAccountTarget(stateMachineArn: string): void {
  const account = accountOfStateMachine(stateMachineArn);
  if (listEnv(ENV.TARGET_ACCOUNT_IDS).includes(account)) {
    throw new TargetIsOwnAccount(
      `targetAccountIds contains '${account}', which is the account this construct runs in: snapshots are already restorable here. `
      + 'Nothing was started. Remove it from targetAccountIds (and give the stack an explicit env to have it checked at synth)',
    );
  }
}
