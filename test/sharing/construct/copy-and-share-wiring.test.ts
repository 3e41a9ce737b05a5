import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SharedClusterSnapshots, SharedClusterSnapshotsProps } from '../../../src';

// How the construct wires copy concurrency and revocation: the prop, its validation, the copy
// handler's environment, and the IAM the copy count and the revocation need.

function build(props: Partial<SharedClusterSnapshotsProps> = {}): { stack: Stack; snapshots: SharedClusterSnapshots } {
  const stack = new Stack(new App(), 'TestStack', { env: { account: '111111111111', region: 'eu-west-1' } });
  const snapshots = new SharedClusterSnapshots(stack, 'Snapshots', { clusterIdentifiers: ['orders-db'], targetAccountIds: ['222222222222'], ...props });
  return { stack, snapshots };
}

function environmentOf(stack: Stack, fn: lambda.IFunction): Record<string, string> {
  const id = stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction);
  return Template.fromStack(stack).toJSON().Resources[id].Properties.Environment.Variables;
}

/** Every (action, resource) the function's role allows, resources as resolved JSON strings. */
function grantsOf(stack: Stack, fn: lambda.IFunction): string[] {
  const roleId = stack.getLogicalId(fn.role!.node.defaultChild as iam.CfnRole);
  const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`));
  return policies.flatMap((p) => p.Properties.PolicyDocument.Statement.flatMap((s: { Action: string | string[]; Resource: unknown }) =>
    [s.Action].flat().flatMap((action) => [s.Resource].flat().map((resource) => `${action} ${JSON.stringify(resource)}`))));
}

const arn = (resource: string) => JSON.stringify({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:rds:eu-west-1:111111111111:${resource}`]] });

describe('maxConcurrentCopies', () => {
  test.each([0, 6, 2.5, -1])('%p is refused, naming the prop and the range', (value) => {
    expect(() => build({ maxConcurrentCopies: value })).toThrow(`maxConcurrentCopies must be a whole number from 1 to 5 (RDS allows 5 copies in progress per account and Region), got ${value}`);
  });

  test('defaults to 5, set on the CopySnapshot function only', () => {
    const { stack, snapshots } = build();
    expect(environmentOf(stack, snapshots.handlers.copySnapshot).MAX_CONCURRENT_COPIES).toBe('5');
    for (const [name, fn] of Object.entries(snapshots.handlers).filter(([n]) => n !== 'copySnapshot')) {
      expect([name, environmentOf(stack, fn).MAX_CONCURRENT_COPIES]).toEqual([name, undefined]);
    }
  });

  test.each([1, 3, 5])('%i is carried to the copy handler', (value) => {
    const { stack, snapshots } = build({ maxConcurrentCopies: value });
    expect(environmentOf(stack, snapshots.handlers.copySnapshot).MAX_CONCURRENT_COPIES).toBe(String(value));
  });
});

test('the CopySnapshot role may list the account\'s snapshots and read its quotas, to count copies in progress', () => {
  const { stack, snapshots } = build();
  expect(grantsOf(stack, snapshots.handlers.copySnapshot)).toEqual(expect.arrayContaining([
    `rds:DescribeDBClusterSnapshots ${arn('cluster:*')}`,
    `rds:DescribeDBClusterSnapshots ${arn('cluster-snapshot:*')}`,
    'rds:DescribeAccountAttributes "*"',
  ]));
});

test('the ShareSnapshot role may list the cluster\'s snapshots and read who may restore its own, to revoke', () => {
  const { stack, snapshots } = build();
  expect(grantsOf(stack, snapshots.handlers.shareSnapshot)).toEqual(expect.arrayContaining([
    `rds:DescribeDBClusterSnapshots ${arn('cluster:*')}`,
    `rds:DescribeDBClusterSnapshots ${arn('cluster-snapshot:*')}`,
    `rds:DescribeDBClusterSnapshotAttributes ${arn('cluster-snapshot:shared-*')}`,
    `rds:ModifyDBClusterSnapshotAttribute ${arn('cluster-snapshot:shared-*')}`,
  ]));
});
