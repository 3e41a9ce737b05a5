import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { StateMachine } from 'aws-local-stepfunctions';
import { build, definitionOf, Json, logicalIdOf } from './helpers';
import { EVENT_DETAIL_TYPE, EVENT_SOURCE } from '../../../src/shared/constants';
import { EVENT_STATE, PUT_EVENTS_RETRY } from '../../../src/sharing/events';

const PUT_EVENTS = 'arn:aws:states:::events:putEvents';
const busOf = (account: string) => `arn:<AWS::Partition>:events:eu-west-1:${account}:event-bus/default`;
const ACCOUNTS = Array.from({ length: 20 }, (_, i) => String(222222222200 + i));

/** The state machine role's events:PutEvents resources, flattened as cdk-nag prints them. */
function putEventsResources(props: Parameters<typeof build>[0]): string[] {
  const { stack, construct, template } = build(props);
  const roleId = logicalIdOf(stack, construct.stateMachine.role as never);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Json[];
  return policies
    .filter((policy) => policy.Properties.Roles.some((role: Json) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[])
    .filter((statement) => [statement.Action].flat().includes('events:PutEvents'))
    .flatMap((statement) => [statement.Resource].flat())
    .map((resource: Json) => JSON.stringify(stack.resolve(resource))
      .replace(/\{"Fn::Join":\["",\[|\]\]\}|"|,/g, '').replace(/\{Ref:AWS::Partition\}/g, '<AWS::Partition>'));
}

describe('the event steps in the synthesized definition', () => {
  test('CleanUp puts the run result beside the plan; PublishSnapshotShared puts it as the Shared detail on this account\'s default bus and ends the run with it', () => {
    const definition = definitionOf(build().template);
    expect(definition.States.CleanUp).toMatchObject({ ResultPath: '$.run', Next: EVENT_STATE.publishShared });
    const state = definition.States[EVENT_STATE.publishShared];
    expect(state).toMatchObject({
      Type: 'Task',
      Resource: PUT_EVENTS,
      Parameters: { Entries: [{ 'Detail.$': '$.run', 'DetailType': EVENT_DETAIL_TYPE.shared, 'Source': EVENT_SOURCE }] },
      ResultPath: null,
      OutputPath: '$.run',
      End: true,
      // The snapshot is shared: a failure here never reaches the clean-up.
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.sharedEventError', Next: EVENT_STATE.sharedEventNotPut }],
    });
    expect(state.Parameters.Entries[0].EventBusName).toBeUndefined();
    expect(state.Retry).toEqual([{ ErrorEquals: ['States.ALL'], IntervalSeconds: 5, BackoffRate: 2, MaxAttempts: PUT_EVENTS_RETRY.maxAttempts, JitterStrategy: 'FULL' }]);
    expect(definition.States[EVENT_STATE.sharedEventNotPut]).toEqual({ Type: 'Fail', Error: 'SharedEventNotPut', CausePath: '$.sharedEventError.Cause' });
    expect(definition.States[EVENT_STATE.sharedEventsPut]).toBeUndefined();
  });

  test('with notifyTargetAccounts, SharedEventsPut ends the run: Succeeded with the run result as output, or SharedEventNotPut with the step\'s cause', () => {
    const definition = definitionOf(build({ notifyTargetAccounts: true }).template);
    expect(definition.States[EVENT_STATE.sharedEventsPut]).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.sharedEventError', IsPresent: true, Next: EVENT_STATE.sharedEventNotPut }],
      Default: EVENT_STATE.succeeded,
    });
    expect(definition.States[EVENT_STATE.sharedEventNotPut]).toEqual({ Type: 'Fail', Error: 'SharedEventNotPut', CausePath: '$.sharedEventError.Cause' });
    expect(definition.States[EVENT_STATE.succeeded]).toEqual({ Type: 'Succeed', OutputPath: '$.run' });
  });

  test('PublishSnapshotFailed puts CleanUpFailedRun\'s failedEvent before the Fail state, and its own failure still ends in Failed', () => {
    const definition = definitionOf(build().template);
    expect(definition.States.CleanUpFailedRun.Next).toBe(EVENT_STATE.publishFailed);
    expect(definition.States[EVENT_STATE.publishFailed]).toMatchObject({
      Resource: PUT_EVENTS,
      Parameters: { Entries: [{ 'Detail.$': '$.failedEvent', 'DetailType': EVENT_DETAIL_TYPE.failed, 'Source': EVENT_SOURCE }] },
      ResultPath: null,
      Next: 'Failed',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.publishError', Next: 'Failed' }],
    });
  });

  test('a failed Prepare reaches the clean-up only nested under executionInput', () => {
    const definition = definitionOf(build().template);
    expect(definition.States[EVENT_STATE.prepareFailed]).toEqual({
      Type: 'Pass', Parameters: { 'error.$': '$.error', 'executionInput.$': '$' }, Next: 'CleanUpFailedRun',
    });
  });

  test('without notifyTargetAccounts the state machine may put events on this account\'s default bus only', () => {
    expect(putEventsResources({})).toEqual([busOf('111111111111')]);
    expect(Object.keys(definitionOf(build().template).States).filter((name) => name.startsWith(EVENT_STATE.notifyTargetPrefix))).toEqual([]);
  });

  test('notifyTargetAccounts: one PutEvents per target bus, named by ARN, each caught on its own; IAM on exactly those buses', () => {
    const { template } = build({ notifyTargetAccounts: true });
    const definition = definitionOf(template);
    expect(definition.States[EVENT_STATE.publishShared].Next).toBe('NotifyTarget222222222222');
    for (const [account, next] of [['222222222222', 'NotifyTarget333333333333'], ['333333333333', EVENT_STATE.sharedEventsPut]]) {
      const notify = definition.States[`NotifyTarget${account}`];
      expect(notify).toMatchObject({
        Resource: PUT_EVENTS,
        ResultPath: null,
        Next: next,
        Parameters: { Entries: [{ 'Detail.$': '$.run', 'DetailType': EVENT_DETAIL_TYPE.shared, 'EventBusName': `arn:aws:events:eu-west-1:${account}:event-bus/default` }] },
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.sharedEventError', Next: next }],
      });
    }
    expect(putEventsResources({ notifyTargetAccounts: true }).sort()).toEqual([
      busOf('111111111111'), busOf('222222222222'), busOf('333333333333'),
    ].sort());
  });

  test('20 targets: 20 notification steps of one entry each, and IAM on the 21 buses', () => {
    const definition = definitionOf(build({ notifyTargetAccounts: true, targetAccountIds: ACCOUNTS }).template);
    const notify = Object.keys(definition.States).filter((name) => name.startsWith(EVENT_STATE.notifyTargetPrefix));
    expect(notify.sort()).toEqual(ACCOUNTS.map((account) => `NotifyTarget${account}`).sort());
    expect(notify.every((name) => definition.States[name].Parameters.Entries.length === 1)).toBe(true);
    expect(putEventsResources({ notifyTargetAccounts: true, targetAccountIds: ACCOUNTS })).toHaveLength(21);
  });

  test('the execution timeout is unchanged by the event steps', () => {
    const a = build({ snapshotTimeout: Duration.hours(2) }).template;
    const b = build({ snapshotTimeout: Duration.hours(2), notifyTargetAccounts: true }).template;
    expect(definitionOf(a).TimeoutSeconds).toBe(definitionOf(b).TimeoutSeconds);
    b.hasResourceProperties('AWS::StepFunctions::StateMachine', { DefinitionString: Match.anyValue() });
  });
});

// The synthesized definition run locally (aws-local-stepfunctions), each Lambda step replaced by a
// stub that returns what the real handler returns, and PutEvents recorded: the Entries as Step
// Functions evaluates them.
describe('the event steps, run locally', () => {
  const RUN_RESULT = {
    clusterIdentifier: 'orders-db',
    snapshotIdentifier: 'shared-orders-db-202611270300-u66vbj',
    snapshotArn: 'arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:shared-orders-db-202611270300-u66vbj',
    kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/1',
    sharedWith: ['222222222222', '333333333333'],
    runId: '202611270300',
    snapshotCreateTime: '2026-11-27T03:10:00.000Z',
  };
  const PLAN = { clusterIdentifier: 'orders-db', runId: '202611270300', sharedSnapshotIdentifier: RUN_RESULT.snapshotIdentifier, copyRequired: false };

  async function run(options: { notify?: boolean; failAt?: string; putEventsFails?: string[] } = {}) {
    const definition = definitionOf(build({ notifyTargetAccounts: options.notify }).template);
    const puts: Array<{ state: string; input: Json }> = [];
    const states: string[] = [];
    const lambda = (name: string, output: (input: Json) => unknown) => async (input: Json) => {
      if (options.failAt === name) throw Object.assign(new Error(`${name} failed`), { name: 'SnapshotQuotaExceeded' });
      return output(input);
    };
    const putEvents = (state: string) => async (input: Json) => {
      puts.push({ state, input });
      if (options.putEventsFails?.includes(state)) throw Object.assign(new Error('not accepted'), { name: 'EventBridge.FailedEntry' });
      return { FailedEntryCount: 0, Entries: input.Entries.map((_: unknown, i: number) => ({ EventId: `e-${i}` })) };
    };
    const local = new StateMachine(definition, { validationOptions: { checkArn: false } });
    const handlers: Record<string, (input: Json) => Promise<unknown>> = {
      Prepare: lambda('Prepare', () => PLAN),
      CreateSnapshot: lambda('CreateSnapshot', (i) => ({ ...i, awaitingSnapshotIdentifier: PLAN.sharedSnapshotIdentifier })),
      CheckSnapshot: lambda('CheckSnapshot', (i) => ({ ...i, snapshotArn: RUN_RESULT.snapshotArn })),
      ShareSnapshot: lambda('ShareSnapshot', (i) => ({ ...i, sharedWith: RUN_RESULT.sharedWith })),
      CleanUp: lambda('CleanUp', () => RUN_RESULT),
      CleanUpFailedRun: async (input: Json) => ({
        error: input.error,
        cleanedUp: {},
        failedEvent: { clusterIdentifier: 'orders-db', runId: '202611270300', error: input.error.Error, cause: input.error.Cause },
      }),
    };
    for (const name of Object.keys(definition.States)) if (definition.States[name].Resource === PUT_EVENTS) handlers[name] = putEvents(name);
    const execution = local.run({ clusterIdentifier: 'orders-db' }, {
      overrides: {
        taskResourceLocalHandlers: handlers as never,
        waitTimeOverrides: { WaitForSnapshot: 0 },
        retryIntervalOverrides: Object.fromEntries(Object.keys(definition.States).map((name) => [name, 0])),
      },
    });
    const logger = (async () => {
      for await (const event of execution.eventLogs) if (event.type === 'StateEntered') states.push(event.state.name);
    })();
    const output = await execution.result.then(
      (result) => ({ status: 'SUCCEEDED', result, error: undefined as string | undefined }),
      (error: Json) => ({ status: 'FAILED', result: undefined, error: (error?.cause?.name ?? error?.name) as string, cause: error?.cause?.message as string | undefined }));
    await logger;
    return { ...output, puts, states };
  }

  test('a successful run puts the Shared event with the run result as detail, and returns the run result', async () => {
    const { status, result, puts, states } = await run();
    expect(status).toBe('SUCCEEDED');
    expect(result).toEqual(RUN_RESULT);
    expect(states.slice(-2)).toEqual(['CleanUp', 'PublishSnapshotShared']);
    expect(puts).toEqual([{ state: 'PublishSnapshotShared', input: { Entries: [{ Detail: RUN_RESULT, DetailType: 'Cluster Snapshot Shared', Source: EVENT_SOURCE }] } }]);
  });

  test('notifyTargetAccounts: the same detail to each target account\'s bus', async () => {
    const { status, result, puts, states } = await run({ notify: true });
    expect(status).toBe('SUCCEEDED');
    expect(result).toEqual(RUN_RESULT);
    expect(states.slice(-2)).toEqual(['SharedEventsPut', 'Succeeded']);
    expect(puts.map((p) => p.state)).toEqual(['PublishSnapshotShared', 'NotifyTarget222222222222', 'NotifyTarget333333333333']);
    expect(puts.slice(1).map((p) => p.input.Entries)).toEqual(['222222222222', '333333333333'].map((account) => [{
      Detail: RUN_RESULT, DetailType: 'Cluster Snapshot Shared', Source: EVENT_SOURCE, EventBusName: `arn:aws:events:eu-west-1:${account}:event-bus/default`,
    }]));
  });

  test('a target bus that refuses is retried alone; the next target still gets the unchanged detail; the run fails SharedEventNotPut, cleaning nothing up', async () => {
    const { status, error, puts, states } = await run({ notify: true, putEventsFails: ['NotifyTarget222222222222'] });
    expect(status).toBe('FAILED');
    expect(error).toBe('SharedEventNotPut');
    expect(puts.map((p) => p.state)).toEqual([
      'PublishSnapshotShared', ...Array(PUT_EVENTS_RETRY.maxAttempts! + 1).fill('NotifyTarget222222222222'), 'NotifyTarget333333333333',
    ]);
    expect(puts[puts.length - 1].input.Entries[0].Detail).toEqual(RUN_RESULT);
    expect(states).not.toContain('CleanUpFailedRun');
    expect(states).not.toContain('PublishSnapshotFailed');
    expect(states.slice(-2)).toEqual(['SharedEventsPut', 'SharedEventNotPut']);
  });

  test('a failed run puts the Failed event, then fails with the original error', async () => {
    const { status, error, puts, states } = await run({ failAt: 'ShareSnapshot' });
    expect(status).toBe('FAILED');
    expect(error).toBe('SnapshotQuotaExceeded');
    expect(states.slice(-3)).toEqual(['CleanUpFailedRun', 'PublishSnapshotFailed', 'Failed']);
    expect(puts).toEqual([{
      state: 'PublishSnapshotFailed',
      input: { Entries: [{ Detail: expect.objectContaining({ clusterIdentifier: 'orders-db', error: 'SnapshotQuotaExceeded' }), DetailType: 'Cluster Snapshot Failed', Source: EVENT_SOURCE }] },
    }]);
  });

  test('a failed Prepare goes through PrepareFailed and the Failed event too', async () => {
    const { error, states } = await run({ failAt: 'Prepare' });
    expect(error).toBe('SnapshotQuotaExceeded');
    expect(states).toEqual(['StartDelayed', 'Prepare', 'PrepareFailed', 'CleanUpFailedRun', 'PublishSnapshotFailed', 'Failed']);
  });

  test('a Failed event that cannot be put does not hide the original error', async () => {
    const { error, puts } = await run({ failAt: 'CleanUp', putEventsFails: ['PublishSnapshotFailed'] });
    expect(error).toBe('SnapshotQuotaExceeded');
    expect(puts.filter((p) => p.state === 'PublishSnapshotFailed')).toHaveLength(PUT_EVENTS_RETRY.maxAttempts! + 1);
  });

  test('a Shared event that cannot be put on this account\'s bus fails the run after the share (the failure alarm tells), without the Failed event', async () => {
    for (const notify of [false, true]) {
      const { status, error, puts, states } = await run({ notify, putEventsFails: ['PublishSnapshotShared'] });
      expect(status).toBe('FAILED');
      expect(error).toBe('SharedEventNotPut');
      expect(states).not.toContain('CleanUpFailedRun');
      expect(puts.map((p) => p.state)).not.toContain('PublishSnapshotFailed');
      // With targets to notify, they still are: the snapshot is shared.
      expect(puts.map((p) => p.state).slice(-2)).toEqual(notify
        ? ['NotifyTarget222222222222', 'NotifyTarget333333333333']
        : ['PublishSnapshotShared', 'PublishSnapshotShared']);
      expect(states[states.length - 1]).toBe('SharedEventNotPut');
    }
  });
});
