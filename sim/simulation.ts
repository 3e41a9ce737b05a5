import { ACCOUNT, callContext, REGION } from './aws-env';
import { FakeRds } from './fake-rds';
import { IamPolicies } from './iam-policy';
import { LambdaEnvironments } from './lambda-environment';
import { lambdaError, LambdaFaults, LambdaFaultState, loadHandler } from './lambda-faults';
import { seededRandom } from './prng';
import type { CfnTemplate, LambdaInvocation, SimulatedInstance, SimulationOptions, SimulationWorld, StarterRun } from './simulation-types';
import { allStates, Execution, FakeStepFunctions } from './step-functions';
import { DEFAULT_STACK, readTemplate, ReadTemplate, ScheduleTarget, TemplateFunction, TemplateInstance } from './template';
import { flushPromises, VirtualClock } from './virtual-clock';
import { ENV, SILENT_LOGS_VARIABLE } from '../src/shared/constants';

/** The optimized Step Functions integration of EventBridge PutEvents (a Task's Resource). */
const PUT_EVENTS_TASK = 'arn:aws:states:::events:putEvents';
/** How long the simulated scheduler waits before retrying a failed starter invocation. */
const SCHEDULER_RETRY_PAUSE_MS = 60_000;

export type { LambdaFaults };

export type { CfnTemplate, LambdaInvocation, SimulatedInstance, SimulationOptions, SimulationWorld, StarterRun } from './simulation-types';

/**
 * The construct's synthesized state machine, run locally by aws-local-stepfunctions, with each Task
 * bound to the real handler module the template wires to it, in-memory RDS and Step Functions
 * behind the handlers' SDK clients, and one virtual clock for all of it.
 */
export class Simulation {
  public readonly rds: FakeRds;
  public readonly sfn: FakeStepFunctions;
  public readonly clock: VirtualClock;
  /** The first (or only) template. */
  public readonly template: ReadTemplate;
  /** Every simulated template, one per stack. */
  public readonly templates: ReadTemplate[];
  public readonly starterRuns: StarterRun[] = [];
  /** Every Lambda invocation of every function, in order: Tasks, schedules, rules and direct calls. */
  public readonly invocations: LambdaInvocation[] = [];
  /** Each template's policies, by stack name. */
  public readonly iamByStack = new Map<string, IamPolicies>();
  public lambdaFaults: LambdaFaults;
  /** The account the templates are deployed to. */
  public readonly account: string;
  private readonly world?: SimulationWorld;
  private readonly userFunctions: Record<string, (event: any) => Promise<unknown>>;
  /** Alone, where the handlers' lines go (`options.logs`); undefined: silenced. */
  private readonly logs?: SimulationOptions['logs'];
  /** Every function of every template, by ARN. */
  private readonly functions = new Map<string, TemplateFunction>();
  private readonly environments: LambdaEnvironments;
  private readonly lambdaFaultState = new LambdaFaultState();
  private readonly lambdaDurationMs: number;
  private readonly lambdaReturnMs: number;
  private readonly originalRandom = Math.random;
  private readonly taskHandler: (input: unknown, execution: Execution, state: string) => Promise<unknown>;
  /** When each rate schedule last fired (`runRateSchedules`), and when the periods start counting. */
  private readonly rateFiredAt = new Map<ScheduleTarget, number>();
  private readonly rateOrigin: number;
  /**
   * Every PutEvents entry a state machine put (Step Functions' `events:putEvents` tasks), in order.
   * Without a world (`HandoffSimulation`), they are accepted as PutEvents answers (SDK model
   * PutEventsResponse) and delivered to no bus.
   */
  public readonly putEvents: Array<{ at: number; execution: string; state: string; entry: Record<string, unknown> }> = [];
  /** When EventBridge Scheduler invoked a function of this account: every attempt of every schedule's firing. */
  public readonly scheduledInvocations: number[] = [];

