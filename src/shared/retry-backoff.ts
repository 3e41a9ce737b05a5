import { Duration } from 'aws-cdk-lib';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';

/**
 * A Step Functions Retry for `error` with exponential backoff (doubling from `waitInterval`, each
 * pause capped at 10 × `waitInterval` and at an hour), with as many attempts as fit within `total`.
 * Used by both sides for waits that should back off: a cluster that is not `available`, and the
 * receiver's wait for a copy slot. Construct code only (it builds CDK types).
 */
export function backoffRetryWithin(error: string, waitInterval: Duration, total: Duration): sfn.RetryProps {
  const interval = waitInterval.toSeconds();
  const maxDelay = Math.min(10 * interval, 3600);
  let attempts = 0;
  for (let waited = 0; waited < total.toSeconds(); attempts++) {
    waited += Math.min(interval * 2 ** attempts, maxDelay);
  }
  return {
    errors: [error],
    interval: waitInterval,
    backoffRate: 2,
    maxDelay: Duration.seconds(maxDelay),
    maxAttempts: Math.max(attempts, 1),
  };
}
