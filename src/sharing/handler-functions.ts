import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { FUNCTION_DESCRIPTIONS, HandlerName } from './operations';
import type { SharedClusterSnapshotsProps } from './props';
import type { BundledHandler } from '../shared/bundled-handler';
import { HandlerFunctionSettings } from '../shared/function-options';
import { HandlerFunctionFactory as Factory } from '../shared/handler-functions';

/** A handler of this side's bundle, by its export name: the camel case of its `handlers/*.lambda.ts` file. */
export function sharingHandler(exportName: string): BundledHandler {
  return { side: 'sharing', exportName };
}

/** The factory of `SharedClusterSnapshots`'s functions, by their construct ids. */
export type HandlerFunctionFactory = Factory<HandlerName>;

const CONSTRUCT_NAME = 'SharedClusterSnapshots';

/** The factory every function of a `SharedClusterSnapshots` is created with, from its props. */
export function sourceFunctionFactory(
  scope: Construct,
  props: SharedClusterSnapshotsProps,
  logRetention: logs.RetentionDays,
): HandlerFunctionFactory {
  return new Factory<HandlerName>(scope, {
    constructName: CONSTRUCT_NAME,
    descriptions: FUNCTION_DESCRIPTIONS,
    settings: new HandlerFunctionSettings(scope, props, CONSTRUCT_NAME),
    logRetention,
    environmentLimit: {
      props: 'clusterIdentifiers, clusterTag, targetAccountIds and snapshotTags',
      remedy: 'Select large fleets with clusterTag instead of listing them, and keep snapshotTags short',
    },
  });
}
