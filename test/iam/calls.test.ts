/**
 * Every AWS API call each function makes, as IAM authorizes it (action, resource ARN, request
 * context), evaluated against the synthesized role policies: the calls the design needs are
 * allowed, and the negative cases (a foreign snapshot without our owner tag, an unconfigured
 * cluster, a snapshot outside the prefix, KMS use outside RDS) are denied. Each request is first
 * checked against the Service Authorization Reference: the action exists, the ARN is of one of its
 * resource types, and every context key exists with the reference's type.
 *
 * How RDS authorizes each call (which resource types, which tags in the context) follows the
 * reference's resource types per action; for a filtered DescribeDBClusterSnapshots both the
 * cluster and `cluster-snapshot:*` are checked, since AWS does not document which one it uses.
 * KMS calls are the ones RDS makes on the copy role's behalf while copying with a KMS key
 * (`kms:ViaService`, grants for AWS resources): aws-facts.md, "Sharing encrypted snapshots".
 */
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { allowed, asRequestTags, asResourceTags, Call, call, decide, denied, referenceProblems } from './call-checks';
import { ACCOUNT, CLUSTER_TAG, clusterIds, fullFeatureStack, REGION, synthesize, SynthesizedStack, TARGETS } from './stacks';
import { evaluate, RequestContext } from '../../sim/iam-policy';
import { TAG_CLUSTER, TAG_COPIED_PREFIX, TAG_OWNER, TAG_ROLE, TAG_RUN } from '../../src/shared/constants';

