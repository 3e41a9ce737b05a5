import { Duration } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { RECEIVER_FUNCTION_DESCRIPTIONS, ReceiverFunctionName } from './function-descriptions';
import type { ReceiverPermissions } from './permissions';
import type { ReceivedClusterSnapshotsProps } from './props';
import type { ReceiverHandlerLogGroups, ReceiverHandlers } from './receiver-handlers';
import type { ReceiverReplicas } from './replicas';
import type { BundledHandler } from '../shared/bundled-handler';
import { DEFAULTS, ENV, TARGET_ENV } from '../shared/constants';
import { HandlerFunctionSettings } from '../shared/function-options';
import { HandlerFunctionFactory } from '../shared/handler-functions';

/** A handler of this side's bundle, by its export name: the camel case of its `handlers/*.lambda.ts` file. */
function receivingHandler(exportName: string): BundledHandler {
  return { side: 'receiving', exportName };
}

const CONSTRUCT_NAME = 'ReceivedClusterSnapshots';

/** The factory the receiver's functions are created with, from its props. */
export function receiverFunctionFactory(
  scope: Construct,
  props: ReceivedClusterSnapshotsProps,
  logRetention: logs.RetentionDays,
): HandlerFunctionFactory<ReceiverFunctionName> {
  return new HandlerFunctionFactory<ReceiverFunctionName>(scope, {
    constructName: CONSTRUCT_NAME,
    descriptions: RECEIVER_FUNCTION_DESCRIPTIONS,
    settings: new HandlerFunctionSettings(scope, props, CONSTRUCT_NAME),
    logRetention,
    environmentLimit: {
      props: 'sourceAccountIds, clusterIdentifiers and instanceIdentifiers',
      remedy: 'List fewer source databases, or leave clusterIdentifiers and instanceIdentifiers out to receive every database',
    },
  });
}

/** What the receiver's functions are built from. */
export interface ReceiverFunctionsProps {
  readonly factory: HandlerFunctionFactory<ReceiverFunctionName>;
  readonly permissions: ReceiverPermissions;
  /** What every function reads. */
  readonly environment: Record<string, string>;
  readonly copyKeyArn: string;
  readonly retainCopies: number;
  readonly confirmCopies: boolean;
  /** With `replicaRegions`: retention reads the replicas, and a kept copy starts its replicas. */
  readonly replicas?: ReceiverReplicas;
  /** `optionGroupName`: set on the copy function only. */
  readonly optionGroupName?: string;
}

/** The copy workflow's functions, each with its own role holding only what it calls. */
export function createCopyFunctions(props: ReceiverFunctionsProps): Pick<ReceiverHandlers, 'copySnapshot' | 'checkCopy' | 'retainCopies' | 'startReplicas'> {
  const { factory, permissions, environment } = props;
  const copySnapshot = factory.create('CopySharedSnapshot', receivingHandler('copySharedSnapshot'), {
    ...environment,
    [TARGET_ENV.COPY_KEY_ARN]: props.copyKeyArn,
    [ENV.SNAPSHOT_TIMEOUT_SECONDS]: String(DEFAULTS.snapshotTimeoutSeconds),
    ...(props.optionGroupName === undefined ? {} : { [TARGET_ENV.OPTION_GROUP_NAME]: props.optionGroupName }),
  }, [
    ...permissions.describeOwnCopies(),
    ...permissions.describeSourceSnapshots(),
    ...permissions.copyFromSources(),
    ...permissions.useSourceKeysThroughRds(),
    ...permissions.useCopyKeyThroughRds(props.copyKeyArn),
    ...permissions.readAccountQuotas(),
  ]);
  const checkCopy = factory.create('CheckCopy', receivingHandler('checkCopy'), environment, [
    ...permissions.describeOwnCopies(),
    ...permissions.deleteOwnCopies(),
  ]);
  const retainCopies = factory.create('RetainCopies', receivingHandler('retainCopies'), {
    ...environment,
    [TARGET_ENV.RETAIN_COPIES]: String(props.retainCopies),
    [TARGET_ENV.CONFIRM_COPIES]: String(props.confirmCopies),
  }, [...permissions.listSnapshots(), ...permissions.deleteOwnCopies(), ...(props.replicas?.permissions.describeReplicas() ?? [])]);
  return { copySnapshot, checkCopy, retainCopies, ...(props.replicas ? { startReplicas: props.replicas.handlers.startReplicas } : {}) };
}

/** The functions that start copies: the receive-event function (each event) and the catch-up scan. */
export function createStarterFunctions(
  factory: HandlerFunctionFactory<ReceiverFunctionName>,
  permissions: ReceiverPermissions,
  environment: Record<string, string>,
  replicas?: ReceiverReplicas,
): Pick<ReceiverHandlers, 'receiveEvent' | 'scan'> {
  // The scan also publishes each replica Region's freshness and starts the replicas a Region lacks.
  const scan = factory.create('ScanSharedSnapshots', receivingHandler('scanSharedSnapshots'), replicas?.starterEnvironment(environment) ?? environment, [
    ...permissions.listSnapshots(), ...(replicas?.permissions.listReplicas() ?? []),
  ], Duration.minutes(5));
  replicas?.grantStart(scan);
  return {
    receiveEvent: factory.create('ReceiveEvent', receivingHandler('receiveEvent'), environment, permissions.describeSourceSnapshots()),
    scan,
  };
}

/** The log group of each of `handlers`, as `factory` made them. */
export function receiverLogGroups(factory: HandlerFunctionFactory<ReceiverFunctionName>, handlers: ReceiverHandlers): ReceiverHandlerLogGroups {
  const of = factory.logGroupOf.bind(factory);
  return {
    receiveEvent: of(handlers.receiveEvent),
    scan: of(handlers.scan),
    copySnapshot: of(handlers.copySnapshot),
    checkCopy: of(handlers.checkCopy),
    retainCopies: of(handlers.retainCopies),
    ...(handlers.startReplicas ? { startReplicas: of(handlers.startReplicas) } : {}),
    ...(handlers.copyReplica ? { copyReplica: of(handlers.copyReplica) } : {}),
    ...(handlers.checkReplica ? { checkReplica: of(handlers.checkReplica) } : {}),
    ...(handlers.retainReplicas ? { retainReplicas: of(handlers.retainReplicas) } : {}),
  };
}

