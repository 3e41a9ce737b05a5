import { Duration } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { CheckCopyFunction } from './handlers/check-copy-function';
import { CopySharedSnapshotFunction } from './handlers/copy-shared-snapshot-function';
import { ReceiveEventFunction } from './handlers/receive-event-function';
import { RetainCopiesFunction } from './handlers/retain-copies-function';
import { ScanSharedSnapshotsFunction } from './handlers/scan-shared-snapshots-function';
import type { ReceiverPermissions } from './permissions';
import type { ReceivedClusterSnapshotsProps } from './props';
import type { ReceiverHandlerLogGroups, ReceiverHandlers } from './receiver-handlers';
import { DEFAULTS, ENV, TARGET_ENV } from '../shared/constants';
import { HandlerFunctionSettings } from '../shared/function-options';
import { HandlerFunctionFactory } from '../shared/handler-functions';

/** A receiver function's construct id (its logical id ends with it). */
export type ReceiverFunctionName = 'CopySharedSnapshot' | 'CheckCopy' | 'RetainCopies' | 'ReceiveEvent' | 'ScanSharedSnapshots';

const CONSTRUCT_NAME = 'ReceivedClusterSnapshots';

/** What each function does, as its Lambda description shows it in the console (at most 256 characters). */
export const RECEIVER_FUNCTION_DESCRIPTIONS: Readonly<Record<ReceiverFunctionName, string>> = {
  ReceiveEvent: 'ReceivedClusterSnapshots: checks a Cluster Snapshot Shared event from a source account and starts its copy',
  ScanSharedSnapshots: 'ReceivedClusterSnapshots: catch-up scan: starts the copies missing for the snapshots shared with this account, publishes freshness',
  CopySharedSnapshot: 'ReceivedClusterSnapshots: copies a shared snapshot under this account\'s key (CopySharedSnapshot step)',
  CheckCopy: 'ReceivedClusterSnapshots: checks whether the copy is available (CheckCopy step)',
  RetainCopies: 'ReceivedClusterSnapshots: deletes this instance\'s copies of the source cluster beyond retainCopies (RetainCopies step)',
};

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
      props: 'sourceAccountIds and clusterIdentifiers',
      remedy: 'List fewer source clusters, or leave clusterIdentifiers out to receive every cluster',
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
}

/** The copy workflow's functions, each with its own role holding only what it calls. */
export function createCopyFunctions(props: ReceiverFunctionsProps): Pick<ReceiverHandlers, 'copySnapshot' | 'checkCopy' | 'retainCopies'> {
  const { factory, permissions, environment } = props;
  const copySnapshot = factory.create('CopySharedSnapshot', CopySharedSnapshotFunction, {
    ...environment,
    [TARGET_ENV.COPY_KEY_ARN]: props.copyKeyArn,
    [ENV.SNAPSHOT_TIMEOUT_SECONDS]: String(DEFAULTS.snapshotTimeoutSeconds),
  }, [
    ...permissions.describeOwnCopies(),
    ...permissions.describeSourceSnapshots(),
    ...permissions.copyFromSources(),
    ...permissions.useSourceKeysThroughRds(),
    ...permissions.useCopyKeyThroughRds(props.copyKeyArn),
    ...permissions.readAccountQuotas(),
  ]);
  const checkCopy = factory.create('CheckCopy', CheckCopyFunction, environment, [
    ...permissions.describeOwnCopies(),
    ...permissions.deleteOwnCopies(),
  ]);
  const retainCopies = factory.create('RetainCopies', RetainCopiesFunction, {
    ...environment,
    [TARGET_ENV.RETAIN_COPIES]: String(props.retainCopies),
    [TARGET_ENV.CONFIRM_COPIES]: String(props.confirmCopies),
  }, [...permissions.listSnapshots(), ...permissions.deleteOwnCopies()]);
  return { copySnapshot, checkCopy, retainCopies };
}

/** The functions that start copies: the receive-event function (each event) and the catch-up scan. */
export function createStarterFunctions(
  factory: HandlerFunctionFactory<ReceiverFunctionName>,
  permissions: ReceiverPermissions,
  environment: Record<string, string>,
): Pick<ReceiverHandlers, 'receiveEvent' | 'scan'> {
  return {
    receiveEvent: factory.create('ReceiveEvent', ReceiveEventFunction, environment, permissions.describeSourceSnapshots()),
    scan: factory.create('ScanSharedSnapshots', ScanSharedSnapshotsFunction, environment, permissions.listSnapshots(), Duration.minutes(5)),
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
  };
}

