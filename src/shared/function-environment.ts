import { Token } from 'aws-cdk-lib';

/** Lambda's limit for all environment variables of a function, measured as their JSON. */
const MAX_ENVIRONMENT_BYTES = 4096;
/** What an unresolved token (an ARN, an imported id) is assumed to take once deployed. */
const TOKEN_BYTES_ESTIMATE = 128;

/** What the error of an environment over Lambda's limit says: which props fill it, and what to do. */
export interface EnvironmentLimitAdvice {
  /** The props that fill the environment, as a phrase: `clusterIdentifiers and snapshotTags`. */
  readonly props: string;
  /** What to do instead, as a sentence. */
  readonly remedy: string;
}

/** Fails at synth, naming the props that fill it, when an environment would not deploy. */
export function assertEnvironmentFits(handlerId: string, environment: Record<string, string>, advice: EnvironmentLimitAdvice): void {
  const measured = Object.fromEntries(Object.entries(environment).map(([k, v]) =>
    [k, Token.isUnresolved(v) ? 'x'.repeat(TOKEN_BYTES_ESTIMATE) : v]));
  const bytes = Buffer.byteLength(JSON.stringify(measured), 'utf8');
  if (bytes > MAX_ENVIRONMENT_BYTES) {
    throw new Error(
      `${advice.props} make the ${handlerId} handler's environment about ${bytes} bytes, over Lambda's ${MAX_ENVIRONMENT_BYTES}-byte limit. ${advice.remedy}`,
    );
  }
}
