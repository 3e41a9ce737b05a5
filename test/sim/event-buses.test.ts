import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { copiesIn, handoff, sourceRun, SOURCE_ACCOUNT, TARGET_ACCOUNT } from './handoff-harness';
import { REGION } from '../../sim/aws-env';
import { matchesPattern } from '../../sim/event-pattern';
import { HandoffSimulation } from '../../sim/handoff';
import { EVENT_DETAIL_TYPE } from '../../src/shared/constants';

// The simulator's EventBridge: a state machine's optimized `events:putEvents` task in one account,
// a bus policy and a rule with a state machine target in another (the shapes the source side's
// tasks and rules take), and the receiver's own confirmation task.

type CfnTemplate = { Resources: Record<string, any> };

function sender(account: string, to: string): CfnTemplate {
  const stack = new Stack(new App(), 'Sender', { env: { account, region: REGION } });
  const bus = events.EventBus.fromEventBusArn(stack, 'Bus', `arn:aws:events:${REGION}:${to}:event-bus/default`);
  const put = new tasks.EventBridgePutEvents(stack, 'Put', { entries: [{ eventBus: bus, source: 'sim.test', detailType: 'Ping', detail: sfn.TaskInput.fromObject({ n: 1 }) }] });
  new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(put) });
  return Template.fromStack(stack).toJSON() as CfnTemplate;
}

function receiver(account: string, allow: string[]): CfnTemplate {
  const stack = new Stack(new App(), 'Receiver', { env: { account, region: REGION } });
  const machine = new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Got')) });
  if (allow.length > 0) {
    new events.CfnEventBusPolicy(stack, 'Allow', {
      eventBusName: 'default',
      statementId: 'allow',
      statement: { Effect: 'Allow', Principal: { AWS: allow.map((a) => `arn:aws:iam::${a}:root`) }, Action: 'events:PutEvents', Resource: `arn:aws:events:${REGION}:${account}:event-bus/default`, Condition: { StringEquals: { 'events:source': 'sim.test' } } },
    });
  }
  new events.Rule(stack, 'Rule', { eventPattern: { source: ['sim.test'], detailType: ['Ping'] }, targets: [new targets.SfnStateMachine(machine)] });
  return Template.fromStack(stack).toJSON() as CfnTemplate;
}

/** A rule on the sender's own bus whose target is the other account's default bus. */
function forwarder(account: string, to: string): CfnTemplate {
  const stack = new Stack(new App(), 'Forwarder', { env: { account, region: REGION } });
  new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Idle')) });
  const bus = events.EventBus.fromEventBusArn(stack, 'Bus', `arn:aws:events:${REGION}:${to}:event-bus/default`);
  new events.Rule(stack, 'Forward', { eventPattern: { source: ['sim.test'] }, targets: [new targets.EventBus(bus)] });
  return Template.fromStack(stack).toJSON() as CfnTemplate;
}

let sim: HandoffSimulation;
afterEach(() => sim?.dispose());

function twoAccounts(allow: string[]): HandoffSimulation {
  return new HandoffSimulation({
    accounts: [
      { account: SOURCE_ACCOUNT, templates: [sender(SOURCE_ACCOUNT, TARGET_ACCOUNT)] },
      { account: TARGET_ACCOUNT, templates: [receiver(TARGET_ACCOUNT, allow)] },
    ],
  });
}

