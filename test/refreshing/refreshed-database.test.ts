import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { refreshStack, userFunction } from './stack';
import { readTemplate } from '../../sim/template';
import { OwnedClusterSnapshotCopies, PostRestoreStep, RefreshedDatabaseProps } from '../../src';
import { REFRESH_STATE } from '../../src/refreshing/workflow';
import { REFRESH_ENV } from '../../src/shared/constants';

/** The refresh's state machine definition and its functions' environment, as the simulator reads them. */
function synth(props: Partial<RefreshedDatabaseProps> = {}, withStep = false) {
  const built = refreshStack(props, {}, withStep ? (stack) => ({ postRestore: PostRestoreStep.fromFunction(userFunction(stack)) }) : undefined);
  const template = Template.fromStack(built.stack);
  const read = readTemplate(template.toJSON() as any);
  const definition = read.instances.find((i) => JSON.stringify(i.definition).includes(REFRESH_STATE.prepare))!.definition;
  const environment = [...read.functions.values()].find((f) => REFRESH_ENV.RESTORE_SETTINGS in f.environment)!.environment;
  return { ...built, template, definition, environment, states: definition.States as Record<string, any> };
}

describe('RefreshedDatabase', () => {
  test('one path through restore, instances, password, checks and swap, with the failure paths named', () => {
    const { states, definition } = synth();
    const S = REFRESH_STATE;
    const path: string[] = [];
    for (let state = definition.StartAt as string; state; state = states[state].Next ?? states[state].Default) path.push(state);
    expect(path).toEqual([S.prepare, S.upToDate, S.deleteObsolete, S.restore, S.waitForRestore, S.checkRestored, S.createInstances,
      S.resetMasterPassword, S.waitForInstances, S.checkReady, S.renameServingAway, S.renameIntoPlace, S.waitForRename, S.checkServing,
      S.publishRefreshed, S.refreshed]);
    const catchOf = (state: string) => states[state].Catch.map((c: any) => c.Next);
    expect(catchOf(S.prepare)).toEqual([S.publishFailed]);
    for (const state of [S.deleteObsolete, S.restore, S.checkRestored, S.createInstances, S.resetMasterPassword, S.checkReady]) {
      expect(catchOf(state)).toEqual([S.cleanUp]);
    }
    for (const state of [S.renameServingAway, S.renameIntoPlace, S.checkServing]) expect(catchOf(state)).toEqual([S.swapFailed]);
    expect(states[S.swapFailed]).toMatchObject({ Type: 'Pass', Parameters: { 'Error': 'SwapFailed', 'Cause.$': 'States.JsonToString($.caught)' }, Next: S.rollBackNames });
    expect(states[S.rollBackNames]).toMatchObject({ Next: S.cleanUp, Catch: [{ Next: S.rollbackFailed }] });
    expect(states[S.rollbackFailed].Next).toBe(S.publishFailed);
    expect(states[S.cleanUp].Next).toBe(S.publishFailed);
    expect(states[S.failed]).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
    expect(states[S.publishFailed]).toMatchObject({
      Resource: 'arn:aws:states:::events:putEvents',
      Parameters: { Entries: [{ DetailType: 'Database Refresh Failed', Source: 'cdk-shared-cluster-snapshots', Detail: { 'databaseIdentifier': 'orders-staging', 'error.$': '$.error.Error' } }] },
    });
    expect(states[S.upToDate].Choices).toEqual([{ Variable: '$.plan.upToDate', BooleanEquals: true, Next: S.alreadyFresh }]);
  });

  test('each wait is bounded by its timeout in checks of waitInterval', () => {
    const { states } = synth({ waitInterval: Duration.minutes(2), restoreTimeout: Duration.hours(2) });
    const retryOf = (state: string, error: string) => states[state].Retry.find((r: any) => r.ErrorEquals.includes(error));
    for (const state of [REFRESH_STATE.checkRestored, REFRESH_STATE.createInstances, REFRESH_STATE.resetMasterPassword, REFRESH_STATE.checkReady]) {
      expect(retryOf(state, 'DatabaseNotReady')).toEqual({ ErrorEquals: ['DatabaseNotReady'], IntervalSeconds: 120, MaxAttempts: 61, BackoffRate: 1 });
    }
    expect(retryOf(REFRESH_STATE.rollBackNames, 'DatabaseNotReady')).toMatchObject({ IntervalSeconds: 120, MaxAttempts: 31 });
    expect(retryOf(REFRESH_STATE.cleanUp, 'DeletionInProgress')).toMatchObject({ IntervalSeconds: 120, MaxAttempts: 61 });
    expect(states[REFRESH_STATE.waitForRestore]).toMatchObject({ Type: 'Wait', Seconds: 120 });
  });

  test('the post-restore step runs between the checks and the swap, and its failure is PostRestoreFailed', () => {
    const { states } = synth({ postRestoreTimeout: Duration.minutes(20) }, true);
    expect(states[REFRESH_STATE.checkReady].Next).toBe(REFRESH_STATE.postRestore);
    expect(states[REFRESH_STATE.postRestore]).toMatchObject({
      Next: REFRESH_STATE.renameServingAway,
      TimeoutSeconds: 1200,
      Parameters: { 'databaseIdentifier.$': '$.restored.identifier', 'masterUserSecretArn.$': '$.restored.masterUserSecretArn', 'stableIdentifier': 'orders-staging' },
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.caught', Next: REFRESH_STATE.postRestoreFailed }],
    });
    expect(states[REFRESH_STATE.postRestoreFailed]).toMatchObject({ Parameters: { Error: 'PostRestoreFailed' }, Next: REFRESH_STATE.cleanUp });
  });

  test('with keepPrevious, the execution keeps the previous database that long, then deletes it', () => {
    const { states } = synth({ keepPrevious: Duration.hours(12) });
    expect(states[REFRESH_STATE.publishRefreshed].Next).toBe(REFRESH_STATE.previousToKeep);
    expect(states[REFRESH_STATE.previousToKeep]).toEqual({
      Type: 'Choice', Choices: [{ Variable: '$.swap.previousIdentifier', IsNull: true, Next: REFRESH_STATE.refreshed }], Default: REFRESH_STATE.keepPrevious,
    });
    expect(states[REFRESH_STATE.keepPrevious]).toEqual({ Type: 'Wait', Seconds: 43_200, Next: REFRESH_STATE.deletePrevious });
    expect(states[REFRESH_STATE.deletePrevious]).toMatchObject({ Next: REFRESH_STATE.refreshed, Parameters: { 'step': 'previous', 'state.$': '$' } });
  });

  test('the restore settings travel to the handlers as one JSON value', () => {
    const { environment, template } = synth({
      instanceClass: 'db.r6g.large', instances: 2, tags: { team: 'data' }, deletionProtection: false, parameterGroupName: 'staging-params',
    });
    expect(JSON.parse(environment[REFRESH_ENV.RESTORE_SETTINGS])).toEqual({
      subnetGroupName: expect.stringMatching(/^Subnets/),
      securityGroupIds: [expect.stringMatching(/^DatabaseGroup/)],
      parameterGroupName: 'staging-params',
      instanceClass: 'db.r6g.large',
      instances: 2,
      deletionProtection: false,
      tags: { team: 'data' },
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'refreshing.swapNames', Runtime: 'nodejs22.x', Architectures: ['arm64'] });
  });

  test('Serverless v2 by default, at 0.5 to 4 ACU, deletion protection on, the copy\'s key unless another is given', () => {
    const { environment } = synth();
    expect(JSON.parse(environment[REFRESH_ENV.RESTORE_SETTINGS])).toMatchObject({
      instanceClass: 'db.serverless', serverlessV2: { MinCapacity: 0.5, MaxCapacity: 4 }, instances: 1, deletionProtection: true,
    });
    expect(JSON.parse(environment[REFRESH_ENV.RESTORE_SETTINGS]).kmsKeyId).toBeUndefined();
  });

  test('a daily schedule, an hourly data age, a staleness alarm on it and a failure alarm', () => {
    const { template } = synth({ maxDataAge: Duration.hours(30) });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 5 * * ? *)', Description: Match.stringLikeRegexp('refresh of orders-staging') });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 hour)' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ServingDataAge',
      Namespace: 'SharedClusterSnapshots',
      Threshold: 108_000,
      Period: 3600,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      TreatMissingData: 'breaching',
      Statistic: 'Maximum',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'failed + timedOut + aborted + starterErrors' })]), Threshold: 1,
    });
  });

  test('takes its copies from a ReceivedClusterSnapshots or from a receiver named by attributes', () => {
    const { received, environment } = synth();
    expect(environment[REFRESH_ENV.COPY_PREFIX]).toBe(received.copyPrefix);
    expect(environment[REFRESH_ENV.COPY_OWNER_ID]).toBe(received.ownerId);
    const elsewhere = synth({
      source: OwnedClusterSnapshotCopies.fromAttributes({
        copyPrefix: 'dr', ownerId: 'c8abc', encryptionKey: kms.Key.fromKeyArn(refreshStack().stack, 'K', 'arn:aws:kms:eu-west-1:222222222222:key/k'),
      }),
    });
    expect([elsewhere.environment[REFRESH_ENV.COPY_PREFIX], elsewhere.environment[REFRESH_ENV.COPY_OWNER_ID]]).toEqual(['dr', 'c8abc']);
  });
});
