import { SourceIsOwnAccount } from './errors.lambda-shared';
import type { ReceiverSettings } from './settings.lambda-shared';
import { requireEnv } from '../../shared/config.lambda-shared';
import { ENV } from '../../shared/constants';
import { accountOfStateMachine } from '../../shared/own-account.lambda-shared';

/**
 * The construct refuses the stack's own account as a source at synth, but an environment-agnostic
 * stack learns its account only at deploy time: the functions that start copies (the receive-event
 * function and the scan) check again, before they start anything.
 */
export function assertNoOwnAccountSource(settings: ReceiverSettings): void {
  const account = accountOfStateMachine(requireEnv(ENV.STATE_MACHINE_ARN));
  if (settings.sourceAccountIds.includes(account)) {
    throw new SourceIsOwnAccount(
      `sourceAccountIds contains '${account}', which is the account this receiver runs in: its own snapshots are not shared with it. `
      + 'Nothing was copied. Remove it from sourceAccountIds (and give the stack an explicit env to have it checked at synth)',
    );
  }
}
