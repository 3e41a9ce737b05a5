/**
 * `regions`: the calls each function makes in another Region (and the copy's source part in the
 * home Region), as IAM authorizes them, are real actions on their resource types and allowed; the
 * same calls in a Region not listed, the Region's key outside RDS there, or a source without our
 * owner tag are denied. The cross-Region copy is authorized on the source ARN too, with
 * `aws:RequestedRegion` the destination's (its request) or the home Region's (the part the SDK presigns).
 */
import * as kms from 'aws-cdk-lib/aws-kms';
import { allowed, asRequestTags, asResourceTags, Call, call, denied, referenceProblems } from './call-checks';
import { ACCOUNT, REGION, synthesize, TARGETS } from './stacks';
import { TAG_CLUSTER, TAG_OWNER, TAG_ROLE, TAG_RUN } from '../../src/shared/constants';

const DR = 'eu-central-1';
const ELSEWHERE = 'us-west-2';
const RUN = '202612010300';
const SHARED = `shared-orders-db-${RUN}`;
const keyOf = (region: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
const rdsIn = (region: string, resource: string) => `arn:aws:rds:${region}:${ACCOUNT}:${resource}`;

const s = synthesize((stack) => ({
  clusterIdentifiers: ['orders-db'],
  targetAccountIds: TARGETS,
  encryptionKey: kms.Key.fromKeyArn(stack, 'SharingKey', keyOf(REGION)),
  regions: [{ region: DR, encryptionKey: kms.Key.fromKeyArn(stack, 'DrKey', keyOf(DR)) }],
}));
const owner = s.construct.ownerId;
const tags = { [TAG_OWNER]: owner, [TAG_CLUSTER]: 'orders-db', [TAG_ROLE]: 'shared', [TAG_RUN]: RUN };
const own = asResourceTags(tags);

/** A run's calls in `region`, per function (the copy's source stays in the home Region). */
function regionCalls(region: string): Call[] {
  const at = (context: object) => ({ ...context, 'aws:RequestedRegion': region });
  const snapshot = rdsIn(region, `cluster-snapshot:${SHARED}`);
  const listing = (fn: string) => [
    call(fn, 'rds:DescribeDBClusterSnapshots', rdsIn(region, 'cluster:orders-db'), 'list the cluster\'s copies there', at({})),
    call(fn, 'rds:DescribeDBClusterSnapshots', rdsIn(region, 'cluster-snapshot:*'), 'list the cluster\'s copies there', at({})),
  ];
  const via = { 'kms:ViaService': `rds.${region}.amazonaws.com` };
  return [
    ...listing('copyToRegion'),
    call('copyToRegion', 'rds:DescribeAccountAttributes', '*', 'tell the copy limit from a full quota there', at({})),
    call('copyToRegion', 'rds:CopyDBClusterSnapshot', rdsIn(REGION, `cluster-snapshot:${SHARED}`), 'the source, in the destination\'s request', at({ ...own, ...asRequestTags(tags) })),
    call('copyToRegion', 'rds:CopyDBClusterSnapshot', rdsIn(REGION, `cluster-snapshot:${SHARED}`), 'the source, in the presigned home part',
      { ...own, ...asRequestTags(tags), 'aws:RequestedRegion': REGION }),
    call('copyToRegion', 'rds:CopyDBClusterSnapshot', snapshot, 'the copy there', at(asRequestTags(tags))),
    call('copyToRegion', 'rds:AddTagsToResource', snapshot, 'tag the copy there', at(asRequestTags(tags))),
    call('copyToRegion', 'kms:DescribeKey', keyOf(region), 'RDS there reads the Region\'s key', via),
    call('copyToRegion', 'kms:CreateGrant', keyOf(region), 'RDS there encrypts the copy', { ...via, 'kms:GrantIsForAWSResource': true }),
    call('copyToRegion', 'kms:Decrypt', keyOf(REGION), 'RDS at home reads the source',
      { 'kms:ViaService': `rds.${REGION}.amazonaws.com` }),
    call('checkSnapshot', 'rds:DescribeDBClusterSnapshots', snapshot, 'the copy\'s status there', at(own)),
    ...listing('shareSnapshot'),
    call('shareSnapshot', 'rds:DescribeDBClusterSnapshotAttributes', snapshot, 'who may restore the copy', at(own)),
    call('shareSnapshot', 'rds:ModifyDBClusterSnapshotAttribute', snapshot, 'share the copy there', at(own)),
    ...listing('cleanUp'),
    call('cleanUp', 'rds:DescribeDBClusterSnapshotAttributes', snapshot, 'is an older copy shared', at(own)),
    call('cleanUp', 'rds:DeleteDBClusterSnapshot', snapshot, 'delete an older copy there', at(own)),
    call('cleanUpFailedRun', 'rds:DescribeDBClusterSnapshots', snapshot, 'the failed Region\'s copy', at(own)),
    call('cleanUpFailedRun', 'rds:DescribeDBClusterSnapshotAttributes', snapshot, 'is it shared', at(own)),
    call('cleanUpFailedRun', 'rds:DeleteDBClusterSnapshot', snapshot, 'delete the failed Region\'s copy', at(own)),
    ...listing('publishFreshness'),
  ];
}

test('every call in the listed Region is a real action on one of its resource types, with context keys of the reference\'s types', async () => {
  expect(await referenceProblems(regionCalls(DR))).toEqual([]);
});

test('every call in the listed Region is allowed', () => {
  expect(denied(s, regionCalls(DR))).toEqual([]);
});

test('the same calls in a Region not listed are denied (except the copy\'s source at home, which names no destination)', () => {
  const elsewhere = regionCalls(ELSEWHERE).filter((c) => !c.resource.includes(`:${REGION}:`));
  expect(allowed(s, elsewhere)).toEqual([]);
});

test('the copy\'s source only with our owner tag, and only for the listed Regions\' requests', () => {
  const source = rdsIn(REGION, `cluster-snapshot:${SHARED}`);
  expect(allowed(s, [
    call('copyToRegion', 'rds:CopyDBClusterSnapshot', source, 'a source without our owner tag', { ...asRequestTags(tags), 'aws:RequestedRegion': DR }),
    call('copyToRegion', 'rds:CopyDBClusterSnapshot', source, 'a copy into a Region not listed', { ...own, ...asRequestTags(tags), 'aws:RequestedRegion': ELSEWHERE }),
    call('copyToRegion', 'rds:CopyDBClusterSnapshot', rdsIn(REGION, 'cluster-snapshot:manual-orders-db'), 'outside the prefix', { ...own, 'aws:RequestedRegion': DR }),
  ])).toEqual([]);
});

test('the Region\'s key only through RDS in that Region, and grants only for AWS resources', () => {
  expect(allowed(s, [
    call('copyToRegion', 'kms:DescribeKey', keyOf(DR), 'through RDS at home', { 'kms:ViaService': `rds.${REGION}.amazonaws.com` }),
    call('copyToRegion', 'kms:CreateGrant', keyOf(DR), 'a grant not for an AWS resource', { 'kms:ViaService': `rds.${DR}.amazonaws.com`, 'kms:GrantIsForAWSResource': false }),
    call('copyToRegion', 'kms:Decrypt', keyOf(DR), 'directly'),
  ])).toEqual([]);
});

test('no other function copies into another Region', () => {
  const copy = (fn: string) => call(fn, 'rds:CopyDBClusterSnapshot', rdsIn(DR, `cluster-snapshot:${SHARED}`), 'not its job', { ...asRequestTags(tags), 'aws:RequestedRegion': DR });
  expect(allowed(s, ['copySnapshot', 'shareSnapshot', 'cleanUp', 'checkSnapshot', 'prepare', 'starter'].map(copy))).toEqual([]);
});
