import type { IConstruct } from 'constructs';

/**
 * Thrown at synth time when a construct's props break its rules: every independent problem at once,
 * with the construct's path, in the style of aws-cdk-lib's own `ValidationError` (whose class is
 * `@internal` there, so it cannot be reused; jsii cannot export a subclass of `Error` either, so
 * this class is recognised by its `name`, `constructPath` and `problems`). Named like aws-cdk-lib's,
 * because Node prints an uncaught error under its class name.
 *
 * The message stands alone, since a crash prints it first:
 * ```
 * ValidationError: SharedClusterSnapshots at path [MyStack/Snapshots] has invalid props:
 * - targetAccountIds contains '12345', which is not a 12-digit AWS account id
 * - retainSnapshots must be a whole number of at least 1, got 0
 *     at new MyStack (/app/lib/my-stack.ts:12:5)
 * ```
 * The stack trace starts at the caller's `new`, not inside this library (as aws-cdk-lib does).
 */
export class ValidationError extends Error {
  // Private fields behind getters, so that printing the error shows the message once, not the list again.
  readonly #constructPath: string;
  readonly #problems: readonly string[];

  constructor(scope: IConstruct, constructName: string, problems: readonly string[]) {
    super(`${constructName} at path [${scope.node.path}] has invalid props:\n${problems.map((p) => `- ${p}`).join('\n')}`);
    Object.setPrototypeOf(this, new.target.prototype);
    // A string literal, as aws-cdk-lib names its own: class names do not survive minifying.
    this.name = 'ValidationError';
    this.#constructPath = scope.node.path;
    this.#problems = [...problems];
    // Drops the frames inside the construct's constructor, so the first frame is the user's `new`.
    Error.captureStackTrace(this, scope.constructor);
  }

  /** The path of the construct whose props are invalid, e.g. `MyStack/Snapshots`. */
  public get constructPath(): string {
    return this.#constructPath;
  }

  /** Each problem on its own: the prop, the value and the rule. */
  public get problems(): readonly string[] {
    return this.#problems;
  }
}

/** Throws one `ValidationError` listing every problem, when there is any. */
export function throwIfInvalid(scope: IConstruct, constructName: string, problems: readonly string[]): void {
  if (problems.length > 0) throw new ValidationError(scope, constructName, problems);
}

/**
 * Runs a check that can only run while building (a size measured on what the props produce) and
 * reports its plain `Error` as a `ValidationError` of `scope`, so that it carries the path too.
 */
export function withConstructPath<T>(scope: IConstruct, constructName: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof Error && Object.getPrototypeOf(error) === Error.prototype) {
      throw new ValidationError(scope, constructName, [error.message]);
    }
    throw error;
  }
}
