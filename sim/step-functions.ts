import {
  DescribeExecutionCommand, ExecutionAlreadyExists, ExecutionDoesNotExist, ExecutionListItem, InvalidToken, ListExecutionsCommand,
  ListExecutionsOutput, SFNClient, StartExecutionCommand, StartExecutionOutput, StateMachineDoesNotExist, StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { StateMachine } from 'aws-local-stepfunctions';
import { mockClient } from 'aws-sdk-client-mock';
import { ACCOUNT, REGION } from './aws-env';
import { ExecutionLogWriter } from './state-machine-logs';

export type TaskHandler = (input: unknown, execution: Execution, stateName: string) => Promise<unknown>;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

export interface ExecutionEvent {
  readonly type: string;
  readonly timestamp: number;
  readonly state?: string;
  readonly error?: string;
  /**
   * The sizes (UTF-8 bytes) of the log records the state machine's log group gets for this event,
   * at level ALL with execution data (sim/state-machine-logs.ts): one log event each.
   */
  readonly logRecordBytes: number[];
}

/** One execution, with what Step Functions would show and bill. */
export class Execution {
  public status: ExecutionStatus = 'RUNNING';
  public output?: any;
  public error?: string;
  public cause?: string;
  public stoppedAt?: number;
  public readonly events: ExecutionEvent[] = [];
  /** Lambda invocations per Task state, retries included. */
  public readonly invocations: Record<string, number> = {};
  public abort: () => void;
  public done: Promise<void>;

  constructor(
    public readonly name: string,
    public readonly arn: string,
    public readonly input: any,
    public readonly startedAt: number,
    public readonly stateMachineArn: string,
  ) {
    this.abort = () => undefined;
    this.done = Promise.resolve();
  }

  /** State transitions as Step Functions bills them: every state entered, and every retry. */
  public get stateTransitions(): number {
    return this.events.filter((e) => e.type === 'StateEntered' || e.type === 'StateRetried').length;
  }

  public get handlerInvocations(): number {
    return Object.values(this.invocations).reduce((a, b) => a + b, 0);
  }

  /** The log events its state machine logged for it (level ALL, with execution data), and their bytes. */
  public get logRecords(): number[] {
    return this.events.flatMap((e) => e.logRecordBytes);
  }

  public get durationMs(): number | undefined {
    return this.stoppedAt === undefined ? undefined : this.stoppedAt - this.startedAt;
  }
}

/**
 * Step Functions in process: StartExecution (with its name-uniqueness rules), StopExecution,
 * DescribeExecution and ListExecutions on the SDK client, each execution run by aws-local-stepfunctions with every
 * Task state bound to a local handler.
 */
export class FakeStepFunctions {
  public readonly executions: Execution[] = [];
  private readonly byName = new Map<string, Execution>();
  private readonly machines = new Map<string, { definition: Record<string, any>; machine: StateMachine; taskHandler: TaskHandler }>();
  /** Each API's handling, by SDK command class, for a router (sim/account-router.ts) to call. */
  public readonly routes = new Map<any, (input: any) => Promise<unknown>>();
  private readonly mock?: ReturnType<typeof mockClient>;

  constructor(
    definition: Record<string, any>,
    /** The first state machine; more are added with `addStateMachine`. */
    public readonly stateMachineArn: string,
    taskHandler: TaskHandler,
    /** Virtual time one StartExecution call takes. */
    private readonly startLatencyMs = 0,
    /** The account; `installMock: false` when a router serves several accounts. */
    private readonly options: { readonly account?: string; readonly installMock?: boolean } = {},
  ) {
    if (options.installMock ?? true) this.mock = mockClient(SFNClient);
    this.addStateMachine(definition, stateMachineArn, taskHandler);
    this.route(StartExecutionCommand, async (input) => {
      if (this.startLatencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.startLatencyMs));
      if (!this.machines.has(input.stateMachineArn ?? '')) throw new StateMachineDoesNotExist({ message: `State Machine Does Not Exist: '${input.stateMachineArn}'`, $metadata: {} });
      const execution = this.start(JSON.parse(input.input ?? '{}'), input.name, input.stateMachineArn);
      // StartExecutionOutput (SDK model): executionArn and startDate, both required.
      const output: StartExecutionOutput = { executionArn: execution.arn, startDate: new Date(execution.startedAt) };
      return { ...output, $metadata: {} };
    });
    this.route(StopExecutionCommand, async (input) => {
      const execution = this.executions.find((e) => e.arn === input.executionArn);
      if (!execution) throw new ExecutionDoesNotExist({ message: 'No such execution', $metadata: {} });
      execution.abort();
      return { stopDate: new Date(), $metadata: {} };
    });
    // ListExecutions (SDK model ListExecutionsInput/Output): one state machine's executions, newest
    // first, optionally by status, `maxResults` per page (100 by default, at most 1,000) and a nextToken.
    this.route(ListExecutionsCommand, async (input) => {
      if (!this.machines.has(input.stateMachineArn ?? '')) throw new StateMachineDoesNotExist({ message: `State Machine Does Not Exist: '${input.stateMachineArn}'`, $metadata: {} });
      const matching = this.executions
        .filter((e) => e.stateMachineArn === input.stateMachineArn && (!input.statusFilter || e.status === input.statusFilter))
        .sort((a, b) => b.startedAt - a.startedAt);
      const from = input.nextToken === undefined ? 0 : Number(input.nextToken);
      if (!Number.isInteger(from) || from < 0 || from > matching.length) throw new InvalidToken({ message: 'Invalid Token', $metadata: {} });
      const size = input.maxResults || 100;
      const page: ExecutionListItem[] = matching.slice(from, from + size).map((e) => ({
        executionArn: e.arn,
        stateMachineArn: e.stateMachineArn,
        name: e.name,
        status: e.status,
        startDate: new Date(e.startedAt),
        ...(e.stoppedAt === undefined ? {} : { stopDate: new Date(e.stoppedAt) }),
      }));
      const output: ListExecutionsOutput = { executions: page, ...(from + size < matching.length ? { nextToken: String(from + size) } : {}) };
      return { ...output, $metadata: {} };
    });
    this.route(DescribeExecutionCommand, async (input) => {
      const execution = this.executions.find((e) => e.arn === input.executionArn);
      if (!execution) throw new ExecutionDoesNotExist({ message: 'No such execution', $metadata: {} });
      return {
        executionArn: execution.arn,
        stateMachineArn: execution.stateMachineArn,
        name: execution.name,
        status: execution.status,
        startDate: new Date(execution.startedAt),
        $metadata: {},
      };
    });
  }

  private route(command: any, fn: (input: any) => Promise<unknown>): void {
    this.routes.set(command, fn);
    this.mock?.on(command).callsFake(fn);
  }

  /** Another state machine in the same account and Region (a second SharedClusterSnapshots instance). */
  public addStateMachine(definition: Record<string, any>, stateMachineArn: string, taskHandler: TaskHandler): void {
    const machine = new StateMachine(withRealTaskTimeouts(definition) as any, { validationOptions: { checkArn: false } });
    this.machines.set(stateMachineArn, { definition, machine, taskHandler });
  }

  public definitionOf(stateMachineArn: string): Record<string, any> {
    return this.machines.get(stateMachineArn)!.definition;
  }

  /**
   * Starts an execution. A name already used on that state machine is refused with
   * ExecutionAlreadyExists, unless the execution is still running with the same input, which
   * returns the original (as AWS does).
   */
  public start(input: unknown, name: string = `manual-${this.executions.length + 1}-${Date.now()}`, stateMachineArn = this.stateMachineArn): Execution {
    const { definition, machine, taskHandler } = this.machines.get(stateMachineArn)!;
    const key = `${stateMachineArn}|${name}`;
    const existing = this.byName.get(key);
    if (existing) {
      if (existing.status === 'RUNNING' && JSON.stringify(existing.input) === JSON.stringify(input)) return existing;
      throw new ExecutionAlreadyExists({ message: `Execution Already Exists: '${existing.arn}'`, $metadata: {} });
    }
    const account = this.options.account ?? ACCOUNT;
    const arn = `arn:aws:states:${REGION}:${account}:execution:${stateMachineArn.split(':').pop()}:${name}`;
    const execution = new Execution(name, arn, input, Date.now(), stateMachineArn);
    this.executions.push(execution);
    this.byName.set(key, execution);

    const overrides = Object.fromEntries(taskStateNames(definition).map((state) => [
      state, (taskInput: unknown) => taskHandler(taskInput, execution, state) as Promise<any>,
    ]));
    const run = machine.run(input as any, {
      overrides: { taskResourceLocalHandlers: overrides },
      noThrowOnAbort: true,
      context: { Execution: { Id: arn, Name: name, RoleArn: `arn:aws:iam::${account}:role/StateMachineRole` } } as any,
    });
    execution.abort = () => run.abort();
    const logs = new ExecutionLogWriter(arn, `arn:aws:iam::${account}:role/StateMachineRole`);
    const events = (async () => {
      for await (const event of run.eventLogs) {
        execution.events.push({
          type: event.type,
          timestamp: event.timestamp,
          state: 'state' in event ? event.state.name : undefined,
          error: 'Error' in event ? String(event.Error) : undefined,
          logRecordBytes: logs.write(event),
        });
      }
    })();
    execution.done = run.result.then(
      (output) => {
        execution.status = output === null && execution.events.some((e) => e.type === 'ExecutionAborted') ? 'ABORTED' : 'SUCCEEDED';
        execution.output = output;
      },
      (error: any) => {
        execution.status = error?.name === 'ExecutionTimeoutError' ? 'TIMED_OUT' : 'FAILED';
        const caught = error?.cause ?? error;
        execution.error = caught?.name ?? 'Error';
        execution.cause = caught?.cause ?? caught?.message;
      },
    ).then(async () => {
      execution.stoppedAt = Date.now();
      await events;
      if (execution.status === 'SUCCEEDED' && execution.events.some((e) => e.type === 'ExecutionAborted')) execution.status = 'ABORTED';
    });
    return execution;
  }

  public get running(): number {
    return this.executions.filter((e) => e.status === 'RUNNING').length;
  }

  public restore(): void {
    this.mock?.restore();
  }
}

