import { ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { DatabaseKind, RefreshedDatabaseProps } from './props';
import { EVENT_DETAIL_TYPE, EVENT_SOURCE } from '../shared/constants';

/**
 * `runOnNewCopy`: a rule on this account's default bus that hands the receiver's `Cluster Snapshot
 * Received` event of the selected database's copies (DB cluster snapshot copies for Aurora, DB
 * snapshot copies for a DB instance; its copy prefix and owner id, the source account when given) to the starter, which starts the run of the event's minute. The event is only a hint: the
 * run's Prepare re-reads the copies and the databases, and a run in progress makes it skip.
 */
export function newCopyRule(scope: Construct, props: RefreshedDatabaseProps, starter: lambda.IFunction): events.Rule {
  const source = props.sourceClusterIdentifier;
  return new events.Rule(scope, 'NewCopyRule', {
    description: `Starts a RefreshedDatabase run of ${props.databaseIdentifier} when a copy of ${props.sourceClusterIdentifier} is available`,
    eventPattern: {
      source: [EVENT_SOURCE],
      detailType: [EVENT_DETAIL_TYPE.received],
      account: [Stack.of(scope).account],
      detail: {
        // The receiver names clusters in lowercase, as RDS stores them.
        clusterIdentifier: [Token.isUnresolved(source) ? source : source.toLowerCase()],
        copyPrefix: [props.source.copyPrefix],
        // A copy of this kind: `:cluster-snapshot:` for Aurora, `:snapshot:` for a DB instance.
        copyArn: events.Match.prefix(Stack.of(scope).formatArn({
          service: 'rds', resource: props.kind === DatabaseKind.DB_INSTANCE ? 'snapshot' : 'cluster-snapshot', resourceName: `${props.source.copyPrefix}-`, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        })),
        ownerId: [props.source.ownerId],
        ...(props.sourceAccountId ? { sourceAccount: [props.sourceAccountId] } : {}),
      },
    },
    targets: [new targets.LambdaFunction(starter, { retryAttempts: 3, maxEventAge: Duration.hours(1) })],
  });
}
