/**
 * The (action, resource, context) triples IAM checks for one RDS call, after the Service
 * Authorization Reference: the resource types each API authorizes, resource tags as
 * `aws:ResourceTag/…` and request tags as `aws:RequestTag/…`. Tagging on create or copy also
 * needs rds:AddTagsToResource on the new snapshot (aws-facts.md, "IAM").
 */
import type { Tag } from '@aws-sdk/client-rds';
import { clusterArn as clusterArnIn, snapshotArn as snapshotArnIn } from './aws-env';
import type { AuthorizationRequest, RequestContext } from './iam-policy';

export interface TagLookup {
  clusterTags(id: string | undefined): Tag[];
  snapshotTags(idOrArn: string | undefined): Tag[];
}

/** `account`: the caller's account, which owns the identifiers (not ARNs) in `input`. */
export function authorizationRequests(api: string, input: any, tags: TagLookup, account?: string): AuthorizationRequest[] {
  const action = `rds:${api}`;
  const snapshotArn = (idOrArn: string | undefined) => snapshotArnIn(idOrArn, account);
  const clusterArn = (id: string | undefined) => clusterArnIn(id, account);
  const requestTags = requestTagContext(input.Tags);
  const clusterContext = (id: string | undefined) => resourceTagContext(tags.clusterTags(id));
  const snapshotContext = (id: string | undefined) => resourceTagContext(tags.snapshotTags(id));
  const onSnapshot = (idOrArn: string): AuthorizationRequest => ({ action, resource: snapshotArn(idOrArn), context: snapshotContext(idOrArn) });
  const tagging = (resource: string): AuthorizationRequest[] =>
    (input.Tags?.length ? [{ action: 'rds:AddTagsToResource', resource, context: requestTags }] : []);
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
      return [{ action, resource: input.ResourceName, context: { ...snapshotContext(input.ResourceName), ...requestTags } }];
    case 'RemoveTagsFromResource':
    case 'ListTagsForResource':
      return [{ action, resource: input.ResourceName, context: snapshotContext(input.ResourceName) }];
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

function resourceTagContext(tags: Tag[]): RequestContext {
  return Object.fromEntries(tags.map((t) => [`aws:ResourceTag/${t.Key}`, t.Value ?? '']));
}

function requestTagContext(tags: Tag[] | undefined): RequestContext {
  return Object.fromEntries((tags ?? []).map((t) => [`aws:RequestTag/${t.Key}`, t.Value ?? '']));
}
