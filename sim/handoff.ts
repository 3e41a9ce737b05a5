/**
 * Several accounts in one Region, each with its own deployed templates, in-memory RDS and Step
 * Functions, sharing one virtual clock: a source account running SharedClusterSnapshots, target
 * accounts running ReceivedClusterSnapshots, and EventBridge between them (sim/event-buses.ts).
 * Each account's RDS sees what the others share with it (sim/rds-sharing.ts), and a copy across
 * accounts is allowed by the source key's policy (sim/key-policies.ts).
 *
 * Step Functions Tasks that put events (`arn:aws:states:::events:putEvents`, the optimized
 * integration, and `arn:aws:states:::aws-sdk:eventbridge:putEvents`) are served by the buses.
 * "If the response from PutEvents contains a non-zero FailedEntryCount then the Task state fails with
 * the error EventBridge.FailedEntry", and the optimized integration appends the execution and state
 * machine ARNs to each entry's Resources (Step Functions Developer Guide, "Add EventBridge events
 * with Step Functions"); the SDK integration returns the response as it is.
 */
import { AccountRouter } from './account-router';
import { AlarmState, evaluateAlarm, readAlarms, TemplateAlarm } from './alarms';
import { ACCOUNT } from './aws-env';
import { EventBuses, PutEventsEntry } from './event-buses';
import { KeyPolicies } from './key-policies';
import { LambdaEnvironments } from './lambda-environment';
import { lambdaError } from './lambda-faults';
import { LogCapture } from './log-capture';
import { mockOptionalClients } from './optional-clients';
import type { FaultOptions } from './rds-types';
import { serviceMetrics } from './service-metrics';
import { Simulation, SimulationWorld, StarterRun } from './simulation';
import type { Execution } from './step-functions';
import { DEFAULT_STACK, readTemplate, templateResolver } from './template';
import { flushPromises, VirtualClock } from './virtual-clock';

export const SOURCE_ACCOUNT = ACCOUNT;
export const TARGET_ACCOUNT = '222222222222';
/** A second target, for retainUntilCopied with one target confirming and one not. */
export const SECOND_TARGET_ACCOUNT = '333333333333';

/**
 * Lambda retries a failed asynchronous invocation (an EventBridge rule's target) twice, about one
 * and two minutes later (aws-facts.md, "Lambda and scheduling": default 2 retries).
 */
const ASYNC_RETRY_DELAYS_MS = [60_000, 120_000];

type CfnTemplate = { Resources: Record<string, any> };

export interface AccountDeployment {
  readonly account: string;
  readonly templates: CfnTemplate[];
  readonly rdsFaults?: FaultOptions;
  /** @default true */
  readonly enforceIam?: boolean;
}

export interface HandoffOptions {
  readonly accounts: AccountDeployment[];
  /** @default 2026-11-27T02:55:00Z */
  readonly start?: Date;
  readonly seed?: number;
  readonly lambdaDurationMs?: number;
  /** Keep the text of the handlers' log lines (or only their sizes, for a large fleet). @default true */
  readonly keepLogText?: boolean;
}

/** One invocation of a rule's target: a function (its result or error) or a started execution. */
export interface TargetRun {
  readonly at: number;
  readonly account: string;
  readonly targetArn: string;
  readonly detailType: string;
  readonly from: string;
  readonly result?: unknown;
  readonly error?: string;
  readonly errorMessage?: string;
}

export class HandoffSimulation {
  public readonly clock: VirtualClock;
  public readonly buses: EventBuses;
  public readonly keys = new KeyPolicies();
  public readonly logs: LogCapture;
  public readonly targetRuns: TargetRun[] = [];
  private readonly router = new AccountRouter();
  private readonly environments: LambdaEnvironments;
  private readonly simulations = new Map<string, Simulation>();
  private readonly alarmsByAccount = new Map<string, TemplateAlarm[]>();
  private pendingInvocations = 0;
  private readonly restoreOptionalClients: () => void;