function taskStateNames(definition: Record<string, any>): string[] {
  return Object.entries(allStates(definition)).filter(([, s]) => s.Type === 'Task').map(([name]) => name);
}

/**
 * Every state of a definition by name, those of Parallel branches and Map iterators included (state
 * names are unique across the whole state machine: Step Functions Developer Guide, "States").
 */
export function allStates(definition: Record<string, any>): Record<string, any> {
  const states: Record<string, any> = {};
  for (const [name, state] of Object.entries(definition.States as Record<string, any>)) {
    states[name] = state;
    const nestedMachines = [...state.Branches ?? [], state.Iterator, state.ItemProcessor].filter((machine) => machine !== undefined);
    for (const nested of nestedMachines) {
      Object.assign(states, allStates(nested));
    }
  }
  return states;
}

/**
 * aws-local-stepfunctions gives a Task without TimeoutSeconds 60 seconds; Step Functions gives
 * it 99,999,999. Node timers overflow past 2^31 ms (about 24.8 days) and fire at once, so the
 * simulator uses 24 days: longer than any simulated run, as good as unlimited here.
 */
const UNLIMITED_TASK_SECONDS = 24 * 24 * 3600;

function withRealTaskTimeouts(definition: Record<string, any>): Record<string, any> {
  const copy = JSON.parse(JSON.stringify(definition));
  for (const state of Object.values(allStates(copy))) {
    if (state.Type === 'Task' && state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) {
      state.TimeoutSeconds = UNLIMITED_TASK_SECONDS;
    }
  }
  return copy;
}