  constructor(options: SimulationOptions) {
    this.lambdaDurationMs = options.lambdaDurationMs ?? 0;
    this.lambdaReturnMs = options.lambdaReturnMs ?? 0;
    const templates = options.templates ?? (options.template ? [options.template] : []);
    if (templates.length === 0) throw new Error('Simulation needs a template (or templates)');
    this.account = options.account ?? ACCOUNT;
    this.world = options.world;
    this.userFunctions = options.userFunctions ?? {};
    this.logs = options.logs;
    this.templates = templates.map((t, i) => readTemplate(t, i === 0 ? DEFAULT_STACK : `${DEFAULT_STACK}${i + 1}`, this.account));
    this.template = this.templates[0];
    for (const t of this.templates) for (const [arn, fn] of t.functions) this.functions.set(arn, fn);
    this.environments = this.world?.environments ?? new LambdaEnvironments([...this.functions.values()].flatMap((f) => Object.keys(f.environment)));
    this.clock = this.world?.clock ?? new VirtualClock(options.start ?? new Date('2026-11-27T02:55:00Z'));
    this.rateOrigin = this.clock.now();
    // Retry jitter in the local Step Functions draws from Math.random: seed it, or which call a
    // seeded RDS fault hits would change from run to run.
    Math.random = seededRandom((options.seed ?? 1) + 0x9e3779b9);
    const own = { account: this.account, installMock: !this.world };
    this.rds = new FakeRds(options.seed ?? 1, options.rdsFaults, own);
    for (const t of this.templates) this.iamByStack.set(t.stackName, new IamPolicies(t.roles, this.account));
    if (options.enforceIam ?? true) this.rds.iam = this.authorizer();
    this.lambdaFaults = options.lambdaFaults ?? {};
    this.taskHandler = (input, execution, state) => this.invokeTask(input, execution, state);
    const [first, ...more] = this.templates.flatMap((t) => t.instances);
    this.sfn = new FakeStepFunctions(first.definition, first.stateMachineArn, this.taskHandler, options.startExecutionLatencyMs ?? 0, own);
    for (const instance of more) this.sfn.addStateMachine(instance.definition, instance.stateMachineArn, this.taskHandler);
    this.world?.router.addRds(this.account, this.rds);
    this.world?.router.addStepFunctions(this.account, this.sfn);
  }

  /** Every function of every template, by ARN. */
  public get functionsByArn(): ReadonlyMap<string, TemplateFunction> {
    return this.functions;
  }

  /** The first template's functions' identity policies; every authorization decision is recorded in it. */
  public get iam(): IamPolicies {
    return this.iamByStack.get(DEFAULT_STACK)!;
  }

  /**
   * Deploys a new version of the `index`-th template (changed props), as `cdk deploy` would: the
   * functions' environments and roles and the state machine are replaced; RDS keeps its state.
   */
  public redeploy(template: CfnTemplate, index = 0): void {
    const next = readTemplate(template, this.templates[index].stackName, this.account);
    this.templates[index] = next;
    if (index === 0) (this as { template: ReadTemplate }).template = next;
    for (const [arn, fn] of next.functions) this.functions.set(arn, fn);
    this.iamByStack.set(next.stackName, new IamPolicies(next.roles, this.account));
    for (const instance of next.instances) this.sfn.addStateMachine(instance.definition, instance.stateMachineArn, this.taskHandler);
  }

  /** The first instance's sharing key ARN as its handlers see it. */
  public get sharingKeyArn(): string {
    return this.instances[0].sharingKeyArn;
  }

  /** Every SharedClusterSnapshots instance of every template, in template order. */
  public get instances(): SimulatedInstance[] {
    return this.templates.flatMap((t) => t.instances).map((instance) => {
      const fns = [...this.functions.values()].filter((f) => f.stackName === instance.stackName && this.belongsTo(f, instance));
      const env = (key: string) => fns.map((f) => f.environment[key]).find((v) => v !== undefined) ?? '';
      return {
        ...instance,
        sharingKeyArn: env(ENV.SHARING_KEY_ARN),
        ownerId: env(ENV.OWNER_ID),
        functionIds: fns.map((f) => f.functionId),
        executions: this.executions.filter((e) => e.stateMachineArn === instance.stateMachineArn),
      };
    });
  }

  public get executions(): Execution[] {
    return this.sfn.executions;
  }

