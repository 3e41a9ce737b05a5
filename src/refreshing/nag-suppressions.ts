import { Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { RefreshPermissions } from './permissions';
import type { PostRestoreStep } from './post-restore-step';
import type { RefreshHandlers } from './refresh-handlers';
import { REFRESH_TAG_OWNER } from '../shared/constants';
import { VPC_NETWORK_INTERFACE_ACTIONS } from '../shared/function-options';
import {
  expectedWildcard, invokeQualified, suppressPinnedRuntimes, suppressScheduleRole, suppressStateMachineRole, suppressWildcards, WildcardArgs,
} from '../shared/nag';

/**
 * cdk-nag suppressions for the refresh, as `cdk_nag` metadata (consumers need no cdk-nag). Each IAM5
 * suppression names its exact findings, computed from the ARNs the policies use, and is added only on
 * a role whose policy grants that wildcard (see `suppressWildcards`).
 */
/** What the suppressions are added to: a RefreshedDatabase's scope, functions and state machine. */
export interface RefreshNagSubject {
  readonly scope: Construct;
  readonly handlers: RefreshHandlers;
  readonly stateMachine: sfn.StateMachine;
}

export function addRefreshNagSuppressions(
  construct: RefreshNagSubject,
  permissions: RefreshPermissions,
  scheduled: Array<{ schedule: scheduler.Schedule; fn: lambda.IFunction }>,
  postRestore?: PostRestoreStep,
): void {
  const stack = Stack.of(construct.scope);
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
    ...(permissions.parameterGroup.endsWith(':default.*') ? [known(permissions.parameterGroup,
      'The engine\'s default cluster parameter groups (default.<family>): the family is the copy\'s, known at run time.', ['rds:RestoreDBClusterFromSnapshot'])] : []),
    known(permissions.defaultOptionGroups, 'RestoreDBClusterFromSnapshot authorizes the default option group of the copy\'s engine (Aurora uses none of its options).',
      ['rds:RestoreDBClusterFromSnapshot']),
    known(permissions.masterUserSecrets, 'RDS creates the master user\'s secret as rds!cluster-<id> when it resets the password; the id is RDS\'s.',
      ['secretsmanager:CreateSecret', 'secretsmanager:TagResource', 'secretsmanager:RotateSecret', 'secretsmanager:DescribeSecret']),
    known('*', 'The network-interface actions Lambda needs to run the functions in the VPC (vpc), granted on "*" as the AWS managed policy '
      + 'AWSLambdaVPCAccessExecutionRole grants them.', VPC_NETWORK_INTERFACE_ACTIONS),
  ];
  const functions = Object.values(construct.handlers).filter((fn): fn is lambda.IFunction => fn !== undefined);
  for (const fn of functions) suppressWildcards(fn.role, wildcards);
  suppressStateMachineRole(construct.stateMachine, functions);
  suppressPostRestoreStep(construct, postRestore);
  for (const { schedule, fn } of scheduled) suppressScheduleRole(schedule, fn, fn === construct.handlers.startRefresh ? 'starter function' : 'data-age publisher');
  suppressPinnedRuntimes(functions);
}

/**
 * What CDK grants the state machine role for the user's post-restore step: the function's versions
 * and aliases, or (`.sync`) the executions of the user's state machine, which it must describe and
 * may stop. Each is the user's own resource, named in the props.
 */
function suppressPostRestoreStep(construct: RefreshNagSubject, step: PostRestoreStep | undefined): void {
  if (!step) return;
  const role = construct.stateMachine.role;
  if (step.lambdaFunction) {
    suppressWildcards(role, [invokeQualified(step.lambdaFunction, 'Added by CDK\'s Step Functions LambdaInvoke task for the postRestore function: '
      + 'it allows its versions and aliases (<function ARN>:*) as well as its unqualified ARN; no other function is covered.')]);
    return;
  }
  const stack = Stack.of(construct.scope);
  const policy = role.node.tryFindChild('DefaultPolicy') as iam.Policy | undefined;
  const statements = (policy?.document.toJSON() as { Statement?: Array<{ Resource?: string | string[] }> } | undefined)?.Statement ?? [];
  const executions = statements.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource ?? ''])).filter((r) => r.includes(':execution:'));
  suppressWildcards(role, executions.map((resource) => expectedWildcard(stack, resource, 'Added by CDK\'s Step Functions StartExecution task (.sync) '
    + 'for the postRestore state machine: it describes and may stop that state machine\'s executions, whose names Step Functions gives at run time.',
  ['states:DescribeExecution', 'states:StopExecution'])));
}
