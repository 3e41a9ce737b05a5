import * as path from 'path';
import { ACCOUNT, callContext, FakeRds, FaultOptions } from './fake-rds';
import { IamPolicies } from './iam-policy';
import { seededRandom } from './prng';
import { Execution, FakeStepFunctions } from './step-functions';
import { readTemplate, ReadTemplate, TemplateFunction } from './template';
import { flushPromises, VirtualClock } from './virtual-clock';

const ROOT = path.resolve(__dirname, '..');
/** How long the simulated scheduler waits before retrying a failed starter invocation. */
const SCHEDULER_RETRY_PAUSE_MS = 60_000;

/** Faults injected on the Lambda side. */
export interface LambdaFaults {
  /** Crash the handler of `state` (for `cluster`, when given) this many times. */
  readonly crashes?: { state: string; cluster?: string; times?: number }[];
  /** Fail the first attempt of every Task entry with this Lambda service error. */
  readonly firstAttemptError?: 'Lambda.ServiceException' | 'Lambda.TooManyRequestsException';
}

export interface SimulationOptions {
  /** The synthesized template (`Template.fromStack(stack).toJSON()`). */
  readonly template: { Resources: Record<string, any> };
  /** Virtual time at the start. @default 2026-11-27T02:55:00Z */
  readonly start?: Date;
  /** Seed for fault injection. @default 1 */
  readonly seed?: number;
  readonly rdsFaults?: FaultOptions;
  readonly lambdaFaults?: LambdaFaults;
  /** Virtual time each Lambda invocation takes before its handler runs. @default 0 */
  readonly lambdaDurationMs?: number;
  /** Virtual time one StartExecution call takes. @default 0 */
  readonly startExecutionLatencyMs?: number;
  /**
   * Virtual time between a Task's handler returning and Step Functions receiving its result, so an
   * execution can be aborted after a handler's side effects but before its state exits. @default 0
   */
  readonly lambdaReturnMs?: number;
  /**
   * Authorize every RDS call a handler makes against its function's role in the template, as IAM
   * would (KMS is not modelled). A denied call fails with `AccessDenied`. @default true
   */
  readonly enforceIam?: boolean;
}

export interface StarterRun {
  readonly result?: any;
  readonly error?: string;
  readonly durationMs: number;
}

type Handler = (event: unknown) => Promise<unknown>;

/**
 * The construct's synthesized state machine, run locally by aws-local-stepfunctions, with each Task
 * bound to the real handler module the template wires to it, in-memory RDS and Step Functions
 * behind the handlers' SDK clients, and one virtual clock for all of it.
 */
export class Simulation {
  public readonly rds: FakeRds;
  public readonly sfn: FakeStepFunctions;
  public readonly clock: VirtualClock;
  public readonly template: ReadTemplate;
  public readonly starterRuns: StarterRun[] = [];
  /** The functions' identity policies; every authorization decision is recorded in it. */
  public readonly iam: IamPolicies;
  public lambdaFaults: LambdaFaults;
  private readonly environment: Record<string, string>;
  private readonly crashesLeft = new Map<string, number>();
  private readonly failedFirstAttempt = new Set<string>();
  private readonly lambdaDurationMs: number;
  private readonly lambdaReturnMs: number;
  private readonly originalRandom = Math.random;

  constructor(options: SimulationOptions) {
    this.lambdaDurationMs = options.lambdaDurationMs ?? 0;
    this.lambdaReturnMs = options.lambdaReturnMs ?? 0;
    this.template = readTemplate(options.template);
    this.environment = mergeEnvironments([...this.template.functions.values()]);
    this.clock = new VirtualClock(options.start ?? new Date('2026-11-27T02:55:00Z'));
    // Retry jitter in the local Step Functions draws from Math.random: seed it, or which call a
    // seeded RDS fault hits would change from run to run.
    Math.random = seededRandom((options.seed ?? 1) + 0x9e3779b9);
    this.rds = new FakeRds(options.seed ?? 1, options.rdsFaults);
    this.iam = new IamPolicies(this.template.roles, ACCOUNT);
    if (options.enforceIam ?? true) this.rds.iam = this.iam;
    this.lambdaFaults = options.lambdaFaults ?? {};
    this.sfn = new FakeStepFunctions(this.template.definition, this.template.stateMachineArn, (input, execution, state) =>
      this.invokeTask(input, execution, state), options.startExecutionLatencyMs ?? 0);
  }

