/**
 * DescribeDBClusters / DescribeDBInstances answers for the restored clusters, built with the SDK
 * model's types (@aws-sdk/client-rds `DBCluster`, `DBInstance`), so a field is spelled and typed as
 * the real response has it.
 */
import type { DBCluster, DBInstance } from '@aws-sdk/client-rds';
import { REGION } from './aws-env';
import type { Database, DatabaseInstance, ManagedSecret } from './rds-database-types';
import { encryptionFields } from './rds-encryption';

/** The cluster endpoint's DNS name: `<identifier>.cluster-<id>.<region>.rds.amazonaws.com` (the form Aurora uses). */
export function endpointOf(identifier: string, account: string): string {
  return `${identifier}.cluster-c${account.slice(-8)}.${REGION}.rds.amazonaws.com`;
}

export function clusterView(c: Database, members: DatabaseInstance[], account: string, secret?: ManagedSecret): DBCluster {
  const writer = members.slice().sort((a, b) => a.createdAt - b.createdAt)[0];
  return {
    DBClusterIdentifier: c.identifier,
    DBClusterArn: `arn:aws:rds:${REGION}:${account}:cluster:${c.identifier}`,
    DbClusterResourceId: c.resourceId,
    Status: c.status,
    Engine: c.engine,
    EngineVersion: c.engineVersion,
    Endpoint: endpointOf(c.identifier, account),
    ReaderEndpoint: endpointOf(c.identifier, account).replace('.cluster-', '.cluster-ro-'),
    Port: c.port,
    MasterUsername: c.masterUsername,
    ClusterCreateTime: new Date(c.createdAt),
    DBSubnetGroup: c.subnetGroup,
    VpcSecurityGroups: c.securityGroups.map((id) => ({ VpcSecurityGroupId: id, Status: 'active' })),
    DBClusterParameterGroup: c.parameterGroup,
    ServerlessV2ScalingConfiguration: c.serverlessV2,
    DeletionProtection: c.deletionProtection,
    ...encryptionFields(c.encryption),
    DBClusterMembers: members.map((i) => ({ DBInstanceIdentifier: i.identifier, IsClusterWriter: i === writer })),
    MasterUserSecret: secret && {
      SecretArn: secret.arn,
      SecretStatus: Date.now() >= secret.activeAt ? 'active' : 'creating',
      KmsKeyId: secret.kmsKeyId,
    },
    PendingModifiedValues: c.pendingIdentifier ? { DBClusterIdentifier: c.pendingIdentifier } : undefined,
    TagList: c.tags.map((t) => ({ ...t })),
  };
}

export function instanceView(i: DatabaseInstance, c: Database, account: string): DBInstance {
  return {
    DBInstanceIdentifier: i.identifier,
    DBInstanceArn: `arn:aws:rds:${REGION}:${account}:db:${i.identifier}`,
    DbiResourceId: i.resourceId,
    DBInstanceClass: i.instanceClass,
    Engine: i.engine,
    DBInstanceStatus: i.status,
    DBClusterIdentifier: c.identifier,
    InstanceCreateTime: new Date(i.createdAt),
    TagList: i.tags.map((t) => ({ ...t })),
  };
}

