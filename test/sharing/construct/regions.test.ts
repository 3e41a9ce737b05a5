/**
 * `regions` on SharedClusterSnapshots: its synth rules, the Region branches of the workflow, the
 * CopyToRegion function, IAM scoped to exactly the listed Regions, and a freshness alarm per Region.
 */
import { Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ACCOUNT, addSnapshots, build, definitionOf, lambdaEnvironment, newStack, REGION, roleIdOf } from './helpers';
import type { SharingRegion } from '../../../src';
import { ENV } from '../../../src/shared/constants';
import { REGION_KEYS_WARNING } from '../../../src/sharing/region-wiring';

const KEY_ID = '11111111-2222-3333-4444-555555555555';
const keyArn = (region: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/${KEY_ID}`;
const keyIn = (stack: Stack, region: string, arn = keyArn(region)) => kms.Key.fromKeyArn(stack, `Key${stack.node.children.length}`, arn);
const dr = (stack: Stack, region = 'eu-central-1'): SharingRegion => ({ region, encryptionKey: keyIn(stack, region) });

/** Every statement of the role's inline policies, resolved, with actions and resources as lists. */
function statementsOfRole(template: Template, roleId: string): any[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p: any) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap((p: any) => p.Properties.PolicyDocument.Statement)
    .map((s: any) => ({ ...s, Action: [s.Action].flat(), Resource: [s.Resource].flat().map((r: any) => JSON.stringify(r)) }));
}

describe('validation of regions', () => {
  test.each<[string, (stack: Stack) => SharingRegion[], RegExp]>([
    ['an empty list', () => [], /regions must list at least one Region when given/],
    ['a malformed Region', (stack) => [{ region: 'Frankfurt', encryptionKey: keyIn(stack, 'eu-central-1') }], /regions\[0\]\.region is 'Frankfurt', which is not a Region name/],
    ['a token Region', (stack) => [{ region: Fn.ref('DrRegion'), encryptionKey: keyIn(stack, 'eu-central-1') }], /regions\[0\]\.region must be a literal Region name/],
    ['the stack\'s own Region', (stack) => [dr(stack, REGION)], /regions\[0\]\.region is 'eu-west-1', this stack's own Region, where every snapshot is shared already/],
    ['a Region listed twice', (stack) => [dr(stack), dr(stack)], /regions\[1\]\.region 'eu-central-1' is listed twice/],
    ['a China Region', (stack) => [dr(stack, 'cn-north-1')], /regions\[0\]\.region is 'cn-north-1', but RDS copies snapshots from eu-west-1 only to Regions of its own partition/],
    ['a key of another Region', (stack) => [{ region: 'eu-central-1', encryptionKey: keyIn(stack, 'us-east-1') }],
      /regions\[0\]\.encryptionKey is in us-east-1, but it encrypts the copies in eu-central-1: RDS encrypts a snapshot copy only with a key of the copy's own Region/],
    ['an alias', (stack) => [{ region: 'eu-central-1', encryptionKey: keyIn(stack, 'eu-central-1', `arn:aws:kms:eu-central-1:${ACCOUNT}:alias/dr`) }],
      /regions\[0\]\.encryptionKey is the KMS alias 'alias\/dr', not a key/],
    ['no key', () => [{ region: 'eu-central-1' } as SharingRegion], /regions\[0\]\.encryptionKey is missing/],
  ])('%s is refused, naming the prop, the value and the rule', (_name, regions, error) => {
    const stack = newStack();
    expect(() => addSnapshots(stack, { regions: regions(stack) })).toThrow(error);
  });

  test('the home sharing key is still checked beside them', () => {
    const stack = newStack();
    expect(() => addSnapshots(stack, { regions: [dr(stack)], encryptionKey: keyIn(stack, 'eu-central-1') }))
      .toThrow(/encryptionKey is in eu-central-1, but this stack deploys to eu-west-1/);
  });

  test('in an environment-agnostic stack a Region is accepted (the handlers refuse their own Region at run time)', () => {
    const stack = newStack({ withEnv: false });
    expect(() => addSnapshots(stack, { regions: [dr(stack)] })).not.toThrow();
  });

  test('the keys\' policies are the user\'s to set: a warning says what they must allow', () => {
    const stack = newStack();
    addSnapshots(stack, { regions: [dr(stack)] });
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(REGION_KEYS_WARNING));
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0].entry.data)).toMatch(/let the target accounts use it.*KmsKeyNotAccessible/);
  });
});

describe('the Region steps', () => {
  test('without regions nothing changes: no CopyToRegion function, no Parallel state, no SHARING_REGIONS', () => {
    const { construct, template } = build();
    expect(construct.handlers.copyToRegion).toBeUndefined();
    expect(Object.values(definitionOf(template).States).some((s: any) => s.Type === 'Parallel')).toBe(false);
    expect(JSON.stringify(template.toJSON())).not.toContain(ENV.SHARING_REGIONS);
    expect(construct.regionFreshnessAlarms).toEqual({});
  });

  test('after the home Region\'s events, one branch per Region in a Parallel state; a failed branch fails the run with RegionCopyFailed', () => {
    const stack = newStack();
    const { template } = build({ regions: [dr(stack), dr(stack, 'us-east-1')] }, stack);
    const states = definitionOf(template).States;
    expect(states.PublishSnapshotShared.Next).toBe('Regions');
    const branches = states.Regions.Branches;
    expect(branches.map((b: any) => b.StartAt)).toEqual(['CopyToRegion-eu-central-1', 'CopyToRegion-us-east-1']);
    const branch = branches[0].States;
    expect(Object.keys(branch)).toEqual(expect.arrayContaining([
      'CopyToRegion-eu-central-1', 'WaitForRegionCopy-eu-central-1', 'CheckRegionCopy-eu-central-1', 'ShareInRegion-eu-central-1',
      'CleanUpRegion-eu-central-1', 'PublishRegionShared-eu-central-1', 'RegionShared-eu-central-1',
      'CleanUpRegionFailedRun-eu-central-1', 'PublishRegionFailed-eu-central-1', 'RegionFailed-eu-central-1',
    ]));
    // Share, then clean up, in that Region: the older copies there go only after the new one is shared.
    expect(branch['ShareInRegion-eu-central-1'].Next).toBe('CleanUpRegion-eu-central-1');
    expect(JSON.stringify(branch['CopyToRegion-eu-central-1'].Parameters)).toContain('"region":"eu-central-1","plan.$":"$"');
    expect(branch['CopyToRegion-eu-central-1'].Retry.map((r: any) => r.ErrorEquals)).toContainEqual(['CopyLimitReached']);
    for (const name of ['CopyToRegion', 'CheckRegionCopy', 'ShareInRegion', 'CleanUpRegion', 'PublishRegionShared']) {
      expect(branch[`${name}-eu-central-1`].Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'CleanUpRegionFailedRun-eu-central-1' }]);
    }
    expect(branch['RegionFailed-eu-central-1']).toMatchObject({ Type: 'Pass', End: true, Parameters: { 'region': 'eu-central-1', 'error.$': '$.error' } });
    const verdict = states.SharedEventsPut.Choices;
    expect(verdict[1]).toEqual({ Or: [0, 1].map((i) => ({ Variable: `$.regions[${i}].error`, IsPresent: true })), Next: 'RegionsFailed' });
    expect(states.RegionCopyFailed).toEqual({ Type: 'Fail', Error: 'RegionCopyFailed', CausePath: '$.cause' });
  });

  test('the Regions and their keys reach the functions that work there', () => {
    const stack = newStack();
    const { construct, template } = build({ regions: [dr(stack), dr(stack, 'us-east-1')] }, stack);
    const expected = `eu-central-1=${keyArn('eu-central-1')},us-east-1=${keyArn('us-east-1')}`;
    const { copyToRegion, checkSnapshot, shareSnapshot, cleanUp, cleanUpFailedRun } = construct.handlers;
    for (const fn of [copyToRegion!, checkSnapshot, shareSnapshot, cleanUp, cleanUpFailedRun]) {
      expect(lambdaEnvironment(stack, template, fn)[ENV.SHARING_REGIONS]).toBe(expected);
    }
    expect(lambdaEnvironment(stack, template, construct.handlers.copyToRegion!)[ENV.MAX_CONCURRENT_COPIES]).toBe('5');
  });

  test('a freshness alarm per Region, on its copies\' series (dimension Region)', () => {
    const stack = newStack();
    const { construct, template } = build({ regions: [dr(stack)] }, stack);
    expect(Object.keys(construct.regionFreshnessAlarms)).toEqual(['eu-central-1']);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'NewestSharedSnapshotAge',
      Dimensions: Match.arrayWith([{ Name: 'Region', Value: 'eu-central-1' }]),
      TreatMissingData: 'breaching',
    });
    expect(construct.metricNewestSnapshotAgeIn('eu-central-1').dimensions).toMatchObject({ Region: 'eu-central-1' });
  });
});

describe('IAM per Region', () => {
  const stack = newStack();
  const { construct, template } = build({ regions: [dr(stack)] }, stack);
  const copyStatements = statementsOfRole(template, roleIdOf(stack, construct.handlers.copyToRegion!));
  const inRegion = (region: string) => (s: any) => s.Resource.some((r: string) => r.includes(`:rds:${region}:`));

  test('CopyToRegion copies into the listed Region only, tagged as this owner\'s, from this owner\'s home snapshots', () => {
    const into = copyStatements.filter((s) => s.Action.includes('rds:CopyDBClusterSnapshot'));
    expect(into.flatMap((s) => s.Resource).map((r) => /:rds:([a-z0-9-]+):/.exec(r)![1]).sort()).toEqual(['eu-central-1', 'eu-west-1']);
    const target = into.find(inRegion('eu-central-1'))!;
    expect(target.Resource).toEqual([expect.stringContaining(`:rds:eu-central-1:${ACCOUNT}:cluster-snapshot:shared-*`)]);
    expect(target.Condition).toEqual({ StringEquals: { 'aws:RequestTag/shared-cluster-snapshots:owner': construct.ownerId } });
    const source = into.find(inRegion('eu-west-1'))!;
    expect(source.Condition).toEqual({
      StringEquals: {
        'aws:ResourceTag/shared-cluster-snapshots:owner': construct.ownerId,
        'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'],
      },
    });
  });

  test('the Region\'s key only through RDS in that Region; the home keys only through RDS at home', () => {
    const kmsStatements = copyStatements.filter((s) => s.Action.some((a: string) => a.startsWith('kms:')));
    const drKey = kmsStatements.filter((s) => s.Resource.includes(JSON.stringify(keyArn('eu-central-1'))));
    const via = (s: any) => JSON.stringify(s.Condition.StringEquals['kms:ViaService']);
    expect(drKey.map(via)).toEqual(Array(2).fill(JSON.stringify({ 'Fn::Join': ['', ['rds.eu-central-1.', { Ref: 'AWS::URLSuffix' }]] })));
    expect(drKey.flatMap((s) => s.Action).sort()).toEqual(['kms:CreateGrant', 'kms:DescribeKey']);
    const others = kmsStatements.filter((s) => !drKey.includes(s));
    expect(others.map(via)).toEqual(Array(2).fill(JSON.stringify({ 'Fn::Join': ['', ['rds.eu-west-1.', { Ref: 'AWS::URLSuffix' }]] })));
  });

  test('the account-level quota read is limited to the listed Region', () => {
    expect(copyStatements.find((s) => s.Action.includes('rds:DescribeAccountAttributes'))!.Condition)
      .toEqual({ StringEquals: { 'aws:RequestedRegion': 'eu-central-1' } });
  });

  test('share and clean-up reach the listed Region\'s owned snapshots only, under the owner tag', () => {
    const share = statementsOfRole(template, roleIdOf(stack, construct.handlers.shareSnapshot)).filter((s) => s.Action.includes('rds:ModifyDBClusterSnapshotAttribute'));
    const remove = statementsOfRole(template, roleIdOf(stack, construct.handlers.cleanUp)).filter((s) => s.Action.includes('rds:DeleteDBClusterSnapshot'));
    for (const statements of [share, remove]) {
      expect(statements.map((s) => /:rds:([a-z0-9-]+):/.exec(s.Resource[0])![1]).sort()).toEqual(['eu-central-1', 'eu-west-1']);
      for (const s of statements) expect(s.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/shared-cluster-snapshots:owner': construct.ownerId } });
    }
  });

  test('no function reaches a Region that is not listed', () => {
    const all = JSON.stringify(template.toJSON().Resources);
    const regions = new Set([...all.matchAll(/:rds:([a-z]{2}-[a-z]+-\d):/g)].map((m) => m[1]));
    expect([...regions].sort()).toEqual(['eu-central-1', 'eu-west-1']);
  });
});
