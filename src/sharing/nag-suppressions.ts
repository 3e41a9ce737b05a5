import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { IConstruct } from 'constructs';
import type { ClusterTag } from './cluster-tag';
import type { SnapshotPermissions } from './permissions';
import type { SnapshotHandlers } from './snapshot-handlers';
import { TAG_OWNER } from '../shared/constants';
import { VPC_NETWORK_INTERFACE_ACTIONS } from '../shared/function-options';
import {
  ExpectedWildcard, expectedWildcard, suppressPinnedRuntimes, suppressScheduleRole, suppressStateMachineRole, suppressWildcards, WildcardArgs,
} from '../shared/nag';

/*
 * cdk-nag suppressions for SharedClusterSnapshots (the rules and their format: src/shared/nag.ts).
 */

/**
 * The resources whose findings are suppressed: the members of `SharedClusterSnapshots` named the
 * same, without importing the construct (which imports this module).
 */
export interface SuppressionSubjects extends IConstruct {
  readonly handlers: SnapshotHandlers;
  readonly starterFunction: lambda.IFunction;
  readonly stateMachine: sfn.StateMachine;
  readonly schedule: scheduler.Schedule;
}

/** The functions beside the workflow's and the starter (freshness, confirmations), and the schedules that invoke them. */
export interface ExtraFunctions {
  readonly functions: lambda.IFunction[];
  readonly scheduled: Array<{ schedule: scheduler.Schedule; fn: lambda.IFunction }>;
  /** More expected wildcards (the DB instances' resources, when any are selected). */
  readonly wildcards?: ExpectedWildcard[];
}

/**
 * Adds the suppressions for the findings this construct's own resources are known to raise.
 * Call it at the end of the constructor, once every policy statement is in place.
 */
export function addNagSuppressions(
  construct: SuppressionSubjects,
  permissions: SnapshotPermissions,
  prefix: string,
  clusterTag?: ClusterTag,
  /** Functions outside the workflow (confirmations, freshness), and those a schedule of their own invokes. */
  extra: ExtraFunctions = { functions: [], scheduled: [] },
): void {
  const stack = Stack.of(construct);
  const known = (...args: WildcardArgs) => expectedWildcard(stack, ...args);
  const sourceKeys = permissions.useSourceKeysThroughRds().flatMap((statement) => statement.resources).map((resource) => known(resource,
    'Copying re-encrypts the source snapshot, whose key (the AWS-managed aws/rds key or the cluster\'s customer key) is only known at run time.',
    undefined, {
      'kms:ViaService': 'Use is limited to requests RDS makes in this Region on the handler\'s behalf (kms:ViaService).',
      'kms:GrantIsForAWSResource': 'Grants are limited to grants for AWS resources (kms:GrantIsForAWSResource).',
    }));
  const handlerFunctions: lambda.IFunction[] = Object.values(construct.handlers);
  const noResourceTypes = handlerFunctions.some((fn) => fn instanceof lambda.Function && fn.isBoundToVpc)
    ? known('*', 'rds:DescribeAccountAttributes has no resource-level permissions (no resource type in the Service Authorization Reference), '
      + 'so IAM requires Resource "*". The EC2 network-interface actions are the ones Lambda uses with the function\'s role to attach it to '
      + 'the VPC (vpc), granted on "*" as the AWS managed policy AWSLambdaVPCAccessExecutionRole grants them.',
    ['rds:DescribeAccountAttributes', ...VPC_NETWORK_INTERFACE_ACTIONS])
    : known('*',
      'These read-only actions have no resource-level permissions (no resource type in the Service Authorization Reference), so IAM requires Resource "*".',
      ['rds:DescribeAccountAttributes']);
  const rdsWildcards = [...snapshotWildcards(stack, permissions, prefix, clusterTag), ...sourceKeys, noResourceTypes, ...extra.wildcards ?? []];

  for (const fn of [...handlerFunctions, construct.starterFunction, ...extra.functions]) {
    suppressWildcards(fn.role, rdsWildcards);
  }
  suppressStateMachineRole(construct.stateMachine, handlerFunctions);
  suppressScheduleRole(construct.schedule, construct.starterFunction, 'starter function');
  for (const { schedule, fn } of extra.scheduled) suppressScheduleRole(schedule, fn, 'own scheduled function');
  suppressPinnedRuntimes([...handlerFunctions, construct.starterFunction, ...extra.functions]);
}

/** The cluster snapshot wildcards of `permissions` (the stack's Region's, or another's with `regions`), and why each is needed. */
export function snapshotWildcards(stack: Stack, permissions: SnapshotPermissions, prefix: string, clusterTag?: ClusterTag): ExpectedWildcard[] {
  const known = (...args: WildcardArgs) => expectedWildcard(stack, ...args);
  const ownSnapshots = known(permissions.ownSnapshots,
    `Snapshot identifiers are generated per run, so only this instance's '${prefix}-' prefix is known at deploy time.`, undefined, {
      [`aws:RequestTag/${TAG_OWNER}`]: `New snapshots must be tagged ${TAG_OWNER} with this instance's owner id.`,
      [`aws:ResourceTag/${TAG_OWNER}`]: `Existing snapshots must carry ${TAG_OWNER} with this instance's owner id.`,
    });
  const allSnapshots = known(permissions.allSnapshots,
    'Lists one cluster\'s manual snapshots (filter db-cluster-id) to find those this instance owns by tag; a filtered list call '
    + 'has no snapshot ARN to scope to.', ['rds:DescribeDBClusterSnapshots']);
  const allClusters = known(permissions.allClusters,
    'DB clusters are chosen at run time (found by clusterTag, or named in an execution input and checked by the handler against '
    + 'clusterIdentifiers and clusterTag), so their ARNs cannot all be listed in advance.', undefined, clusterTag && {
      [`aws:ResourceTag/${clusterTag.key}`]: 'Snapshots may be created only of clusters that carry clusterTag (aws:ResourceTag, read '
        + 'from the cluster); explicit clusterIdentifiers are allowed by ARN in managed policies of their own.',
    });
  return [ownSnapshots, allSnapshots, allClusters];
}

