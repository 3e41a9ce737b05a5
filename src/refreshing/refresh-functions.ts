import { Duration, Stack } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { RefreshPermissions } from './permissions';
import { RefreshedDatabaseProps, RefreshMode } from './props';
import type { RefreshHandlers } from './refresh-handlers';
import type { BundledHandler } from '../shared/bundled-handler';
import { HandlerFunctionSettings } from '../shared/function-options';
import { HandlerFunctionFactory } from '../shared/handler-functions';

const CONSTRUCT_NAME = 'RefreshedDatabase';

/** A handler of the refresh's bundle, by its export name (its file name in camel case). */
function handler(exportName: string): BundledHandler {
  return { side: 'refreshing', exportName };
}

/** A function's construct id: its handler file's name in PascalCase. */
export type RefreshFunctionName = 'StartRefresh' | 'PrepareRefresh' | 'DeleteDatabases' | 'RestoreDatabase' | 'CheckDatabase'
| 'CreateInstances' | 'ResetMasterPassword' | 'SwapNames' | 'PublishDataAge' | 'CheckConnection' | 'RecordRestoreTest';

/** What each function does, as its Lambda description shows it in the console. */
const DESCRIPTIONS: Readonly<Record<RefreshFunctionName, string>> = {
  StartRefresh: 'RefreshedDatabase: starts one refresh per scheduled time',
  PrepareRefresh: 'RefreshedDatabase: finds the newest copy and plans the refresh (PrepareRefresh step)',
  DeleteDatabases: 'RefreshedDatabase: deletes databases this construct created (leftovers, a failed refresh\'s, the previous one)',
  RestoreDatabase: 'RefreshedDatabase: restores the newest copy under a temporary name (RestoreDatabase step)',
  CheckDatabase: 'RefreshedDatabase: checks a restore, its instances and secret, or the swap',
  CreateInstances: 'RefreshedDatabase: creates the restored database\'s instances (CreateInstances step)',
  ResetMasterPassword: 'RefreshedDatabase: resets the master password into a new Secrets Manager secret',
  SwapNames: 'RefreshedDatabase: renames the serving database away and the new one into place, or rolls the names back',
  PublishDataAge: 'RefreshedDatabase: publishes the age of the serving database\'s data (hourly)',
  CheckConnection: 'RefreshedDatabase: checks that a restored database accepts a connection on its port (restore test)',
  RecordRestoreTest: 'RefreshedDatabase: records a restore test\'s result as a metric',
};

/** Every function of a `RefreshedDatabase`, each with its own role holding exactly what it needs. */
export function createRefreshFunctions(
  scope: Construct,
  props: RefreshedDatabaseProps,
  permissions: RefreshPermissions,
  environment: Record<string, string>,
  logRetention: logs.RetentionDays,
): { handlers: Omit<RefreshHandlers, 'startRefresh'>; factory: HandlerFunctionFactory<RefreshFunctionName>; settings: HandlerFunctionSettings } {
  const settings = new HandlerFunctionSettings(scope, props, CONSTRUCT_NAME);
  const factory = new HandlerFunctionFactory<RefreshFunctionName>(scope, {
    constructName: CONSTRUCT_NAME,
    descriptions: DESCRIPTIONS,
    settings,
    logRetention,
    environmentLimit: { props: 'tags, subnetGroup, databaseSecurityGroups and the keys', remedy: 'Keep tags short' },
  });
  const p = permissions;
  const handlers = {
    prepareRefresh: factory.create('PrepareRefresh', handler('prepareRefresh'), environment, [...p.list()]),
    deleteDatabases: factory.create('DeleteDatabases', handler('deleteDatabases'), environment, [...p.describe(), ...p.delete(props.finalSnapshot ?? false)]),
    restoreDatabase: factory.create('RestoreDatabase', handler('restoreDatabase'), environment, [...p.describe(), ...p.restore()]),
    checkDatabase: factory.create('CheckDatabase', handler('checkDatabase'), environment, p.describe()),
    createInstances: factory.create('CreateInstances', handler('createInstances'), environment, [...p.describe(), ...p.createInstances()]),
    resetMasterPassword: factory.create('ResetMasterPassword', handler('resetMasterPassword'), environment, [...p.describe(), ...p.resetMasterPassword()]),
  };
  const modal = (props.mode ?? RefreshMode.REFRESH) === RefreshMode.REFRESH ? {
    swapNames: factory.create('SwapNames', handler('swapNames'), environment, [...p.describe(), ...p.swap()]),
    publishDataAge: factory.create('PublishDataAge', handler('publishDataAge'), environment, p.describeServing()),
  } : {
    checkConnection: factory.create('CheckConnection', handler('checkConnection'), environment, [], Duration.minutes(1)),
    recordRestoreTest: factory.create('RecordRestoreTest', handler('recordRestoreTest'), environment, []),
  };
  return { handlers: { ...handlers, ...modal }, factory, settings };
}

/** The starter, which needs the state machine's ARN (and the right to start it). */
export function createStarter(factory: HandlerFunctionFactory<RefreshFunctionName>, environment: Record<string, string>) {
  return factory.create('StartRefresh', handler('startRefresh'), environment, [], Duration.minutes(1));
}

/** The restore settings, as one JSON environment variable (tokens resolved by CloudFormation). */
export function restoreSettingsJson(
  scope: Construct,
  props: RefreshedDatabaseProps,
  defaults: { instances: number; minCapacity: number; maxCapacity: number; deletionProtection: boolean },
): string {
  const capacity = props.serverlessV2;
  return Stack.of(scope).toJsonString({
    subnetGroupName: props.subnetGroup.subnetGroupName,
    securityGroupIds: props.databaseSecurityGroups.map((g) => g.securityGroupId),
    kmsKeyId: props.encryptionKey?.keyArn,
    parameterGroupName: props.parameterGroupName,
    engineVersion: props.engineVersion,
    instanceClass: props.instanceClass ?? 'db.serverless',
    serverlessV2: props.instanceClass ? undefined : {
      MinCapacity: capacity?.minCapacity ?? defaults.minCapacity,
      MaxCapacity: capacity?.maxCapacity ?? defaults.maxCapacity,
      SecondsUntilAutoPause: capacity?.secondsUntilAutoPause?.toSeconds(),
    },
    instances: props.instances ?? defaults.instances,
    port: props.port,
    masterUserSecretKmsKeyId: props.masterUserSecretKey?.keyArn,
    deletionProtection: props.deletionProtection ?? defaults.deletionProtection,
    tags: props.tags ?? {},
  });
}