  /**
   * Advances virtual time to `time` and fires the schedule of every instance (one with
   * `stateMachineArn`), as EventBridge Scheduler would. Returns the first instance's starter run.
   */
  public async fireSchedule(time: Date, stateMachineArn?: string): Promise<StarterRun> {
    const instances = this.instances.filter((i) => i.schedule && (!stateMachineArn || i.stateMachineArn === stateMachineArn));
    if (instances.length === 0) throw new Error('The template has no schedule');
    if (time.getTime() > this.clock.now()) await this.clock.advance(time.getTime() - this.clock.now());
    const runs: StarterRun[] = [];
    for (const { schedule } of instances) {
      const event = JSON.parse(schedule!.input.replace('<aws.scheduler.scheduled-time>', time.toISOString()));
      // EventBridge Scheduler retries a failed invocation with the same event, after a pause.
      this.scheduledInvocations.push(Date.now());
      let run = await this.invokeStarter(schedule!.functionArn, event);
      for (let retry = 0; run.error && retry < schedule!.retryAttempts; retry++) {
        await this.clock.advance(SCHEDULER_RETRY_PAUSE_MS);
        this.scheduledInvocations.push(Date.now());
        run = await this.invokeStarter(schedule!.functionArn, event);
      }
      runs.push(run);
    }
    return runs[0];
  }

  /**
   * Advances virtual time to `until`, invoking the function of every `rate(...)` schedule that starts
   * no instance (the source's hourly freshness publisher) at each period it passes, as EventBridge
   * Scheduler would. Periods count from the simulation's first call; returns the invocations' errors.
   */
  public async runRateSchedules(until: Date): Promise<string[]> {
    const own = new Set(this.instances.map((i) => i.schedule));
    const rated = this.templates.flatMap((t) => t.schedules).filter((s) => !own.has(s) && rateMs(s.expression) !== undefined);
    const errors: string[] = [];
    for (;;) {
      const due = rated.map((s) => ({ s, at: (this.rateFiredAt.get(s) ?? this.rateOrigin) + rateMs(s.expression)! }))
        .filter((d) => d.at <= until.getTime()).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      if (due.at > this.clock.now()) await this.clock.advance(due.at - this.clock.now());
      this.rateFiredAt.set(due.s, due.at);
      // A schedule without an input invokes its function with an empty event.
      const input = due.s.input === 'undefined' ? '{}' : due.s.input;
      const event = JSON.parse(input.replace('<aws.scheduler.scheduled-time>', new Date(due.at).toISOString()));
      this.scheduledInvocations.push(Date.now());
      await this.invokeDriven(due.s.functionArn, event, 'schedule').catch((e: Error) => errors.push(e.name));
    }
    if (until.getTime() > this.clock.now()) await this.clock.advance(until.getTime() - this.clock.now());
    return errors;
  }

  /** Invokes the starter by hand with any event. */
  public async invokeStarter(functionArn: string = this.template.schedule!.functionArn, event: unknown = {}): Promise<StarterRun> {
    const started = Date.now();
    try {
      const result = await this.invokeDriven(functionArn, event, 'starter');
      const run = { functionArn, at: Date.now(), stateMachineArn: this.startsWhich(functionArn), result, durationMs: Date.now() - started };
      this.starterRuns.push(run);
      return run;
    } catch (error) {
      const stateMachineArn = this.startsWhich(functionArn);
      const run = { functionArn, at: Date.now(), stateMachineArn, error: (error as Error).name, durationMs: Date.now() - started };
      this.starterRuns.push(run);
      return run;
    }
  }

