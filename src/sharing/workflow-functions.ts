import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { recordConfirmationStatements } from './confirmations';
import { sharingHandler, type HandlerFunctionFactory } from './handler-functions';
import type { InstancePermissions } from './instance-permissions';
import type { HandlerName } from './operations';
import type { SnapshotPermissions } from './permissions';
import type { RegionWiring } from './region-wiring';
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
  /** The DB instances' permissions, selection and copy cap, when any are selected. */
  readonly instances?: InstanceWiring;
  /** `regions`: the other Regions' permissions and keys, when any are listed. */
  readonly regions?: RegionWiring;
}

/** What the functions need for DB instances, when the construct selects any. */
export interface InstanceWiring {
  readonly permissions: InstancePermissions;
  /** The instance selection, which Prepare (and the starter and freshness) read. */
  readonly selection: Record<string, string>;
  readonly maxConcurrentInstanceCopies: number;
  /** `snapshotSource` automated: CopySnapshot may copy the instances' automated snapshots, and the workflow goes from Prepare straight to the copy. */
  readonly automatedSource: boolean;
}

/** The workflow's handler functions, each with its own role holding only what it calls. */
export function createWorkflowFunctions(scope: Construct, props: WorkflowFunctionsProps): SnapshotHandlers {
  const { factory, permissions } = props;
  // With regions, the steps that also work in the other Regions get their statements there and the Regions' keys.
  const regional = props.regions;
  const workflowFunction = (id: HandlerName, exportName: string, statements: iam.PolicyStatement[], extraEnvironment = {}) =>
    factory.create(id, sharingHandler(exportName), { ...props.environment, ...regional?.environment(), ...extraEnvironment }, statements);
  const inRegions = (step: Parameters<RegionWiring['statements']>[0]) => regional?.statements(step) ?? [];
  // With DB instances selected, each function gets the instance counterparts of its cluster statements.
  const db = props.instances?.permissions;
  const forInstances = (statements: (p: InstancePermissions) => iam.PolicyStatement[]) => (db ? statements(db) : []);

  const prepare = workflowFunction('Prepare', 'prepare', [
    ...permissions.describeClusters(),
    ...permissions.listSnapshotsOfCluster(),
    ...permissions.deleteOwnSnapshots(),
    ...forInstances((p) => [...p.describeInstances(), ...p.describeOptionGroups(), ...p.listSnapshots(), ...p.deleteOwnSnapshots()]),
  ], { ...props.selection, ...props.instances?.selection });
  const createSnapshot = workflowFunction('CreateSnapshot', 'createSnapshot', [
    ...permissions.createSnapshots(),
    ...permissions.describeOwnSnapshots(),
    ...forInstances((p) => [...p.createSnapshots(), ...p.describeOwnSnapshots()]),
  ], props.tagging);
  permissions.attachClusterPolicies(scope, 'CreateSnapshotClusters', createSnapshot.role!, createSnapshot);
  db?.attachInstancePolicies(scope, 'CreateSnapshotInstances', createSnapshot.role!, createSnapshot);
  const checkSnapshot = workflowFunction('CheckSnapshot', 'checkSnapshot', [
    ...permissions.describeOwnSnapshots(),
    ...forInstances((p) => p.describeOwnSnapshots()),
    ...inRegions('checkSnapshot'),
  ]);
  const copySnapshot = workflowFunction('CopySnapshot', 'copySnapshot', [
    ...permissions.copySnapshots(),
    ...permissions.describeOwnSnapshots(),
    ...permissions.useSourceKeysThroughRds(),
    ...permissions.countCopiesInProgress(),
    ...permissions.useSharingKeyThroughRds(props.sharingKeyArn),
    ...forInstances((p) => [
      ...p.copySnapshots(),
      ...p.describeOwnSnapshots(),
      ...p.listSnapshots(),
      ...(props.instances?.automatedSource ? p.copyAutomatedSnapshots() : []),
    ]),
  ], {
    [ENV.MAX_CONCURRENT_COPIES]: String(props.maxConcurrentCopies),
    ...(props.instances ? { [ENV.MAX_CONCURRENT_INSTANCE_COPIES]: String(props.instances.maxConcurrentInstanceCopies) } : {}),
    ...props.tagging,
  });
  // Revocation reads who each retained shared snapshot of the cluster is shared with.
  const shareSnapshot = workflowFunction('ShareSnapshot', 'shareSnapshot', [
    ...permissions.shareSnapshots(),
    ...permissions.listSnapshotsOfCluster(),
    ...permissions.describeOwnSnapshotAttributes(),
    ...forInstances((p) => [...p.shareSnapshots(), ...p.listSnapshots(), ...p.describeOwnSnapshotAttributes()]),
    ...inRegions('shareSnapshot'),
  ]);
  const cleanUp = workflowFunction('CleanUp', 'cleanUp', [
    ...permissions.listSnapshotsOfCluster(),
    ...permissions.describeOwnSnapshotAttributes(),
    ...permissions.deleteOwnSnapshots(),
    // retainUntilCopied: CleanUp marks the new snapshot as awaited by the known receivers.
    ...(props.retainUntilCopied ? recordConfirmationStatements(permissions, props.ownerId) : []),
    ...forInstances((p) => [
      ...p.listSnapshots(),
      ...p.describeOwnSnapshotAttributes(),
      ...p.deleteOwnSnapshots(),
      ...(props.retainUntilCopied ? p.recordConfirmations() : []),
    ]),
    ...inRegions('cleanUp'),
  ], {
    [SOURCE_EVENTS_ENV.RETAIN_UNTIL_COPIED]: String(props.retainUntilCopied),
    [SOURCE_EVENTS_ENV.MAX_RETENTION_SECONDS]: String(props.maxRetentionSeconds),
  });
  const cleanUpFailedRun = workflowFunction('CleanUpFailedRun', 'cleanUpFailedRun', [
    ...permissions.describeOwnSnapshots(),
    ...permissions.describeOwnSnapshotAttributes(),
    ...permissions.deleteOwnSnapshots(),
    ...forInstances((p) => [...p.describeOwnSnapshots(), ...p.describeOwnSnapshotAttributes(), ...p.deleteOwnSnapshots()]),
    ...inRegions('cleanUpFailedRun'),
  ]);
  const copyToRegion = regional && workflowFunction('CopyToRegion', 'copyToRegion', inRegions('copyToRegion'), {
    [ENV.MAX_CONCURRENT_COPIES]: String(props.maxConcurrentCopies),
    ...(props.instances ? { [ENV.MAX_CONCURRENT_INSTANCE_COPIES]: String(props.instances.maxConcurrentInstanceCopies) } : {}),
    ...props.tagging,
  });
  const steps = { prepare, createSnapshot, checkSnapshot, copySnapshot, shareSnapshot, cleanUp, cleanUpFailedRun };
  return copyToRegion ? { ...steps, copyToRegion } : steps;
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
    ...(handlers.copyToRegion ? { copyToRegion: of(handlers.copyToRegion) } : {}),
  };
}