const rds = (resource: string) => `arn:aws:rds:${REGION}:${ACCOUNT}:${resource}`;
const VIA_RDS = `rds.${REGION}.amazonaws.com`;
const CUSTOMER_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
/** The AWS-managed `aws/rds` key is a key of the account like any other, by ARN. */
const AWS_RDS_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/66666666-7777-8888-9999-000000000000`;
const FOREIGN_KEY = `arn:aws:kms:${REGION}:333333333333:key/12345678-aaaa-bbbb-cccc-1234567890ab`;
const RUN = '202612010300';


function ownTags(ownerId: string, cluster: string, role: string): Record<string, string> {
  return { [TAG_OWNER]: ownerId, [TAG_CLUSTER]: cluster, [TAG_ROLE]: role, [TAG_RUN]: RUN };
}
const viaRds = (grant?: boolean): RequestContext => ({ 'kms:ViaService': VIA_RDS, ...(grant === undefined ? {} : { 'kms:GrantIsForAWSResource': grant }) });

/** Creating (or copying to) a snapshot: the cluster (or source), the new snapshot, and tagging it. */
function creates(
  fn: string, action: string, source: string, sourceTags: RequestContext, target: string, tags: Record<string, string>, why: string,
): Call[] {
  return [
    call(fn, action, source, why, { ...sourceTags, ...asRequestTags(tags) }),
    call(fn, action, rds(`cluster-snapshot:${target}`), why, asRequestTags(tags)),
    call(fn, 'rds:AddTagsToResource', rds(`cluster-snapshot:${target}`), why, asRequestTags(tags)),
  ];
}

/** The calls of a normal run, per function, as the handlers make them today. */
function expectedCalls(s: SynthesizedStack, sharingKeyArn: string): Call[] {
  const owner = s.construct.ownerId;
  const temporary = `shared-orders-db-${RUN}-tmp`;
  const shared = `shared-orders-db-${RUN}`;
  const ownTemporary = asResourceTags(ownTags(owner, 'orders-db', 'temporary'));
  const ownShared = asResourceTags(ownTags(owner, 'orders-db', 'shared'));
  const handlers = ['prepare', 'createSnapshot', 'checkSnapshot', 'copySnapshot', 'shareSnapshot', 'cleanUp', 'cleanUpFailedRun', 'starter',
    'publishFreshness', ...(s.construct.recordCopyFunction ? ['recordCopy'] : [])];
  const confirmation = { [`${TAG_COPIED_PREFIX}${TARGETS[0]}`]: '2026-12-01T05:00:00.000Z' };
  const listing = (fn: string) => [
    call(fn, 'rds:DescribeDBClusterSnapshots', rds('cluster:orders-db'), 'list the cluster\'s manual snapshots (db-cluster-id filter)'),
    call(fn, 'rds:DescribeDBClusterSnapshots', rds('cluster-snapshot:*'), 'list the cluster\'s manual snapshots (db-cluster-id filter)'),
  ];
  const describeOwn = (fn: string, id: string, tags: RequestContext) =>
    call(fn, 'rds:DescribeDBClusterSnapshots', rds(`cluster-snapshot:${id}`), 're-read a snapshot by id', tags);
  return [
    ...handlers.flatMap((fn) => [
      call(fn, 'logs:CreateLogStream', s.logStreamOf(fn), 'Lambda writes the function\'s logs'),
      call(fn, 'logs:PutLogEvents', s.logStreamOf(fn), 'Lambda writes the function\'s logs'),
    ]),
    call('prepare', 'rds:DescribeDBClusters', rds('cluster:orders-db'), 'read the cluster\'s status and encryption'),
    ...listing('prepare'),
    describeOwn('prepare', temporary, ownTemporary),
    call('prepare', 'rds:DeleteDBClusterSnapshot', rds(`cluster-snapshot:${temporary}`), 'remove a stale temporary snapshot', ownTemporary),
    ...creates('createSnapshot', 'rds:CreateDBClusterSnapshot', rds('cluster:orders-db'), {}, temporary, ownTags(owner, 'orders-db', 'temporary'),
      'snapshot an explicit cluster'),
    ...creates('createSnapshot', 'rds:CreateDBClusterSnapshot', rds('cluster:events-db'), asResourceTags({ [CLUSTER_TAG.key]: CLUSTER_TAG.value }),
      `shared-events-db-${RUN}-tmp`, ownTags(owner, 'events-db', 'temporary'), 'snapshot a tagged cluster'),
    describeOwn('createSnapshot', temporary, ownTemporary),
    describeOwn('checkSnapshot', temporary, ownTemporary),
    ...creates('copySnapshot', 'rds:CopyDBClusterSnapshot', rds(`cluster-snapshot:${temporary}`), ownTemporary, shared, ownTags(owner, 'orders-db', 'shared'),
      'copy the temporary snapshot with the sharing key'),
    describeOwn('copySnapshot', shared, ownShared),
    ...[sharingKeyArn, CUSTOMER_KEY, AWS_RDS_KEY].flatMap((key) => [
      call('copySnapshot', 'kms:DescribeKey', key, 'RDS reads the key while copying', viaRds()),
      call('copySnapshot', 'kms:CreateGrant', key, 'RDS creates a grant for the copy', viaRds(true)),
    ]),
    ...[CUSTOMER_KEY, AWS_RDS_KEY].map((key) => call('copySnapshot', 'kms:Decrypt', key, 'RDS decrypts the source snapshot', viaRds())),
    call('copySnapshot', 'rds:DescribeDBClusterSnapshots', rds('cluster:*'), 'count the copies in progress (no filter: every cluster)'),
    call('copySnapshot', 'rds:DescribeDBClusterSnapshots', rds('cluster-snapshot:*'), 'count the copies in progress (no filter: every snapshot)'),
    call('copySnapshot', 'rds:DescribeAccountAttributes', '*', 'a refused copy: is the manual snapshot quota full, or the copy limit reached?'),
    call('shareSnapshot', 'rds:ModifyDBClusterSnapshotAttribute', rds(`cluster-snapshot:${shared}`), 'share with the targets', ownShared),
    ...listing('shareSnapshot'),
    call('shareSnapshot', 'rds:DescribeDBClusterSnapshotAttributes', rds('cluster-snapshot:shared-orders-db-202611300300'),
      'who may restore a retained shared snapshot (revocation)?', asResourceTags(ownTags(owner, 'orders-db', 'shared'))),
    call('shareSnapshot', 'rds:ModifyDBClusterSnapshotAttribute', rds('cluster-snapshot:shared-orders-db-202611300300'),
      'remove a former target from a retained shared snapshot', asResourceTags(ownTags(owner, 'orders-db', 'shared'))),
    ...listing('cleanUp'),
    describeOwn('cleanUp', temporary, ownTemporary),
    call('cleanUp', 'rds:DescribeDBClusterSnapshotAttributes', rds('cluster-snapshot:shared-orders-db-202611300300'), 'is an older one shared?',
      asResourceTags(ownTags(owner, 'orders-db', 'shared'))),
    call('cleanUp', 'rds:DeleteDBClusterSnapshot', rds(`cluster-snapshot:${temporary}`), 'delete the temporary snapshot', ownTemporary),
    call('cleanUp', 'rds:DeleteDBClusterSnapshot', rds('cluster-snapshot:shared-orders-db-202611300300'), 'delete an older shared snapshot',
      asResourceTags(ownTags(owner, 'orders-db', 'shared'))),
    describeOwn('cleanUpFailedRun', shared, ownShared),
    call('cleanUpFailedRun', 'rds:DescribeDBClusterSnapshotAttributes', rds(`cluster-snapshot:${shared}`), 'was it shared already?', ownShared),
    call('cleanUpFailedRun', 'rds:DeleteDBClusterSnapshot', rds(`cluster-snapshot:${shared}`), 'delete what the failed run made', ownShared),
    call('starter', 'rds:DescribeAccountAttributes', '*', 'read the manual snapshot quota'),
    ...listing('starter').map((c) => ({ ...c, why: 'a retried start credits this run\'s own snapshots in the quota check' })),
    call('starter', 'rds:DescribeDBClusters', rds('cluster:*'), 'find the tagged clusters'),
    call('starter', 'states:StartExecution', s.stateMachineArn, 'start one execution per cluster'),
    call('starter', 'states:ListExecutions', s.stateMachineArn, 'skip a cluster whose earlier run is still running'),
    // RDS authorizes a list call without an identifier on the types' wildcard ARNs (aws-facts.md, IAM).
    call('publishFreshness', 'rds:DescribeDBClusterSnapshots', rds('cluster:*'), 'list the account\'s manual snapshots (no cluster filter)'),
    call('publishFreshness', 'rds:DescribeDBClusterSnapshots', rds('cluster-snapshot:*'), 'list the account\'s manual snapshots (no cluster filter)'),
    call('cleanUp', 'rds:AddTagsToResource', rds(`cluster-snapshot:${shared}`), 'retainUntilCopied: mark the new snapshot as awaited by the receivers',
      { ...ownShared, ...asRequestTags({ [`${TAG_COPIED_PREFIX}${TARGETS[0]}`]: 'pending' }) }),
    describeOwn('recordCopy', 'shared-orders-db-202611300300', asResourceTags(ownTags(owner, 'orders-db', 'shared'))),
    call('recordCopy', 'rds:AddTagsToResource', rds('cluster-snapshot:shared-orders-db-202611300300'), 'record a target\'s copy confirmation',
      { ...asResourceTags(ownTags(owner, 'orders-db', 'shared')), ...asRequestTags(confirmation) }),
    call('stateMachine', 'events:PutEvents', `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/default`, 'Cluster Snapshot Shared and Failed on this account\'s bus'),
    ...TARGETS.map((target) => call('stateMachine', 'events:PutEvents', `arn:aws:events:${REGION}:${target}:event-bus/default`,
      'notifyTargetAccounts: Cluster Snapshot Shared on each target\'s bus')),
  ];
}


describe('the full-feature stack', () => {
  const s = fullFeatureStack();
  const sharingKey = s.arnOf(s.stack.getLogicalId((s.construct.encryptionKey as kms.Key).node.defaultChild as kms.CfnKey));
  const owner = s.construct.ownerId;
  const calls = expectedCalls(s, sharingKey);

  test('every call of a run is a real action on one of its resource types, with context keys of the reference\'s types', async () => {
    expect(await referenceProblems(calls)).toEqual([]);
  });

  test('every call each function makes is allowed', () => {
    expect(denied(s, calls)).toEqual([]);
  });

  test('every statement of every function role is needed by some call (least privilege)', () => {
    const unused: string[] = [];
    for (const fn of ['prepare', 'createSnapshot', 'checkSnapshot', 'copySnapshot', 'shareSnapshot', 'cleanUp', 'cleanUpFailedRun', 'starter',
      'publishFreshness', 'recordCopy']) {
      const role = s.roleOfFunction(fn);
      const used = new Set(calls.filter((c) => c.fn === fn).flatMap((c) => evaluate(role.statements, c).allowedBy.map((a) => a.statement)));
      role.statements.forEach((statement, i) => {
        if (statement.Effect === 'Allow' && !used.has(i)) unused.push(`${fn}: ${JSON.stringify(statement)}`);
      });
    }
    expect(unused).toEqual([]);
  });

  test('the state machine invokes each handler, and the schedule the starter', () => {
    const invokes = ['prepare', 'createSnapshot', 'checkSnapshot', 'copySnapshot', 'shareSnapshot', 'cleanUp', 'cleanUpFailedRun']
      .map((fn) => call('stateMachine', 'lambda:InvokeFunction', s.functionArnOf(fn), `run the ${fn} step`));
    const logs = ['logs:CreateLogDelivery', 'logs:GetLogDelivery', 'logs:DescribeLogGroups', 'xray:PutTraceSegments']
      .map((action) => call('stateMachine', action, '*', 'logging and tracing'));
    const schedule = [call('scheduler', 'lambda:InvokeFunction', s.functionArnOf('starter'), 'the schedule starts a run')];
    expect(denied(s, [...invokes, ...logs, ...schedule])).toEqual([]);
    expect(allowed(s, [
      call('scheduler', 'lambda:InvokeFunction', s.functionArnOf('prepare'), 'the schedule invokes only the starter'),
      call('stateMachine', 'lambda:InvokeFunction', s.functionArnOf('starter'), 'the state machine does not start runs'),
      call('starter', 'states:StartExecution', s.stateMachineArn.replace(/[^:]+$/, 'SomeoneElsesMachine'), 'another state machine'),
      call('starter', 'states:ListExecutions', s.stateMachineArn.replace(/[^:]+$/, 'SomeoneElsesMachine'), 'another state machine'),
    ])).toEqual([]);
  });

  describe('denied', () => {
    const foreign = 'shared-orders-db-202611260300';
    const foreignSnapshots: Array<[string, RequestContext]> = [
      [foreign, {}], // our name, no tags
      [foreign, asResourceTags({ ...ownTags(owner, 'orders-db', 'shared'), [TAG_OWNER]: 'someone-else' })],
      ['manual-orders-db', asResourceTags(ownTags(owner, 'orders-db', 'shared'))], // our tags, outside the prefix
    ];

    test('deleting or sharing a foreign snapshot (no owner tag, another owner) or one outside the prefix, from any role', () => {
      const everyFunction = ['prepare', 'createSnapshot', 'checkSnapshot', 'copySnapshot', 'shareSnapshot', 'cleanUp', 'cleanUpFailedRun', 'starter'];
      expect(allowed(s, everyFunction.flatMap((fn) => foreignSnapshots.flatMap(([id, tags]) => [
        call(fn, 'rds:DeleteDBClusterSnapshot', rds(`cluster-snapshot:${id}`), 'foreign', tags),
        call(fn, 'rds:ModifyDBClusterSnapshotAttribute', rds(`cluster-snapshot:${id}`), 'foreign', tags),
      ])))).toEqual([]);
    });

    test('RecordCopy: any tag but a confirmation, a snapshot without our owner tag or outside the prefix, deleting or sharing', () => {
      const own = asResourceTags(ownTags(owner, 'orders-db', 'shared'));
      const confirmation = asRequestTags({ [`${TAG_COPIED_PREFIX}${TARGETS[0]}`]: '2026-12-01T05:00:00.000Z' });
      const snapshot = rds('cluster-snapshot:shared-orders-db-202611300300');
      expect(allowed(s, [
        call('recordCopy', 'rds:AddTagsToResource', snapshot, 'forge ownership', { ...own, ...asRequestTags({ [TAG_OWNER]: 'someone-else' }) }),
        call('recordCopy', 'rds:AddTagsToResource', snapshot, 'a confirmation plus another tag',
          { ...own, ...asRequestTags({ [`${TAG_COPIED_PREFIX}${TARGETS[0]}`]: 'x', [TAG_ROLE]: 'temporary' }) }),
        call('recordCopy', 'rds:AddTagsToResource', snapshot, 'a snapshot without our owner tag', confirmation),
        call('recordCopy', 'rds:AddTagsToResource', snapshot, 'another owner\'s snapshot', { ...asResourceTags({ [TAG_OWNER]: 'someone-else' }), ...confirmation }),
        call('recordCopy', 'rds:AddTagsToResource', rds('cluster-snapshot:manual-orders-db'), 'outside the prefix', { ...own, ...confirmation }),
        call('recordCopy', 'rds:AddTagsToResource', rds('cluster:orders-db'), 'tagging a cluster', confirmation),
        call('recordCopy', 'rds:DeleteDBClusterSnapshot', snapshot, 'not its job', own),
        call('recordCopy', 'rds:ModifyDBClusterSnapshotAttribute', snapshot, 'not its job', own),
        call('publishFreshness', 'rds:DeleteDBClusterSnapshot', snapshot, 'not its job', own),
        call('stateMachine', 'events:PutEvents', `arn:aws:events:${REGION}:999999999999:event-bus/default`, 'a bus of an account that is no target'),
        call('stateMachine', 'events:PutEvents', `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/other`, 'another bus of this account'),
      ])).toEqual([]);
    });

    test('deleting even our own snapshot from a role whose job is not to delete', () => {
      const own = asResourceTags(ownTags(owner, 'orders-db', 'shared'));
      expect(allowed(s, ['createSnapshot', 'checkSnapshot', 'copySnapshot', 'shareSnapshot', 'starter']
        .map((fn) => call(fn, 'rds:DeleteDBClusterSnapshot', rds(`cluster-snapshot:shared-orders-db-${RUN}`), 'not its job', own)))).toEqual([]);
    });

    test('snapshotting an unconfigured cluster, even with a configured cluster and our owner in the request tags', () => {
      const forged = asRequestTags(ownTags(owner, 'orders-db', 'temporary'));
      expect(allowed(s, [
        call('createSnapshot', 'rds:CreateDBClusterSnapshot', rds('cluster:rogue-db'), 'unconfigured, untagged', forged),
        call('createSnapshot', 'rds:CreateDBClusterSnapshot', rds('cluster:rogue-db'), 'wrong tag value',
          { ...forged, ...asResourceTags({ [CLUSTER_TAG.key]: 'false' }) }),
      ])).toEqual([]);
    });

    test('creating or copying to a snapshot outside the prefix, or without our owner tag', () => {
      const tags = ownTags(owner, 'orders-db', 'temporary');
      expect(allowed(s, [
        call('createSnapshot', 'rds:CreateDBClusterSnapshot', rds('cluster-snapshot:manual-orders-db'), 'outside the prefix', asRequestTags(tags)),
        call('createSnapshot', 'rds:CreateDBClusterSnapshot', rds(`cluster-snapshot:shared-orders-db-${RUN}-tmp`), 'no owner tag',
          asRequestTags({ [TAG_CLUSTER]: 'orders-db' })),
        call('copySnapshot', 'rds:CopyDBClusterSnapshot', rds('cluster-snapshot:manual-orders-db'), 'outside the prefix', asRequestTags(tags)),
        call('copySnapshot', 'rds:AddTagsToResource', rds('cluster:orders-db'), 'tagging a cluster', asRequestTags(tags)),
      ])).toEqual([]);
    });

    test('KMS: the sharing key outside RDS, a grant not for an AWS resource, another account\'s key', () => {
      expect(allowed(s, [
        call('copySnapshot', 'kms:CreateGrant', sharingKey, 'called directly, not through RDS', { 'kms:GrantIsForAWSResource': false }),
        call('copySnapshot', 'kms:CreateGrant', sharingKey, 'a grant through RDS that is not for an AWS resource', viaRds(false)),
        call('copySnapshot', 'kms:CreateGrant', sharingKey, 'a grant for AWS resources asked through another service',
          { 'kms:ViaService': `s3.${REGION}.amazonaws.com`, 'kms:GrantIsForAWSResource': true }),
        call('copySnapshot', 'kms:DescribeKey', sharingKey, 'called directly'),
        call('copySnapshot', 'kms:Decrypt', sharingKey, 'decrypting with the sharing key'),
        call('copySnapshot', 'kms:CreateGrant', FOREIGN_KEY, 'another account\'s key', viaRds(true)),
        ...['prepare', 'createSnapshot', 'shareSnapshot', 'cleanUp', 'starter']
          .map((fn) => call(fn, 'kms:CreateGrant', sharingKey, 'not the copy role', viaRds(true))),
      ])).toEqual([]);
    });

    test('no statement of any role grants kms:CreateGrant without both kms:ViaService and kms:GrantIsForAWSResource', () => {
      const unconditioned = [...s.roles.values()].flatMap((role) => role.statements
        .filter((st) => [st.Action].flat().some((a) => a === 'kms:CreateGrant' || a === 'kms:*'))
        .filter((st) => st.Condition?.StringEquals?.['kms:ViaService'] !== VIA_RDS || st.Condition?.Bool?.['kms:GrantIsForAWSResource'] !== 'true')
        .map((st) => `${role.roleId}: ${JSON.stringify(st)}`));
      expect(unconditioned).toEqual([]);
    });
  });
});

// Known gap, not fixed: IAM cannot tell the source of a copy from its target, which does not exist
// yet, so the statement that lets the copy role create a tagged target under the prefix also lets it
// name a foreign snapshot under the prefix as the source. The copy handler only copies the
// temporary snapshot it created, and the copy is shared only if it carries our owner tag. When a
// policy closes this, the test passes: drop `.failing`.
test.failing('the copy role cannot copy a foreign snapshot under our prefix', () => {
  const s = fullFeatureStack();
  const tags = asRequestTags(ownTags(s.construct.ownerId, 'orders-db', 'shared'));
  expect(decide(s, call('copySnapshot', 'rds:CopyDBClusterSnapshot', rds('cluster-snapshot:shared-orders-db-manual'), 'foreign source', tags)).allowed)
    .toBe(false);
});

test('past 60 explicit clusters, an unconfigured cluster still cannot be snapshotted by putting a configured id in the request tags', () => {
  const ids = clusterIds(61, 20);
  const s = synthesize(() => ({ clusterIdentifiers: ids, targetAccountIds: TARGETS }));
  const forged = asRequestTags(ownTags(s.construct.ownerId, ids[0], 'temporary'));
  expect(decide(s, call('createSnapshot', 'rds:CreateDBClusterSnapshot', rds('cluster:rogue-db'), 'forged', forged)).allowed).toBe(false);
  for (const id of [ids[0], ids[60]]) {
    expect(decide(s, call('createSnapshot', 'rds:CreateDBClusterSnapshot', rds(`cluster:${id}`), 'configured', forged)).allowed).toBe(true);
  }
});

test('an imported key of another account: the copy role may use it only through RDS, for AWS resources', () => {
  const s = synthesize((stack: Stack) => ({
    clusterIdentifiers: ['orders-db'],
    targetAccountIds: TARGETS,
    encryptionKey: kms.Key.fromKeyArn(stack, 'SharedKey', FOREIGN_KEY),
  }));
  expect(denied(s, expectedCalls(s, FOREIGN_KEY).filter((c) => c.action.startsWith('kms:')))).toEqual([]);
  expect(allowed(s, [
    call('copySnapshot', 'kms:CreateGrant', FOREIGN_KEY, 'directly'),
    call('copySnapshot', 'kms:CreateGrant', FOREIGN_KEY, 'not for an AWS resource', viaRds(false)),
  ])).toEqual([]);
});

describe('knobs (issue 10)', () => {
  test('snapshotTags: creating and copying with extra tag keys is still allowed (aws:TagKeys is not restricted)', async () => {
    const extra = { 'cost-center': '1234', 'team': 'data' };
    const s = synthesize(() => ({ clusterIdentifiers: ['orders-db'], targetAccountIds: TARGETS, snapshotTags: extra }));
    const owner = s.construct.ownerId;
    const temporary = `shared-orders-db-${RUN}-tmp`;
    const calls = [
      ...creates('createSnapshot', 'rds:CreateDBClusterSnapshot', rds('cluster:orders-db'), {}, temporary,
        { ...ownTags(owner, 'orders-db', 'temporary'), ...extra }, 'snapshot with the extra tags'),
      ...creates('copySnapshot', 'rds:CopyDBClusterSnapshot', rds(`cluster-snapshot:${temporary}`), asResourceTags(ownTags(owner, 'orders-db', 'temporary')),
        `shared-orders-db-${RUN}`, { ...ownTags(owner, 'orders-db', 'shared'), ...extra }, 'copy with the extra tags'),
    ];
    expect(await referenceProblems(calls)).toEqual([]);
    expect(denied(s, calls)).toEqual([]);
    // The owner tag is still required, whatever else is in the request.
    expect(allowed(s, [call('createSnapshot', 'rds:CreateDBClusterSnapshot', rds(`cluster-snapshot:${temporary}`), 'extra tags only', asRequestTags(extra))]))
      .toEqual([]);
  });

  test('vpc: every function\'s role allows the network-interface calls Lambda makes with it, and only those EC2 actions', async () => {
    const s = synthesize((stack) => ({
      clusterIdentifiers: ['orders-db'],
      targetAccountIds: TARGETS,
      vpc: ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: [`${REGION}a`], privateSubnetIds: ['subnet-1'] }),
    }));
    const eni = `arn:aws:ec2:${REGION}:${ACCOUNT}:network-interface/eni-0123456789abcdef0`;
    const calls = ['prepare', 'createSnapshot', 'checkSnapshot', 'copySnapshot', 'shareSnapshot', 'cleanUp', 'cleanUpFailedRun', 'starter'].flatMap((fn) => [
      call(fn, 'ec2:CreateNetworkInterface', eni, 'Lambda attaches the function to the VPC'),
      call(fn, 'ec2:DescribeNetworkInterfaces', '*', 'Lambda reads its network interfaces'),
      call(fn, 'ec2:DeleteNetworkInterface', eni, 'Lambda removes an unused network interface'),
    ]);
    expect(await referenceProblems(calls)).toEqual([]);
    expect(denied(s, calls)).toEqual([]);
    expect(allowed(s, [call('prepare', 'ec2:RunInstances', `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/*`, 'not an ENI action')])).toEqual([]);
  });
});
