import type { Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { instanceEnvironment } from './cluster-environment';
import { InstancePermissions } from './instance-permissions';
import type { SharedClusterSnapshotsProps } from './props';
import type { InstanceWiring } from './workflow-functions';
import { DEFAULTS, ENV } from '../shared/constants';

/**
 * The DB instance part of a SharedClusterSnapshots, when its props select any instance
 * (`instanceIdentifiers` or `instanceTag`): the instances' permissions, selection environment and
 * copy cap. Undefined otherwise, so a construct of clusters only synthesizes as before.
 */
export function instanceWiring(stack: Stack, props: SharedClusterSnapshotsProps, prefix: string, ownerId: string): InstanceWiring | undefined {
  const ids = props.instanceIdentifiers ?? [];
  if (ids.length === 0 && !props.instanceTag) return undefined;
  const maxAge = props.snapshotSource?.kind === 'automated' ? props.snapshotSource.maxAge : undefined;
  return {
    permissions: new InstancePermissions(stack, prefix, ownerId, ids, props.instanceTag),
    selection: {
      ...instanceEnvironment(ids, props.instanceTag),
      ...(maxAge ? { [ENV.AUTOMATED_SNAPSHOT_MAX_AGE_SECONDS]: String(maxAge.toSeconds()) } : {}),
    },
    maxConcurrentInstanceCopies: props.maxConcurrentInstanceCopies ?? DEFAULTS.maxConcurrentInstanceCopies,
    automatedSource: maxAge !== undefined,
  };
}

/** The starter: the quota pre-check credits a retried run's DB snapshots; `instanceTag` discovery lists the instances. */
export function starterInstanceStatements(wiring: InstanceWiring | undefined, discoversByTag: boolean): iam.PolicyStatement[] {
  if (!wiring) return [];
  return [...wiring.permissions.listSnapshots(), ...(discoversByTag ? wiring.permissions.describeInstances() : [])];
}

/** `additionalSharingKeys` as Prepare reads them; nothing without them. */
export function sharingKeysEnvironment(props: SharedClusterSnapshotsProps): Record<string, string> {
  const keys = props.additionalSharingKeys ?? [];
  return keys.length > 0 ? { [ENV.ADDITIONAL_SHARING_KEY_ARNS]: keys.map((key) => key.keyArn).join(',') } : {};
}
