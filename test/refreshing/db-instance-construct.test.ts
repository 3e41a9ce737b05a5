import { Template } from 'aws-cdk-lib/assertions';
import { refreshStack, synthRefresh } from './stack';
import { DatabaseKind, RefreshMode } from '../../src';
import { REFRESH_STATE } from '../../src/refreshing/workflow';
import { REFRESH_ENV } from '../../src/shared/constants';

const INSTANCE = { kind: DatabaseKind.DB_INSTANCE, sourceClusterIdentifier: 'orders-pg' };

describe('RefreshedDatabase of a DB instance', () => {
  test('the same path as an Aurora cluster\'s, without CreateInstances: the restore creates the instance whole', () => {
    const { states, definition, refreshed, template } = synthRefresh(INSTANCE);
    const S = REFRESH_STATE;
    const path: string[] = [];
    for (let state = definition.StartAt as string; state; state = states[state].Next ?? states[state].Default) path.push(state);
    expect(path).toEqual([S.prepare, S.upToDate, S.deleteObsolete, S.restore, S.waitForRestore, S.checkRestored,
      S.resetMasterPassword, S.waitForInstances, S.checkReady, S.renameServingAway, S.renameIntoPlace, S.waitForRename, S.checkServing,
      S.publishRefreshed, S.refreshed]);
    expect(states[S.createInstances]).toBeUndefined();
    for (const state of [S.checkRestored, S.resetMasterPassword, S.checkReady]) {
      expect(states[state].Catch.map((c: any) => c.Next)).toEqual([S.cleanUp]);
      expect(states[state].Retry.some((r: any) => r.ErrorEquals.includes('DatabaseNotReady'))).toBe(true);
    }
    expect(refreshed.handlers.createInstances).toBeUndefined();
    expect(Object.values(template.findResources('AWS::Lambda::Function')).map((f: any) => f.Properties.Handler)).not.toContain('refreshing.createInstances');
    expect(states[S.publishRefreshed].Parameters.Entries[0].Detail.kind).toBe('db-instance');
  });

  test('the restore settings hold what a DB instance restore takes, and no Aurora capacity', () => {
    const { environment } = synthRefresh({ ...INSTANCE, optionGroupName: 'oracle-tz', parameterGroupName: 'staging-pg16', port: 5433 });
    expect(environment[REFRESH_ENV.KIND]).toBe('db-instance');
    expect(environment[REFRESH_ENV.SOURCE_CLUSTER]).toBe('orders-pg');
    expect(JSON.parse(environment[REFRESH_ENV.RESTORE_SETTINGS])).toEqual({
      subnetGroupName: expect.stringMatching(/^Subnets/),
      securityGroupIds: [expect.stringMatching(/^DatabaseGroup/)],
      parameterGroupName: 'staging-pg16',
      optionGroupName: 'oracle-tz',
      port: 5433,
      deletionProtection: true,
      tags: {},
    });
    expect(JSON.parse(synthRefresh({ ...INSTANCE, instanceClass: 'db.t4g.medium' }).environment[REFRESH_ENV.RESTORE_SETTINGS]).instanceClass).toBe('db.t4g.medium');
  });

  test('a restore test from the VPC may reach every DB instance engine\'s default port, or the one port given', () => {
    const ports = (port?: number) => {
      const { stack } = refreshStack({ ...INSTANCE, mode: RefreshMode.RESTORE_TEST, port }, {}, (_, vpc) => ({ vpc }));
      const rules = Template.fromStack(stack).findResources('AWS::EC2::SecurityGroupIngress');
      return Object.values(rules).map((r: any) => r.Properties.FromPort).sort((a, b) => a - b);
    };
    expect(ports()).toEqual([1433, 1521, 3306, 5432, 50000]);
    expect(ports(5433)).toEqual([5433]);
  });
});
