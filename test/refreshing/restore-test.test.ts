import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ENVIRONMENT, failure, plan, useWorld } from './handler-world';
import { refreshStack } from './stack';
import { readTemplate } from '../../sim/template';
import { RefreshMode } from '../../src';
import { handler as checkConnection } from '../../src/refreshing/handlers/check-connection.lambda';
import { handler as recordRestoreTest, restoreTestRecord } from '../../src/refreshing/handlers/record-restore-test.lambda';
import { REFRESH_STATE } from '../../src/refreshing/workflow';
import { REFRESH_ENV } from '../../src/shared/constants';

describe('restore-test mode, the construct', () => {
  const test_ = () => refreshStack({ mode: RefreshMode.RESTORE_TEST }, {}, (_stack, vpc) => ({
    vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
  }));

  test('restores, checks, deletes and records; every failure deletes, records and fails by its own name', () => {
    const { stack, refreshed } = test_();
    const read = readTemplate(Template.fromStack(stack).toJSON() as any);
    const states = read.instances.find((i) => JSON.stringify(i.definition).includes(REFRESH_STATE.checkConnection))!.definition.States;
    const S = REFRESH_STATE;
    expect(states[S.checkReady].Next).toBe(S.checkConnection);
    expect(states[S.checkConnection]).toMatchObject({ Next: S.deleteTested, Catch: [{ Next: S.deleteFailedTest }] });
    expect(states[S.deleteTested]).toMatchObject({ Next: S.recordPassed, Parameters: { step: 'tested' } });
    expect(states[S.recordPassed]).toMatchObject({ Next: S.publishTested, Parameters: { 'passed': true, 'state.$': '$' } });
    expect(states[S.publishTested]).toMatchObject({ Next: S.tested, Parameters: { Entries: [{ 'DetailType': 'Database Restore Tested', 'Detail.$': '$.result' }] } });
    expect(states[S.prepare].Catch[0].Next).toBe(S.deleteFailedTest);
    expect(states[S.restore].Catch[0].Next).toBe(S.deleteFailedTest);
    expect(states[S.deleteFailedTest].Next).toBe(S.recordFailed);
    expect(states[S.recordFailed]).toMatchObject({ Next: S.publishTestFailed, Parameters: { passed: false } });
    expect(states[S.testFailed]).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
    expect(Object.keys(states)).not.toContain(S.renameServingAway);
    expect(Object.keys(refreshed.handlers).sort()).toEqual([
      'checkConnection', 'checkDatabase', 'createInstances', 'deleteDatabases', 'prepareRefresh', 'recordRestoreTest', 'resetMasterPassword', 'restoreDatabase', 'startRefresh',
    ]);
    expect(refreshed.stalenessAlarm).toBeUndefined();
    const environment = [...read.functions.values()].find((f) => REFRESH_ENV.MODE in f.environment)!.environment;
    expect([environment[REFRESH_ENV.MODE], environment[REFRESH_ENV.CONNECT]]).toEqual(['restore-test', 'true']);
  });

  test('the functions\' security group may reach the database\'s port, and the database lets it in', () => {
    const { stack } = test_();
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432 });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, Description: Match.stringLikeRegexp('restore test') });
  });

  test('refuses the refresh-only props', () => {
    expect(() => refreshStack({ mode: RefreshMode.RESTORE_TEST, keepPrevious: Duration.hours(1), deletionProtection: false }))
      .toThrow(/keepPrevious is given in RefreshMode.RESTORE_TEST.*\n.*deletionProtection is given in RefreshMode.RESTORE_TEST/);
  });
});

describe('CheckConnection and RecordRestoreTest', () => {
  useWorld();

  test('outside a VPC the check is that the database is available; inside one it must accept a connection', async () => {
    expect(await checkConnection({ endpoint: 'db.cluster-x.eu-west-1.rds.amazonaws.com', port: 5432 })).toEqual({
      connected: false, endpoint: 'db.cluster-x.eu-west-1.rds.amazonaws.com', port: 5432,
    });
    expect(await failure(checkConnection({ endpoint: '', port: 5432 }))).toMatch(/^InvalidInput: The CheckConnection input needs the database's endpoint and port/);
    process.env[REFRESH_ENV.CONNECT] = 'true';
    // Nothing listens on port 1 of this host: the connection is refused at once.
    expect(await failure(checkConnection({ endpoint: '127.0.0.1', port: 1 }))).toMatch(/^RestoreTestFailed: The restored database at 127.0.0.1:1 did not accept a connection: ECONNREFUSED/);
  });

  test('records the result as the event detail, and a metric of 1 or 0', async () => {
    expect(await recordRestoreTest({ passed: true, state: { plan: plan() as any } })).toEqual({
      databaseIdentifier: 'orders-staging-202611280500',
      sourceSnapshotArn: 'arn:aws:rds:eu-west-1:111111111111:cluster-snapshot:received-new',
      sourceSnapshotTime: '2026-11-28T03:00:00.000Z',
      passed: true,
    });
    expect(await recordRestoreTest({ passed: false, state: { error: { Error: 'NoCopyAvailable', Cause: 'none' } } })).toEqual({
      databaseIdentifier: 'orders-staging', sourceSnapshotArn: undefined, sourceSnapshotTime: undefined, passed: false, error: 'NoCopyAvailable', cause: 'none',
    });
    expect(restoreTestRecord(ENVIRONMENT.OWNER_ID, { databaseIdentifier: 'x', passed: false, error: 'RestoreFailed' }, 0)).toEqual({
      _aws: { Timestamp: 0, CloudWatchMetrics: [{ Namespace: 'SharedClusterSnapshots', Dimensions: [['OwnerId']], Metrics: [{ Name: 'RestoreTestPassed', Unit: 'Count' }] }] },
      OwnerId: 'refresh-owner-1',
      Database: 'x',
      RestoreTestPassed: 0,
      error: 'RestoreFailed',
    });
  });
});