  constructor(options: HandoffOptions) {
    this.logs = new LogCapture({ keepText: options.keepLogText });
    const read = options.accounts.flatMap((a) => a.templates.map((t, i) => readTemplate(t, stackName(i), a.account)));
    this.environments = new LambdaEnvironments(read.flatMap((t) => [...t.functions.values()].flatMap((f) => Object.keys(f.environment))));
    this.clock = new VirtualClock(options.start ?? new Date('2026-11-27T02:55:00Z'));
    this.buses = new EventBuses((account, arn, input, event) => this.invokeTarget(account, arn, input, event.source, event['detail-type'], event.account));
    const world: SimulationWorld = {
      clock: this.clock,
      router: this.router,
      environments: this.environments,
      integrations: {
        'arn:aws:states:::events:putEvents': async (parameters, account, execution) => this.putEventsTask(parameters, account, execution),
        'arn:aws:states:::aws-sdk:eventbridge:putEvents': async (parameters, account) => this.buses.putEvents(account, entriesOf(parameters)),
      },
    };
    for (const deployment of options.accounts) {
      const sim = new Simulation({
        templates: deployment.templates,
        account: deployment.account,
        world,
        seed: options.seed,
        rdsFaults: deployment.rdsFaults,
        enforceIam: deployment.enforceIam,
        lambdaDurationMs: options.lambdaDurationMs,
      });
      this.simulations.set(deployment.account, sim);
      deployment.templates.forEach((t, i) => {
        const resolve = templateResolver(t, stackName(i), deployment.account);
        this.buses.addTemplate(deployment.account, t, resolve);
        this.keys.addTemplate(deployment.account, stackName(i), t, resolve);
        this.alarmsByAccount.set(deployment.account, [...(this.alarmsByAccount.get(deployment.account) ?? []), ...readAlarms(t, resolve)]);
      });
    }
    this.restoreOptionalClients = mockOptionalClients({
      putEvents: (account, entries) => this.buses.putEvents(account, entries),
      metrics: this.logs.metrics,
    });
    const accounts = [...this.simulations.keys()];
    for (const sim of this.simulations.values()) {
      sim.rds.network = {
        accounts,
        snapshotsOf: (owner, kind, region) => this.simulations.get(owner)?.rds.inRegion(region).ownSnapshotsOf(kind),
        keyAllows: (keyArn, account) => this.keys.allows(keyArn, account),
        progress: (owner, s, region) => this.simulations.get(owner)?.rds.inRegion(region).progressed(s),
      };
    }
  }

  /** The simulation of one account. */
  public account(account: string): Simulation {
    const sim = this.simulations.get(account);
    if (!sim) throw new Error(`Account ${account} is not simulated`);
    return sim;
  }

  /** Fires the schedules of one account at `time` (the source's snapshot run, a receiver's scan). */
  public async fireSchedule(account: string, time: Date): Promise<StarterRun> {
    return this.account(account).fireSchedule(time);
  }

  /** Runs virtual time forward until no execution runs in any account and no event is on its way. */
  public async runUntilIdle(): Promise<void> {
    const idle = () => [...this.simulations.values()].every((s) => s.sfn.running === 0) && this.buses.inFlight === 0 && this.pendingInvocations === 0;
    for (let round = 0; round < 10 && !idle(); round++) {
      await this.clock.runUntil(idle);
    }
    await Promise.all([...this.simulations.values()].flatMap((s) => s.executions.map((e) => e.done)));
    await flushPromises();
  }

  /** Forgets the SDK calls the mocks recorded so far (nothing the simulation reads): for long simulations. */
  public forgetSdkCalls(): void {
    this.router.resetHistory();
  }

  public async advance(ms: number): Promise<void> {
    await this.clock.advance(ms);
  }

