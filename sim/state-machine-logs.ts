/**
 * The CloudWatch Logs records a state machine logging at level ALL with `includeExecutionData`
 * writes, for each event of a simulated execution, so their volume can be measured (the constructs
 * log every state with its input and output). Step Functions logs every execution history event at
 * ALL (Developer Guide, "Log levels"), one JSON record each with `id`, `type`, `details`,
 * `previous_event_id`, `event_timestamp` and `execution_arn` (Developer Guide, "Logging Step
 * Functions using CloudWatch Logs", its example records).
 *
 * aws-local-stepfunctions reports states, not history events, so the history is rebuilt from them: a
 * Task's attempt is scheduled, started, then succeeds or fails (`TaskScheduled`, `TaskStarted`,
 * `TaskSucceeded`/`TaskFailed`, named `LambdaFunction…` for a Lambda ARN resource; sizes are alike).
 * Rebuilt, not captured from AWS: the details' field names follow the documented examples, and a
 * Task's parameters are taken as its raw input (before InputPath and Parameters).
 */
import type { StateMachine } from 'aws-local-stepfunctions';

/** One event of aws-local-stepfunctions' event log (the package does not export the type). */
export type EventLog = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/** One history event as Step Functions writes it to the log group. */
interface HistoryRecord {
  readonly type: string;
  readonly details: Record<string, unknown>;
}

const data = (value: unknown) => JSON.stringify(value ?? null);

function taskAttempt(state: { name: string; input: unknown }): HistoryRecord[] {
  return [
    { type: 'TaskScheduled', details: { resourceType: 'lambda', resource: 'invoke', parameters: data(state.input), timeoutInSeconds: null } },
    { type: 'TaskStarted', details: { resourceType: 'lambda', resource: 'invoke' } },
  ];
}

/** The history events one simulator event stands for, in order. */
export function historyRecords(event: EventLog, roleArn: string): HistoryRecord[] {
  switch (event.type) {
    case 'ExecutionStarted':
      return [{ type: 'ExecutionStarted', details: { input: data(event.input), inputDetails: { truncated: false }, roleArn } }];
    case 'ExecutionSucceeded':
      return [{ type: 'ExecutionSucceeded', details: { output: data(event.output), outputDetails: { truncated: false } } }];
    case 'ExecutionFailed':
      return [{ type: 'ExecutionFailed', details: { error: event.Error, cause: String(event.Cause ?? '') } }];
    case 'ExecutionAborted':
    case 'ExecutionTimeout':
      return [{ type: event.type === 'ExecutionAborted' ? 'ExecutionAborted' : 'ExecutionTimedOut', details: {} }];
    case 'StateEntered': {
      const entered = { type: `${event.state.type}StateEntered`, details: { name: event.state.name, input: data(event.state.input), inputDetails: { truncated: false } } };
      return event.state.type === 'Task' ? [entered, ...taskAttempt(event.state)] : [entered];
    }
    case 'StateExited': {
      const exited = { type: `${event.state.type}StateExited`, details: { name: event.state.name, output: data(event.state.output), outputDetails: { truncated: false } } };
      if (event.state.type !== 'Task') return [exited];
      return [{ type: 'TaskSucceeded', details: { resourceType: 'lambda', resource: 'invoke', output: data(event.state.output), outputDetails: { truncated: false } } }, exited];
    }
    case 'StateFailed':
      return event.state.type === 'Task' ? [{ type: 'TaskFailed', details: { resourceType: 'lambda', resource: 'invoke', error: event.Error, cause: String(event.Cause ?? '') } }] : [];
    case 'StateRetried':
      return event.state.type === 'Task' ? taskAttempt(event.state) : [];
    case 'StateCaught':
      return [{ type: `${event.state.type}StateExited`, details: { name: event.state.name, output: data(event.state.input), outputDetails: { truncated: false } } }];
    default:
      return [];
  }
}

/** Numbers the history of one execution and renders each record as the log group stores it. */
export class ExecutionLogWriter {
  private id = 0;

  constructor(private readonly executionArn: string, private readonly roleArn: string) {}

  /** The log records for one simulator event: their sizes in bytes (UTF-8), one per log event. */
  public write(event: EventLog): number[] {
    return historyRecords(event, this.roleArn).map((record) => {
      this.id++;
      const line = JSON.stringify({
        id: String(this.id),
        type: record.type,
        details: record.details,
        previous_event_id: String(this.id - 1),
        event_timestamp: String(event.timestamp),
        execution_arn: this.executionArn,
      });
      return Buffer.byteLength(line, 'utf8');
    });
  }
}
