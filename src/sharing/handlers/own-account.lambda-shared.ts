import { listEnv } from '../../shared/config.lambda-shared';
import { ACCOUNT_ID_PATTERN, ENV } from '../../shared/constants';
import { InvalidInput, TargetIsOwnAccount } from '../../shared/errors.lambda-shared';

/**
 * The construct refuses the stack's own account as a target at synth, but an environment-agnostic
 * stack (the `cdk init` default) learns its account only at deploy time: the starter checks again,
 * before it starts anything. The account is the state machine's (same stack, so the starter's own),
 * read from its ARN `arn:<partition>:states:<region>:<account>:stateMachine:<name>`: no extra call
 * and no extra permission.
 */
export function assertNoOwnAccountTarget(stateMachineArn: string): void {
  const account = stateMachineArn.split(':')[4];
  if (!account || !ACCOUNT_ID_PATTERN.test(account)) {
    throw new InvalidInput(`Environment variable ${ENV.STATE_MACHINE_ARN} is not a state machine ARN with an account: '${stateMachineArn}'`);
  }
  if (listEnv(ENV.TARGET_ACCOUNT_IDS).includes(account)) {
    throw new TargetIsOwnAccount(
      `targetAccountIds contains '${account}', which is the account this construct runs in: snapshots are already restorable here. `
      + 'Nothing was started. Remove it from targetAccountIds (and give the stack an explicit env to have it checked at synth)',
    );
  }
}
