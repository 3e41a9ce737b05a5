import { Aws, Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { sharingHandler, type HandlerFunctionFactory } from './handler-functions';
import type { SnapshotPermissions } from './permissions';
import { EVENT_DETAIL_TYPE, EVENT_SOURCE, TAG_COPIED_PREFIX, TAG_OWNER } from '../shared/constants';

export interface CopyConfirmationsProps {
  readonly targetAccountIds: string[];
  readonly ownerId: string;
  readonly permissions: SnapshotPermissions;
  readonly environment: Record<string, string>;
  readonly functions: HandlerFunctionFactory;
  /** With DB instances selected: reading and tagging their shared snapshots too. */
  readonly instanceStatements?: iam.PolicyStatement[];
}

/**
 * With `retainUntilCopied`: the default bus policy that lets exactly the target accounts put
 * `Cluster Snapshot Copied` events from this library's source, a rule that passes them (from those
 * accounts only) to the RecordCopy handler, and the handler, which tags each confirmed snapshot.
 */
export class CopyConfirmations extends Construct {
  /** The handler that validates each confirmation and records it as a tag on the snapshot. */
  public readonly handler: lambda.Function;
  /** The rule on this account's default bus that passes the targets' `Cluster Snapshot Copied` events on. */
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: CopyConfirmationsProps) {
    super(scope, id);
    this.handler = props.functions.create('RecordCopy', sharingHandler('recordCopy'), props.environment, [
      ...props.permissions.describeOwnSnapshots(),
      ...recordConfirmationStatements(props.permissions, props.ownerId),
      ...props.instanceStatements ?? [],
    ]);
    const bus = events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    const statementId = `copied-${this.node.addr}`;
    new events.CfnEventBusPolicy(this, 'AllowTargetAccounts', {
      eventBusName: 'default',
      statementId,
      statement: {
        Sid: statementId,
        Effect: 'Allow',
        Principal: { AWS: props.targetAccountIds.map((account) => `arn:${Aws.PARTITION}:iam::${account}:root`) },
        Action: 'events:PutEvents',
        Resource: bus.eventBusArn,
        Condition: { StringEquals: { 'events:source': EVENT_SOURCE, 'events:detail-type': EVENT_DETAIL_TYPE.copied } },
      },
    });
    this.rule = new events.Rule(this, 'CopiedSnapshotRule', {
      description: 'Cluster Snapshot Copied confirmations from the target accounts, to SharedClusterSnapshots',
      eventPattern: { source: [EVENT_SOURCE], detailType: [EVENT_DETAIL_TYPE.copied], account: props.targetAccountIds },
    });
    this.rule.addTarget(new eventTargets.LambdaFunction(this.handler, { retryAttempts: 4, maxEventAge: Duration.hours(2) }));
  }
}

/**
 * Add only confirmation tags (`shared-cluster-snapshots:copied-*`), and only to `<prefix>-*`
 * snapshots that carry this owner's tag: the role can neither forge ownership nor retag a user's
 * snapshot. RecordCopy writes confirmations with it, CleanUp (with `retainUntilCopied`) `pending` marks.
 */
export function recordConfirmationStatements(permissions: SnapshotPermissions, ownerId: string): iam.PolicyStatement[] {
  return [new iam.PolicyStatement({
    actions: ['rds:AddTagsToResource'],
    resources: [permissions.ownSnapshots],
    conditions: {
      'StringEquals': { [`aws:ResourceTag/${TAG_OWNER}`]: ownerId },
      'ForAllValues:StringLike': { 'aws:TagKeys': [`${TAG_COPIED_PREFIX}*`] },
    },
  })];
}
