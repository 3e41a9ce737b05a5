import { ACCOUNT_ID_PATTERN, ENV } from './constants';
import { InvalidInput } from './errors.lambda-shared';

/**
 * The account a function runs in, read from its own state machine's ARN
 * (`arn:<partition>:states:<region>:<account>:stateMachine:<name>`; same stack, so the same account):
 * no extra call and no extra permission. Each construct refuses its own account as the other side
 * at synth, but an environment-agnostic stack (the `cdk init` default) learns its account only at
 * deploy time: its handlers check again with this.
 */
export function accountOfStateMachine(stateMachineArn: string): string {
  const account = stateMachineArn.split(':')[4];
  if (!account || !ACCOUNT_ID_PATTERN.test(account)) {
    throw new InvalidInput(`Environment variable ${ENV.STATE_MACHINE_ARN} is not a state machine ARN with an account: '${stateMachineArn}'`);
  }
  return account;
}
