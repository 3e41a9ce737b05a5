import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { refreshStack, TARGET } from './stack';
import { readTemplate } from '../../sim/template';
import { DatabaseKind } from '../../src';
import { REFRESH_STATE } from '../../src/refreshing/workflow';
import { REFRESH_ENV } from '../../src/shared/constants';
import { statementProblems } from '../iam/reference';

const ZONE_ID = 'Z0123456789STAGING';
const zone = (stack: Stack) => route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: ZONE_ID, zoneName: 'staging.internal' });

describe('runOnNewCopy', () => {
  test('a rule on the default bus hands the receiver\'s events of this cluster, copy prefix and owner to the starter', () => {
    const { stack, refreshed, received } = refreshStack({ runOnNewCopy: true, sourceClusterIdentifier: 'Orders-DB', sourceAccountId: '111111111111' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'source': ['cdk-shared-cluster-snapshots'],
        'detail-type': ['Cluster Snapshot Received'],
        'account': [TARGET],
        'detail': {
          clusterIdentifier: ['orders-db'],
          copyPrefix: [received.copyPrefix],
          copyArn: [{ prefix: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:rds:eu-west-1:${TARGET}:cluster-snapshot:${received.copyPrefix}-`]] } }],
          ownerId: [received.ownerId],
          sourceAccount: ['111111111111'],
        },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [stack.getLogicalId(refreshed.handlers.startRefresh.node.defaultChild as any), 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 } })],
    });
    expect(refreshed.newCopyRule).toBeDefined();
    // The schedule stays, as the catch-up.
    template.resourceCountIs('AWS::Scheduler::Schedule', 3);
  });

  test('for a DB instance, the rule matches the receiver\'s DB snapshot copies of that instance, not cluster snapshot copies', () => {
    const { stack, received } = refreshStack({ runOnNewCopy: true, kind: DatabaseKind.DB_INSTANCE, sourceClusterIdentifier: 'orders-pg' });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        detail: Match.objectLike({
          clusterIdentifier: ['orders-pg'],
          copyArn: [{ prefix: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:rds:eu-west-1:${TARGET}:snapshot:${received.copyPrefix}-`]] } }],
        }),
      }),
    });
  });

  test('off by default: no rule of the refresh\'s', () => {
    const { refreshed } = refreshStack();
    expect(refreshed.newCopyRule).toBeUndefined();
  });
});

describe('endpointRecord', () => {
  function synth(ttl?: Duration) {
    const built = refreshStack({}, {}, (stack) => ({ endpointRecord: { zone: zone(stack), recordName: 'Orders', ttl } }));
    const template = Template.fromStack(built.stack);
    const read = readTemplate(template.toJSON() as any);
    const definition = read.instances.find((i) => JSON.stringify(i.definition).includes(REFRESH_STATE.prepare))!.definition;
    return { ...built, template, states: definition.States as Record<string, any>, functions: [...read.functions.values()] };
  }

  test('the swap points the CNAME (UPSERT, TTL 60 s by default) and waits until it is in sync; no rename', () => {
    const { states, functions, refreshed } = synth();
    expect(states[REFRESH_STATE.renameServingAway]).toBeUndefined();
    expect(refreshed.handlers.swapNames).toBeUndefined();
    expect(refreshed.handlers.swapRecord).toBeDefined();
    expect(states[REFRESH_STATE.pointRecord]).toMatchObject({
      Resource: expect.stringMatching(/:states:::aws-sdk:route53:changeResourceRecordSets$/),
      Parameters: {
        HostedZoneId: ZONE_ID,
        ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'orders.staging.internal', Type: 'CNAME', TTL: 60, ResourceRecords: [{ 'Value.$': '$.restored.endpoint' }] } }] },
      },
      Next: REFRESH_STATE.waitForRecord,
    });
    expect(states[REFRESH_STATE.recordInSync].Choices).toEqual([
      { Variable: '$.recordChange.status', StringEquals: 'INSYNC', Next: REFRESH_STATE.promoteNew },
      { Variable: '$.record.checks', NumericGreaterThanEquals: 60, Next: REFRESH_STATE.recordNotInSync },
    ]);
    for (const state of [REFRESH_STATE.pointRecord, REFRESH_STATE.checkRecord, REFRESH_STATE.promoteNew]) {
      expect(states[state].Catch.map((c: any) => c.Next)).toEqual([REFRESH_STATE.swapFailed]);
    }
    expect(states[REFRESH_STATE.swapFailed].Next).toBe(REFRESH_STATE.recordBefore);
    expect(states[REFRESH_STATE.restoreRecord].Parameters.ChangeBatch['Changes.$']).toBe('$.rollback.changes');
    expect(states[REFRESH_STATE.rollBackRoles].Next).toBe(REFRESH_STATE.cleanUp);
    const env = functions.find((f) => REFRESH_ENV.ENDPOINT_RECORD in f.environment)!.environment;
    expect(JSON.parse(env[REFRESH_ENV.ENDPOINT_RECORD])).toEqual({ name: 'orders.staging.internal', ttl: 60 });
  });

  test('the state machine may change only that CNAME in that zone, and read changes', async () => {
    const { stack, template, refreshed } = synth(Duration.seconds(30));
    const roleId = stack.getLogicalId(refreshed.stateMachine.role.node.defaultChild as any);
    const policy = Object.values(template.findResources('AWS::IAM::Policy')).find((p: any) => p.Properties.Roles.some((r: any) => r.Ref === roleId)) as any;
    const route53Statements = policy.Properties.PolicyDocument.Statement.filter((s: any) => [s.Action].flat().some((a: string) => a.startsWith('route53:')));
    const partition = { Ref: 'AWS::Partition' };
    expect(route53Statements).toEqual([
      {
        Effect: 'Allow',
        Action: 'route53:ChangeResourceRecordSets',
        Resource: { 'Fn::Join': ['', ['arn:', partition, `:route53:::hostedzone/${ZONE_ID}`]] },
        Condition: {
          'ForAllValues:StringEquals': {
            'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['orders.staging.internal'],
            'route53:ChangeResourceRecordSetsRecordTypes': ['CNAME'],
            'route53:ChangeResourceRecordSetsActions': ['UPSERT', 'DELETE'],
          },
        },
      },
      { Effect: 'Allow', Action: 'route53:GetChange', Resource: { 'Fn::Join': ['', ['arn:', partition, ':route53:::change/*']] } },
    ]);
    const resolved = JSON.parse(JSON.stringify(route53Statements).replace(/\{"Fn::Join":\["",\["arn:",\{"Ref":"AWS::Partition"\},"([^"]*)"\]\]\}/g, '"arn:aws$1"'));
    for (const statement of resolved) expect(await statementProblems(statement)).toEqual([]);
    expect(JSON.stringify(template.toJSON()).includes('\\"TTL\\":30,')).toBe(true);
  });

  test('the data-age publisher finds the serving database by its tags: it lists', () => {
    const { stack, template, refreshed } = synth();
    const roleId = stack.getLogicalId((refreshed.handlers.publishDataAge as any).role.node.defaultChild);
    const policy = Object.values(template.findResources('AWS::IAM::Policy')).find((p: any) => p.Properties.Roles.some((r: any) => r.Ref === roleId)) as any;
    expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain(':cluster:*');
  });
});