  /** The sharing key's ARN as the handlers see it. */
  public get sharingKeyArn(): string {
    return this.environment.SHARING_KEY_ARN;
  }

  public get executions(): Execution[] {
    return this.sfn.executions;
  }

  /** Advances virtual time to `time` and fires the schedule's target, as EventBridge Scheduler would. */
  public async fireSchedule(time: Date): Promise<StarterRun> {
    const schedule = this.template.schedule;
    if (!schedule) throw new Error('The template has no schedule');
    if (time.getTime() > this.clock.now()) await this.clock.advance(time.getTime() - this.clock.now());
    const event = JSON.parse(schedule.input.replace('<aws.scheduler.scheduled-time>', time.toISOString()));
    // EventBridge Scheduler retries a failed invocation with the same event, after a pause.
    let run = await this.invokeStarter(schedule.functionArn, event);
    for (let retry = 0; run.error && retry < schedule.retryAttempts; retry++) {
      await this.clock.advance(SCHEDULER_RETRY_PAUSE_MS);
      run = await this.invokeStarter(schedule.functionArn, event);
    }
    return run;
  }

  /** Invokes the starter by hand with any event. */
  public async invokeStarter(functionArn: string = this.template.schedule!.functionArn, event: unknown = {}): Promise<StarterRun> {
    const started = Date.now();
    try {
      // The starter may wait on virtual time (API latency): drive the clock until it returns.
      let settled = false;
      const invocation = this.invoke(functionArn, event, 'starter').finally(() => {
        settled = true;
      });
      await this.clock.runUntil(() => settled);
      const result = await invocation;
      const run = { result, durationMs: Date.now() - started };
      this.starterRuns.push(run);
      return run;
    } catch (error) {
      const run = { error: (error as Error).name, durationMs: Date.now() - started };
      this.starterRuns.push(run);
      return run;
    }
  }

  /**
   * The function whose logical id is `logicalIdOrSource`, or whose handler source ends with it
   * (`'clean-up.lambda.ts'`, `'src/source/handlers/share-snapshot.lambda.ts'`).
   */
  public findFunction(logicalIdOrSource: string): TemplateFunction {
    const all = [...this.template.functions.values()];
    const found = all.filter((f) => f.logicalId === logicalIdOrSource || f.source === logicalIdOrSource || f.source.endsWith(`/${logicalIdOrSource}`));
    if (found.length !== 1) throw new Error(`Expected one function for '${logicalIdOrSource}', found ${found.length}`);
    return found[0];
  }

  /**
   * Invokes one function's handler directly, as `aws lambda invoke` would, with its role applied to
   * its calls. Rejects with the handler's error (its `name` is the Lambda error type).
   */
  public async invokeFunction(logicalIdOrSource: string, event: unknown, caller = 'direct'): Promise<unknown> {
    return this.invoke(this.findFunction(logicalIdOrSource).arn, event, caller);
  }

  /** Starts one execution by hand, as `aws stepfunctions start-execution` would. */
  public startExecution(input: unknown, name?: string): Execution {
    return this.sfn.start(input, name);
  }

  /** Runs virtual time forward until no execution is running. */
  public async runUntilIdle(): Promise<void> {
    await this.clock.runUntil(() => this.sfn.running === 0);
    await Promise.all(this.executions.map((e) => e.done));
    await flushPromises();
  }

  /** Runs virtual time forward by `ms`. */
  public async advance(ms: number): Promise<void> {
    await this.clock.advance(ms);
  }

