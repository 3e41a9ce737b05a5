import { DescribeAccountAttributesCommand, RDSClient } from '@aws-sdk/client-rds';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { ACCOUNT, handlerEnv, STATE_MACHINE_ARN, TARGET_ACCOUNT_IDS } from './helpers';
import { ENV, ERROR } from '../../../src/shared/constants';
import { handler } from '../../../src/sharing/handlers/start-executions.lambda';

// An environment-agnostic stack (the `cdk init` default) cannot refuse its own account as a target
// at synth: the starter refuses it at run time, reading the account from the state machine's ARN.

const rdsMock = mockClient(RDSClient);
const sfnMock = mockClient(SFNClient);
const ORIGINAL_ENV = process.env;
const EVENT = { scheduledTime: '2026-11-27T03:00:00Z' };

beforeEach(() => {
  rdsMock.reset();
  sfnMock.reset();
  rdsMock.on(DescribeAccountAttributesCommand).resolves({ AccountQuotas: [{ AccountQuotaName: 'ManualClusterSnapshots', Used: 0, Max: 100 }] });
  sfnMock.on(StartExecutionCommand).resolves({ executionArn: `arn:aws:states:eu-west-1:${ACCOUNT}:execution:x:y`, startDate: new Date() });
});

afterEach(() => {
  process.env = ORIGINAL_ENV;
});

function givenTargets(targets: string[], stateMachineArn = STATE_MACHINE_ARN): void {
  process.env = { ...ORIGINAL_ENV, ...handlerEnv({ [ENV.TARGET_ACCOUNT_IDS]: targets.join(','), [ENV.STATE_MACHINE_ARN]: stateMachineArn }) };
}

describe('the starter refuses its own account as a target', () => {
  test('fails with TargetIsOwnAccount, naming the account and the prop, before any AWS call', async () => {
    givenTargets([TARGET_ACCOUNT_IDS[0], ACCOUNT]);
    const error = await handler(EVENT).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe(ERROR.TargetIsOwnAccount);
    expect((error as Error).message).toMatch(/^targetAccountIds contains '111111111111', which is the account this construct runs in: .*Nothing was started/);
    expect(rdsMock.calls()).toHaveLength(0);
    expect(sfnMock.calls()).toHaveLength(0);
  });

  test('the account is the one in the state machine ARN, in any partition', async () => {
    givenTargets(['444444444444'], 'arn:aws-cn:states:cn-north-1:444444444444:stateMachine:SharedClusterSnapshots');
    await expect(handler(EVENT)).rejects.toMatchObject({ name: ERROR.TargetIsOwnAccount });
  });

  test('other accounts start as usual', async () => {
    givenTargets(TARGET_ACCOUNT_IDS);
    await expect(handler(EVENT)).resolves.toMatchObject({ started: ['orders-db'], failed: [] });
    expect(sfnMock.commandCalls(StartExecutionCommand)[0].args[0].input.stateMachineArn).toBe(STATE_MACHINE_ARN);
  });

  test('a state machine ARN without an account is refused as invalid input, naming the variable', async () => {
    givenTargets(TARGET_ACCOUNT_IDS, 'not-an-arn');
    await expect(handler(EVENT)).rejects.toMatchObject({ name: ERROR.InvalidInput, message: expect.stringContaining(ENV.STATE_MACHINE_ARN) });
    expect(sfnMock.calls()).toHaveLength(0);
  });
});