describe('putEvents tasks, bus policies and rules', () => {
  test('an allowed cross-account event starts the matching rule\'s state machine with the event as input', async () => {
    sim = twoAccounts([SOURCE_ACCOUNT]);
    const execution = sim.account(SOURCE_ACCOUNT).startExecution({});
    await sim.runUntilIdle();
    expect(execution.status).toBe('SUCCEEDED');
    const [received] = sim.account(TARGET_ACCOUNT).executions;
    expect(received.status).toBe('SUCCEEDED');
    expect(received.input).toMatchObject({ 'account': SOURCE_ACCOUNT, 'source': 'sim.test', 'detail-type': 'Ping', 'detail': { n: 1 }, 'region': REGION });
    // The optimized integration adds the execution and state machine ARNs to Resources.
    expect(received.input.resources).toEqual([execution.stateMachineArn, execution.arn]);
  });

  test('without a bus policy for the sender the entry fails: the task fails with EventBridge.FailedEntry, nothing starts', async () => {
    sim = twoAccounts([]);
    const execution = sim.account(SOURCE_ACCOUNT).startExecution({});
    await sim.runUntilIdle();
    expect([execution.status, execution.error]).toEqual(['FAILED', 'EventBridge.FailedEntry']);
    expect(sim.buses.records.map((r) => r.outcome)).toEqual(['refused']);
    expect(sim.account(TARGET_ACCOUNT).executions).toEqual([]);
  });

  test('a rule whose target is another account\'s bus forwards the event, its account unchanged', async () => {
    sim = new HandoffSimulation({
      accounts: [
        { account: SOURCE_ACCOUNT, templates: [forwarder(SOURCE_ACCOUNT, TARGET_ACCOUNT)] },
        { account: TARGET_ACCOUNT, templates: [receiver(TARGET_ACCOUNT, [SOURCE_ACCOUNT])] },
      ],
    });
    sim.putEvents(SOURCE_ACCOUNT, [{ Source: 'sim.test', DetailType: 'Ping', Detail: '{"n":2}' }]);
    await sim.runUntilIdle();
    expect(sim.buses.records.map((r) => [r.from, r.to, r.outcome])).toEqual([[SOURCE_ACCOUNT, SOURCE_ACCOUNT, 'delivered'], [SOURCE_ACCOUNT, TARGET_ACCOUNT, 'delivered']]);
    expect(sim.account(TARGET_ACCOUNT).executions.map((e) => [e.status, e.input.account, e.input.detail.n])).toEqual([['SUCCEEDED', SOURCE_ACCOUNT, 2]]);
  });

  test('a dropped event is accepted by PutEvents but reaches no rule', async () => {
    sim = twoAccounts([SOURCE_ACCOUNT]);
    sim.buses.faults = { drop: () => true };
    const execution = sim.account(SOURCE_ACCOUNT).startExecution({});
    await sim.runUntilIdle();
    expect(execution.status).toBe('SUCCEEDED');
    expect(sim.buses.records.map((r) => r.outcome)).toEqual(['dropped']);
    expect(sim.account(TARGET_ACCOUNT).executions).toEqual([]);
  });

  test('the receiver\'s confirmation to a source bus whose policy does not allow it fails ConfirmationFailed; the copy is kept', async () => {
    sim = handoff({ receiver: { confirmCopies: true } });
    await sourceRun(sim, 0);
    expect(sim.buses.to(SOURCE_ACCOUNT, EVENT_DETAIL_TYPE.copied).map((r) => [r.from, r.outcome])).toEqual([[TARGET_ACCOUNT, 'refused']]);
    expect(sim.account(TARGET_ACCOUNT).executions.map((e) => [e.status, e.error])).toEqual([['FAILED', 'ConfirmationFailed']]);
    expect(copiesIn(sim).map((c) => c.Status)).toEqual(['available']);
  });
});

describe('event patterns', () => {
  const event = { 'source': 'a', 'detail-type': 'T', 'account': '1', 'detail': { k: 'v-1', list: ['x', 'y'] } };
  test.each([
    [{ source: ['a'] }, true],
    [{ source: ['b'] }, false],
    [{ source: ['a'], account: ['2'] }, false],
    [{ detail: { k: [{ prefix: 'v-' }] } }, true],
    [{ detail: { list: ['y'] } }, true],
    [{ detail: { missing: [{ exists: false }] } }, true],
    [{ detail: { k: [{ 'anything-but': ['v-1'] }] } }, false],
  ])('%j matches: %s', (pattern, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });
});