  public dispose(): void {
    Math.random = this.originalRandom;
    this.rds.restore();
    this.sfn.restore();
    this.clock.uninstall();
  }

  private async invokeTask(input: unknown, execution: Execution, state: string): Promise<unknown> {
    const resource = this.template.definition.States[state].Resource as string;
    execution.invocations[state] = (execution.invocations[state] ?? 0) + 1;
    if (this.lambdaDurationMs > 0) await new Promise((resolve) => setTimeout(resolve, this.lambdaDurationMs));
    this.injectLambdaFaults(execution, state);
    const output = await this.invoke(resource, input, execution.name);
    if (this.lambdaReturnMs > 0) await new Promise((resolve) => setTimeout(resolve, this.lambdaReturnMs));
    return output;
  }

  private injectLambdaFaults(execution: Execution, state: string): void {
    const firstAttemptError = this.lambdaFaults.firstAttemptError;
    const key = `${execution.name}/${state}`;
    if (firstAttemptError && !this.failedFirstAttempt.has(key)) {
      this.failedFirstAttempt.add(key);
      throw lambdaError(firstAttemptError, 'Simulated Lambda service error');
    }
    this.failedFirstAttempt.delete(key);
    const cluster = execution.input?.clusterIdentifier;
    for (const [i, crash] of (this.lambdaFaults.crashes ?? []).entries()) {
      if (crash.state !== state || (crash.cluster && crash.cluster !== cluster)) continue;
      const id = `${i}`;
      const left = this.crashesLeft.get(id) ?? crash.times ?? 1;
      if (left > 0) {
        this.crashesLeft.set(id, left - 1);
        throw lambdaError('Runtime.ExitError', `Simulated crash of the ${state} handler`);
      }
    }
  }

  /** Calls a function's handler module as Lambda would: its environment set, errors reported by name. */
  private async invoke(functionArn: string, event: unknown, caller: string): Promise<unknown> {
    const fn = this.template.functions.get(functionArn);
    if (!fn) throw new Error(`No function ${functionArn} in the template`);
    const handler = loadHandler(fn);
    setHandlerEnvironment(this.environment);
    try {
      return await callContext.run({ caller, functionId: fn.logicalId }, () => handler(JSON.parse(JSON.stringify(event ?? {}))));
    } catch (error) {
      const e = error as Error;
      // Lambda reports the error's name as the error type; Step Functions matches Retry/Catch on it.
      throw lambdaError(e.name || 'Error', JSON.stringify({ errorType: e.name, errorMessage: e.message }));
    }
  }
}

const handlers = new Map<string, Handler>();
/** Every variable a simulation has set, so the next one in the same process starts clean. */
const variablesSet = new Set<string>();

function setHandlerEnvironment(environment: Record<string, string>): void {
  for (const key of variablesSet) {
    if (!(key in environment)) delete process.env[key];
  }
  for (const [key, value] of Object.entries(environment)) {
    process.env[key] = value;
    variablesSet.add(key);
  }
  process.env.SHARED_CLUSTER_SNAPSHOTS_SILENT = 'true';
}

function loadHandler(fn: TemplateFunction): Handler {
  if (!fn.source.endsWith('.lambda.ts')) throw new Error(`Function ${fn.logicalId} has no handler source in its description: '${fn.source}'`);
  let handler = handlers.get(fn.source);
  if (!handler) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    handler = require(path.join(ROOT, fn.source)).handler as Handler;
    handlers.set(fn.source, handler);
  }
  return handler;
}

function lambdaError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** One process serves every function, so their environments must agree on shared keys. */
function mergeEnvironments(functions: TemplateFunction[]): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const fn of functions) {
    for (const [key, value] of Object.entries(fn.environment)) {
      if (key in merged && merged[key] !== value) {
        throw new Error(`Functions disagree on ${key}: '${merged[key]}' vs '${value}'`);
      }
      merged[key] = value;
    }
  }
  return merged;
}
