import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { recordConfirmationStatements } from './confirmations';
import { sharingHandler, type HandlerFunctionFactory } from './handler-functions';
import type { HandlerName } from './operations';
import type { SnapshotPermissions } from './permissions';
import type { SnapshotHandlerLogGroups, SnapshotHandlers } from './snapshot-handlers';
import { ENV, SOURCE_EVENTS_ENV } from '../shared/constants';

/** What the workflow's functions are built from. */
export interface WorkflowFunctionsProps {
  readonly factory: HandlerFunctionFactory;
  readonly permissions: SnapshotPermissions;
  readonly ownerId: string;
  readonly sharingKeyArn: string;
  /** What every workflow function reads. */
  readonly environment: Record<string, string>;
  /** The cluster selection, which only Prepare reads. */
  readonly selection: Record<string, string>;
  /** The extra snapshot tags, which CreateSnapshot and CopySnapshot put on. */
  readonly tagging: Record<string, string>;
  readonly maxConcurrentCopies: number;
  readonly retainUntilCopied: boolean;
  readonly maxRetentionSeconds: number;
}

/** The workflow's handler functions, each with its own role holding only what it calls. */
export function createWorkflowFunctions(scope: Construct, props: WorkflowFunctionsProps): SnapshotHandlers {
  const { factory, permissions } = props;
  const workflowFunction = (id: HandlerName, exportName: string, statements: iam.PolicyStatement[], extraEnvironment = {}) =>
    factory.create(id, sharingHandler(exportName), { ...props.environment, ...extraEnvironment }, statements);

  const prepare = workflowFunction('Prepare', 'prepare', [
    ...permissions.describeClusters(),
    ...permissions.listSnapshotsOfCluster(),
    ...permissions.deleteOwnSnapshots(),
  ], props.selection);
  const createSnapshot = workflowFunction('CreateSnapshot', 'createSnapshot', [
    ...permissions.createSnapshots(),
    ...permissions.describeOwnSnapshots(),
  ], props.tagging);
  permissions.attachClusterPolicies(scope, 'CreateSnapshotClusters', createSnapshot.role!, createSnapshot);
  const checkSnapshot = workflowFunction('CheckSnapshot', 'checkSnapshot', permissions.describeOwnSnapshots());
  const copySnapshot = workflowFunction('CopySnapshot', 'copySnapshot', [
    ...permissions.copySnapshots(),
    ...permissions.describeOwnSnapshots(),
    ...permissions.useSourceKeysThroughRds(),
    ...permissions.countCopiesInProgress(),
    ...permissions.useSharingKeyThroughRds(props.sharingKeyArn),
  ], { [ENV.MAX_CONCURRENT_COPIES]: String(props.maxConcurrentCopies), ...props.tagging });
  // Revocation reads who each retained shared snapshot of the cluster is shared with.
  const shareSnapshot = workflowFunction('ShareSnapshot', 'shareSnapshot', [
    ...permissions.shareSnapshots(),
    ...permissions.listSnapshotsOfCluster(),
    ...permissions.describeOwnSnapshotAttributes(),
  ]);
  const cleanUp = workflowFunction('CleanUp', 'cleanUp', [
    ...permissions.listSnapshotsOfCluster(),
    ...permissions.describeOwnSnapshotAttributes(),
    ...permissions.deleteOwnSnapshots(),
    // retainUntilCopied: CleanUp marks the new snapshot as awaited by the known receivers.
    ...(props.retainUntilCopied ? recordConfirmationStatements(permissions, props.ownerId) : []),
  ], {
    [SOURCE_EVENTS_ENV.RETAIN_UNTIL_COPIED]: String(props.retainUntilCopied),
    [SOURCE_EVENTS_ENV.MAX_RETENTION_SECONDS]: String(props.maxRetentionSeconds),
  });
  const cleanUpFailedRun = workflowFunction('CleanUpFailedRun', 'cleanUpFailedRun', [
    ...permissions.describeOwnSnapshots(),
    ...permissions.describeOwnSnapshotAttributes(),
    ...permissions.deleteOwnSnapshots(),
  ]);
  return { prepare, createSnapshot, checkSnapshot, copySnapshot, shareSnapshot, cleanUp, cleanUpFailedRun };
}

/** The log group of each of `handlers`, as `factory` made them. */
export function workflowLogGroups(factory: HandlerFunctionFactory, handlers: SnapshotHandlers): SnapshotHandlerLogGroups {
  const of = (fn: lambda.IFunction) => factory.logGroupOf(fn);
  return {
    prepare: of(handlers.prepare),
    createSnapshot: of(handlers.createSnapshot),
    checkSnapshot: of(handlers.checkSnapshot),
    copySnapshot: of(handlers.copySnapshot),
    shareSnapshot: of(handlers.shareSnapshot),
    cleanUp: of(handlers.cleanUp),
    cleanUpFailedRun: of(handlers.cleanUpFailedRun),
  };
}
