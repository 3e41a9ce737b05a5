import { Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type { RefreshPermissions } from './permissions';
import type { RefreshedDatabase } from './refreshed-database';
import { REFRESH_TAG_OWNER } from '../shared/constants';
import { VPC_NETWORK_INTERFACE_ACTIONS } from '../shared/function-options';
import {
  expectedWildcard, suppressPinnedRuntimes, suppressScheduleRole, suppressStateMachineRole, suppressWildcards, WildcardArgs,
} from '../shared/nag';

/**
 * cdk-nag suppressions for the refresh, as `cdk_nag` metadata (consumers need no cdk-nag). Each IAM5
 * suppression names its exact findings, computed from the ARNs the policies use, and is added only on
 * a role whose policy grants that wildcard (see `suppressWildcards`).
 */
export function addRefreshNagSuppressions(
  construct: RefreshedDatabase,
  permissions: RefreshPermissions,
  scheduled: Array<{ schedule: scheduler.Schedule; fn: lambda.IFunction }>,
): void {
  const stack = Stack.of(construct);
  const known = (...args: WildcardArgs) => expectedWildcard(stack, ...args);
  const owned = {
    [`aws:RequestTag/${REFRESH_TAG_OWNER}`]: `A new database or instance must be tagged ${REFRESH_TAG_OWNER} with this construct's owner id.`,
    [`aws:ResourceTag/${REFRESH_TAG_OWNER}`]: `Only databases and instances that carry ${REFRESH_TAG_OWNER} with this construct's owner id may be changed or deleted.`,
  };
  const wildcards = [
    known(permissions.ownDatabases, 'Each refresh names its database <databaseIdentifier>-<generation> at run time, so only the prefix is known at deploy time.', undefined, owned),
    known(permissions.ownInstances, 'Instance names are <databaseIdentifier>-<generation>-<n>, derived at run time.', undefined, owned),
    known(permissions.finalSnapshots, 'DeleteDBCluster authorizes the final snapshot it may create (<databaseIdentifier>-<generation>-final); '
      + 'the cluster itself is only deletable with this construct\'s owner tag.', ['rds:DeleteDBCluster', 'rds:AddTagsToResource']),
    known(permissions.copies, 'The receiver names each copy at run time; only its copy prefix is known at deploy time. A copy is only restored, never changed.',
      ['rds:RestoreDBClusterFromSnapshot']),
    known(permissions.allClusters, 'Lists this account\'s clusters (to find this construct\'s databases by their tags); RDS authorizes a listing '
      + 'without an identifier, and DescribeDBClusterSnapshots listings, on the cluster wildcard ARN.', ['rds:DescribeDBClusters', 'rds:DescribeDBClusterSnapshots']),
    known(permissions.allSnapshots, 'Lists this account\'s manual snapshots to find the receiver\'s newest copy by its tags; a list call has no snapshot ARN to scope to.',
      ['rds:DescribeDBClusterSnapshots']),
    known(permissions.allInstances, 'Lists the instances of a database (DescribeDBInstances filtered by cluster), authorized on the instance wildcard ARN.',
      ['rds:DescribeDBInstances']),
    known(permissions.parameterGroup, 'The engine\'s default cluster parameter groups (default.<family>): the family is the copy\'s, known at run time.',
      ['rds:RestoreDBClusterFromSnapshot']),
    known(permissions.defaultOptionGroups, 'RestoreDBClusterFromSnapshot authorizes the default option group of the copy\'s engine (Aurora uses none of its options).',
      ['rds:RestoreDBClusterFromSnapshot']),
    known(permissions.masterUserSecrets, 'RDS creates the master user\'s secret as rds!cluster-<id> when it resets the password; the id is RDS\'s.',
      ['secretsmanager:CreateSecret', 'secretsmanager:TagResource', 'secretsmanager:RotateSecret', 'secretsmanager:DescribeSecret']),
    known('*', 'The network-interface actions Lambda needs to run the functions in the VPC (vpc), granted on "*" as the AWS managed policy '
      + 'AWSLambdaVPCAccessExecutionRole grants them.', VPC_NETWORK_INTERFACE_ACTIONS),
  ];
  const functions = Object.values(construct.handlers);
  for (const fn of functions) suppressWildcards(fn.role, wildcards);
  suppressStateMachineRole(construct.stateMachine, functions);
  for (const { schedule, fn } of scheduled) suppressScheduleRole(schedule, fn, fn === construct.handlers.startRefresh ? 'starter function' : 'data-age publisher');
  suppressPinnedRuntimes(functions);
}