  /**
   * The function whose logical id is `logicalIdOrSource`, or whose handler source ends with it
   * (`'clean-up.lambda.ts'`, `'src/sharing/handlers/share-snapshot.lambda.ts'`).
   */
  public findFunction(logicalIdOrSource: string, stackName = DEFAULT_STACK): TemplateFunction {
    const all = [...this.functions.values()].filter((f) => f.stackName === stackName);
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

  /** Invokes a function by ARN, as an EventBridge rule target or Lambda would. */
  public async invokeArn(functionArn: string, event: unknown, caller: string): Promise<unknown> {
    return this.invoke(functionArn, event, caller);
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
    if (this.world) return; // the world uninstalls what the accounts share
    this.environments.uninstall();
    this.rds.restore();
    this.sfn.restore();
    this.clock.uninstall();
  }

  /** Routes each function's calls to its own stack's policies, as IAM evaluates its own role. */
  private authorizer(): Pick<IamPolicies, 'authorize' | 'principalArn'> {
    const route = (functionId: string) => {
      const fn = [...this.functions.values()].find((f) => f.functionId === functionId);
      return { policies: this.iamByStack.get(fn?.stackName ?? DEFAULT_STACK)!, logicalId: fn?.logicalId ?? functionId };
    };
    return {
      authorize: (functionId, request) => { const r = route(functionId); return r.policies.authorize(r.logicalId, request); },
      principalArn: (functionId) => { const r = route(functionId); return r.policies.principalArn(r.logicalId); },
    };
  }

  /** A function is an instance's when its state machine runs it or it starts that state machine. */
  private belongsTo(fn: TemplateFunction, instance: TemplateInstance): boolean {
    return JSON.stringify(instance.definition).includes(`${fn.arn}"`) || fn.environment[ENV.STATE_MACHINE_ARN] === instance.stateMachineArn;
  }

  private startsWhich(functionArn: string): string | undefined {
    return this.functions.get(functionArn)?.environment[ENV.STATE_MACHINE_ARN];
  }

  private async invokeTask(input: unknown, execution: Execution, state: string): Promise<unknown> {
    const resource = allStates(this.sfn.definitionOf(execution.stateMachineArn))[state].Resource as string;
    // Alone (no two-account world delivering events), a putEvents task is recorded and accepted.
    if (resource === PUT_EVENTS_TASK && !this.world?.integrations[resource]) {
      const entries = ((input as { Entries?: Array<Record<string, unknown>> }).Entries ?? []);
      for (const entry of entries) this.putEvents.push({ at: Date.now(), execution: execution.name, state, entry });
      return { FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: `${execution.name}-${state}-${i}` })) };
    }
    execution.invocations[state] = (execution.invocations[state] ?? 0) + 1;
    const integration = this.world?.integrations[resource];
    if (integration) return integration(input, this.account, execution, state);
    if (this.lambdaDurationMs > 0) await new Promise((resolve) => setTimeout(resolve, this.lambdaDurationMs));
    this.lambdaFaultState.inject(this.lambdaFaults, execution, state);
    const output = await this.invoke(resource, input, execution.name);
    if (this.lambdaReturnMs > 0) await new Promise((resolve) => setTimeout(resolve, this.lambdaReturnMs));
    return output;
  }

  /** Calls a function's handler module as Lambda would: its environment set, errors reported by name. */
  /** `invoke`, for a function invoked outside an execution: it may wait on virtual time (API latency), so the clock is driven until it returns. */
  private async invokeDriven(functionArn: string, event: unknown, caller: string): Promise<unknown> {
    let settled = false;
    const invocation = this.invoke(functionArn, event, caller);
    // Handled at once (not with `finally`, whose own promise would reject unhandled while the clock runs).
    invocation.then(() => { settled = true; }, () => { settled = true; });
    await this.clock.runUntil(() => settled);
    return invocation;
  }

  private async invoke(functionArn: string, event: unknown, caller: string): Promise<unknown> {
    const fn = this.functions.get(functionArn);
    if (!fn) throw new Error(`No function ${functionArn} in the template`);
    const user = Object.entries(this.userFunctions).find(([prefix]) => fn.logicalId.startsWith(prefix))?.[1];
    const handler = user ?? loadHandler(fn);
    // Lambda sets AWS_REGION (the handlers' default SDK clients read it: sim/rds-regions.ts). Alone, the
    // handlers' logs are silenced unless captured; in a world they are captured (their metrics are read from them).
    const captured = this.world !== undefined || this.logs !== undefined;
    const environment = { ...fn.environment, AWS_REGION: REGION, ...(captured ? {} : { [SILENT_LOGS_VARIABLE]: 'true' }) };
    const at = Date.now();
    const record = (error?: string) => this.invocations.push({
      account: this.account,
      functionId: fn.functionId,
      functionName: fn.logicalId,
      at,
      handlerMs: Date.now() - at,
      memoryMb: fn.memoryMb,
      architecture: fn.architecture,
      error,
    });
    try {
      const result = await this.environments.run(environment, () =>
        callContext.run({ caller, functionId: fn.functionId, account: this.account }, () => handler(JSON.parse(JSON.stringify(event ?? {})))));
      record();
      return result;
    } catch (error) {
      const e = error as Error;
      record(e.name || 'Error');
      // Lambda reports the error's name as the error type; Step Functions matches Retry/Catch on it.
      throw lambdaError(e.name || 'Error', JSON.stringify({ errorType: e.name, errorMessage: e.message }));
    }
  }
}

/** A `rate(N unit)` schedule expression's period in ms; undefined for cron and at expressions. */
function rateMs(expression: string): number | undefined {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (!match) return undefined;
  const unit = { minute: 60_000, hour: 3_600_000, day: 86_400_000 }[match[2].replace(/s$/, '') as 'minute' | 'hour' | 'day'];
  return Number(match[1]) * unit;
}