  /** Runs `account`'s rate schedules that start no instance (the source's freshness publisher) until `until`. */
  public async runRateSchedules(account: string, until: Date): Promise<string[]> {
    const errors = await this.account(account).runRateSchedules(until);
    await this.runUntilIdle();
    return errors;
  }

  /** PutEvents from `account`, as its own code would call it (tests; the source side's task does this itself). */
  public putEvents(account: string, entries: PutEventsEntry[]) {
    return this.buses.putEvents(account, entries);
  }

  /** Every metric value the handlers of `account` published in embedded metric format. */
  public metrics(account: string, name?: string) {
    return this.logs.metrics.filter((m) => m.account === account && (!name || m.name === name));
  }

  /** The metric alarms deployed to `account`. */
  public alarms(account: string): TemplateAlarm[] {
    return this.alarmsByAccount.get(account) ?? [];
  }

  /**
   * An alarm's state now (or at `at`), evaluated over the metrics the account's handlers published
   * and those AWS publishes for its executions and function invocations (sim/service-metrics.ts).
   */
  public alarmState(account: string, alarm: TemplateAlarm, at = Date.now()): AlarmState {
    const published = this.logs.metrics.filter((m) => m.account === account);
    return evaluateAlarm(alarm, [...published, ...serviceMetrics(this.account(account))], at);
  }

  public dispose(): void {
    // In reverse: each simulation restores the Math.random it found.
    for (const sim of [...this.simulations.values()].reverse()) {
      sim.dispose();
      sim.rds.restore();
      sim.sfn.restore();
    }
    this.router.restore();
    this.restoreOptionalClients();
    this.logs.uninstall();
    this.environments.uninstall();
    this.clock.uninstall();
  }

  private async putEventsTask(parameters: unknown, account: string, execution: Execution) {
    const entries = entriesOf(parameters).map((e) => ({ ...e, Resources: [...(e.Resources ?? []), execution.stateMachineArn, execution.arn] }));
    const out = this.buses.putEvents(account, entries);
    if (out.FailedEntryCount > 0) throw lambdaError('EventBridge.FailedEntry', JSON.stringify(out.Entries.filter((e) => e.ErrorCode)));
    return out;
  }

  /** A rule's target in `account`: a function, invoked asynchronously (retried as Lambda does), or a state machine. */
  private async invokeTarget(account: string, targetArn: string, input: unknown, _source: string, detailType: string, from: string): Promise<void> {
    const sim = this.account(account);
    const record = (outcome: Partial<TargetRun>) => this.targetRuns.push({ at: Date.now(), account, targetArn, detailType, from, ...outcome });
    if (targetArn.includes(':stateMachine:')) {
      const execution = sim.sfn.start(input, undefined, targetArn);
      record({ result: { executionArn: execution.arn } });
      return;
    }
    this.pendingInvocations++;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          record({ result: await sim.invokeArn(targetArn, input, `rule:${detailType}`) });
          return;
        } catch (error) {
          const e = error as Error;
          record({ error: e.name, errorMessage: parseMessage(e.message) });
          if (attempt >= ASYNC_RETRY_DELAYS_MS.length) return;
          await new Promise((resolve) => setTimeout(resolve, ASYNC_RETRY_DELAYS_MS[attempt]));
        }
      }
    } finally {
      this.pendingInvocations--;
    }
  }
}

function stackName(index: number): string {
  return index === 0 ? DEFAULT_STACK : `${DEFAULT_STACK}${index + 1}`;
}

function entriesOf(parameters: unknown): PutEventsEntry[] {
  const entries = (parameters as { Entries?: PutEventsEntry[] } | undefined)?.Entries;
  if (!Array.isArray(entries)) throw lambdaError('EventBridge.ValidationException', 'PutEvents needs Entries');
  return entries;
}

function parseMessage(message: string): string {
  try {
    return JSON.parse(message).errorMessage ?? message;
  } catch {
    return message;
  }
}
