import { TRANSIENT_AWS_ERRORS } from '../../shared/constants';
import { isAwsError } from '../../shared/errors.lambda-shared';

/** Backoff ceilings start here and double per attempt, up to `MAX_BACKOFF_MS`. */
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 16_000;

/**
 * Calls `call`, retrying transient AWS errors (throttling and 5xx, `TRANSIENT_AWS_ERRORS`) with
 * full-jitter backoff: before attempt n+1 it waits a random share of min(16 s, 2^(n-1) s). For code
 * with no state machine around it to retry (the starter); the SDK's own retries come first. With
 * the default 6 attempts it waits 31 s at most; the last error is thrown as it is.
 */
export async function retryTransient<T>(call: () => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts || !isAwsError(error, ...TRANSIENT_AWS_ERRORS)) throw error;
      const ceiling = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (attempt - 1));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  }
}

/** Runs `fn` over `items` with at most `limit` calls in flight. */
export async function forEachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await fn(item);
    }
  });
  await Promise.all(workers);
}
