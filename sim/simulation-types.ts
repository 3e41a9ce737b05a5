/** The options and shapes of a Simulation (sim/simulation.ts), apart from its behaviour. */
import type { AccountRouter } from './account-router';
import type { FaultOptions } from './fake-rds';
import type { LambdaEnvironments } from './lambda-environment';
import type { LambdaFaults } from './lambda-faults';
import type { LogCapture } from './log-capture';
import type { Execution } from './step-functions';
import type { TemplateInstance } from './template';
import type { VirtualClock } from './virtual-clock';

export type CfnTemplate = { Resources: Record<string, any> };

export interface SimulationOptions {
  /** The synthesized template (`Template.fromStack(stack).toJSON()`). May hold several instances. */
  readonly template?: CfnTemplate;
  /**
   * Several stacks deployed to the same account and Region (instead of `template`), e.g. two apps
   * with a SharedClusterSnapshots each: one in-memory RDS and Step Functions serve them all.
   */
  readonly templates?: CfnTemplate[];
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
  /**
   * The account the templates are deployed to, and what it shares with other simulated accounts
   * (sim/handoff.ts builds one Simulation per account on one `world`). @default ACCOUNT, alone
   */
  readonly account?: string;
  readonly world?: SimulationWorld;
  /**
   * Handlers for functions that are not the constructs' (a user's post-restore step), by the start
   * of their logical id (their construct path). @default none
   */
  readonly userFunctions?: Record<string, (event: any) => Promise<unknown>>;
  /**
   * Alone (no `world`), capture the handlers' log and metric lines here instead of silencing them,
   * so their volume can be measured (sim/cost-usage.ts). A world captures them itself. @default silenced
   */
  readonly logs?: LogCapture;
}

/** One Lambda invocation, as Lambda would bill it. */
export interface LambdaInvocation {
  readonly account: string;
  readonly functionId: string;
  /** Its FunctionName as the templates' Refs resolve it in the simulator: the logical id (template.ts). */
  readonly functionName: string;
  /** When the handler was called (virtual time). */
  readonly at: number;
  /**
   * Virtual time from the call to the handler's return: what the simulated AWS APIs made it wait.
   * The simulator's per-invocation time (`lambdaDurationMs`) is not in it.
   */
  readonly handlerMs: number;
  /** Memory the template gives the function, in MB. */
  readonly memoryMb: number;
  /** `arm64` or `x86_64`, as the template sets it (Lambda's default is x86_64). */
  readonly architecture: string;
  /** The error's name when the handler threw (a function error). */
  readonly error?: string;
}

/** What several accounts' simulations share in one process: one clock, one SDK router, one Lambda environment switch. */
export interface SimulationWorld {
  readonly clock: VirtualClock;
  readonly router: AccountRouter;
  readonly environments: LambdaEnvironments;
  /** Step Functions service integrations (a Task's Resource that is not a Lambda ARN), by Resource. */
  readonly integrations: Record<string, (parameters: unknown, account: string, execution: Execution, state: string) => Promise<unknown>>;
}

export interface StarterRun {
  /** The starter function. */
  readonly functionArn: string;
  /** Virtual time when the invocation ended. */
  readonly at: number;
  /** The state machine the starter starts, naming the instance. */
  readonly stateMachineArn?: string;
  readonly result?: any;
  readonly error?: string;
  readonly durationMs: number;
}

/** One SharedClusterSnapshots instance as a test sees it. */
export interface SimulatedInstance extends TemplateInstance {
  /** The sharing key's ARN as its handlers see it. */
  readonly sharingKeyArn: string;
  /** The owner id its snapshots are tagged with. */
  readonly ownerId: string;
  /** Its functions' ids, as RDS calls record them (`RdsCall.functionId`). */
  readonly functionIds: string[];
  readonly executions: Execution[];
}

