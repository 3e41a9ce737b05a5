/**
 * The Lambda side of the simulation: loading a function's handler module, reporting errors as
 * Lambda does (the error's name is the error type), and injected crashes and service errors.
 */
import * as path from 'path';
import type { Execution } from './step-functions';
import type { TemplateFunction } from './template';

const ROOT = path.resolve(__dirname, '..');

type Handler = (event: unknown) => Promise<unknown>;

/** Faults injected on the Lambda side. */
export interface LambdaFaults {
  /** Crash the handler of `state` (for `cluster`, when given) this many times. */
  readonly crashes?: { state: string; cluster?: string; times?: number }[];
  /** Fail the first attempt of every Task entry with this Lambda service error. */
  readonly firstAttemptError?: 'Lambda.ServiceException' | 'Lambda.TooManyRequestsException';
}

/** Which injected faults have fired, across one simulation. */
export class LambdaFaultState {
  private readonly crashesLeft = new Map<string, number>();
  private readonly failedFirstAttempt = new Set<string>();

  public inject(faults: LambdaFaults, execution: Execution, state: string): void {
    const firstAttemptError = faults.firstAttemptError;
    const key = `${execution.name}/${state}`;
    if (firstAttemptError && !this.failedFirstAttempt.has(key)) {
      this.failedFirstAttempt.add(key);
      throw lambdaError(firstAttemptError, 'Simulated Lambda service error');
    }
    this.failedFirstAttempt.delete(key);
    const cluster = execution.input?.clusterIdentifier ?? execution.input?.instanceIdentifier;
    for (const [i, crash] of (faults.crashes ?? []).entries()) {
      if (crash.state !== state || (crash.cluster && crash.cluster !== cluster)) continue;
      const id = `${i}`;
      const left = this.crashesLeft.get(id) ?? crash.times ?? 1;
      if (left > 0) {
        this.crashesLeft.set(id, left - 1);
        throw lambdaError('Runtime.ExitError', `Simulated crash of the ${state} handler`);
      }
    }
  }
}

const handlers = new Map<string, Handler>();
export function loadHandler(fn: TemplateFunction): Handler {
  if (!fn.source.endsWith('.lambda.ts')) throw new Error(`Function ${fn.logicalId} is none of the construct's handlers (sim/handler-sources.ts)`);
  let handler = handlers.get(fn.source);
  if (!handler) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    handler = require(path.join(ROOT, fn.source)).handler as Handler;
    handlers.set(fn.source, handler);
  }
  return handler;
}

export function lambdaError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}
