/**
 * Fake responses carry real fields: every response field a handler reads is present in the
 * in-memory RDS's (and Step Functions') responses, spelled and typed as in the SDK model. The
 * field lists are typed with the SDK's shapes, so a misspelt or removed field fails compilation;
 * a handler reading a field missing from these lists fails the first test.
 */
import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import {
  AccountQuota, CopyDBClusterSnapshotCommand, CopyDBSnapshotCommand, CreateDBClusterSnapshotCommand, CreateDBSnapshotCommand, DBCluster,
  DBClusterSnapshot, DBClusterSnapshotAttribute, DBClusterSnapshotAttributesResult, DBInstance, DBSnapshot, DBSnapshotAttribute,
  DBSnapshotAttributesResult, DeleteDBClusterSnapshotCommand, DescribeAccountAttributesCommand, DescribeAccountAttributesMessage,
  DescribeDBClusterSnapshotAttributesCommand, DescribeDBClusterSnapshotsCommand, DescribeDBClustersCommand, DescribeDBInstancesCommand,
  DescribeDBSnapshotAttributesCommand, DescribeDBSnapshotsCommand, DescribeOptionGroupsCommand, ModifyDBClusterSnapshotAttributeCommand,
  ModifyDBSnapshotAttributeCommand, Option, OptionGroup, OptionGroupMembership, RDSClient, Tag, CreateDBInstanceCommand, MasterUserSecret,
  ModifyDBClusterCommand, RestoreDBClusterFromSnapshotCommand,
} from '@aws-sdk/client-rds';
import { ExecutionListItem, ListExecutionsCommand, ListExecutionsOutput, SFNClient, StartExecutionCommand, StartExecutionOutput } from '@aws-sdk/client-sfn';
import { AWS_OWNED_KEY } from '../../sim/aws-env';
import { FakeRds } from '../../sim/fake-rds';
import { FakeStepFunctions } from '../../sim/step-functions';
import { CONFIRMATION_ERROR, ERROR, REFRESH_ERROR, TARGET_ERROR } from '../../src/shared/constants';

type Kind = 'string' | 'number' | 'boolean' | 'date' | 'array' | 'object';
type Fields<T> = Partial<Record<keyof T & string, Kind>>;

/** Per SDK shape, the fields the handlers read (grep the handlers), with their model type. */
const READ = {
  DBCluster: { DBClusterIdentifier: 'string', Status: 'string', Engine: 'string', StorageEncrypted: 'boolean', StorageEncryptionType: 'string', KmsKeyId: 'string', TagList: 'array' } satisfies Fields<DBCluster>,
  /** A cluster the refresh restored (src/refreshing/handlers/aurora-cluster.lambda-shared.ts). */
  RestoredDBCluster: {
    DBClusterArn: 'string',
    DbClusterResourceId: 'string',
    DBClusterMembers: 'array',
    DeletionProtection: 'boolean',
    Endpoint: 'string',
    Port: 'number',
    MasterUserSecret: 'object',
  } satisfies Fields<DBCluster>,
  MasterUserSecret: { SecretArn: 'string', SecretStatus: 'string' } satisfies Fields<MasterUserSecret>,
  DBClusterSnapshot: {
    DBClusterSnapshotIdentifier: 'string',
    DBClusterIdentifier: 'string',
    DBClusterSnapshotArn: 'string',
    Status: 'string',
    SnapshotCreateTime: 'date',
    PercentProgress: 'number',
    StorageEncrypted: 'boolean',
    StorageEncryptionType: 'string',
    KmsKeyId: 'string',
    TagList: 'array',
    SnapshotType: 'string',
    Engine: 'string',
  } satisfies Fields<DBClusterSnapshot>,
  DBClusterSnapshotAttributesResult: { DBClusterSnapshotIdentifier: 'string', DBClusterSnapshotAttributes: 'array' } satisfies Fields<DBClusterSnapshotAttributesResult>,
  DBClusterSnapshotAttribute: { AttributeName: 'string', AttributeValues: 'array' } satisfies Fields<DBClusterSnapshotAttribute>,
  AccountQuota: { AccountQuotaName: 'string', Used: 'number', Max: 'number' } satisfies Fields<AccountQuota>,
  DBInstance: {
    DBInstanceIdentifier: 'string',
    DBInstanceStatus: 'string',
    DBClusterIdentifier: 'string',
    ReadReplicaSourceDBInstanceIdentifier: 'string',
    Engine: 'string',
    StorageEncrypted: 'boolean',
    StorageEncryptionType: 'string',
    KmsKeyId: 'string',
    OptionGroupMemberships: 'array',
    TagList: 'array',
  } satisfies Fields<DBInstance>,
  OptionGroupMembership: { OptionGroupName: 'string' } satisfies Fields<OptionGroupMembership>,
  DBSnapshot: {
    DBSnapshotIdentifier: 'string',
    DBInstanceIdentifier: 'string',
    DBSnapshotArn: 'string',
    SnapshotType: 'string',
    Status: 'string',
    SnapshotCreateTime: 'date',
    OriginalSnapshotCreateTime: 'date',
    PercentProgress: 'number',
    Engine: 'string',
    Encrypted: 'boolean',
    StorageEncryptionType: 'string',
    KmsKeyId: 'string',
    OptionGroupName: 'string',
    TagList: 'array',
  } satisfies Fields<DBSnapshot>,
  DBSnapshotAttributesResult: { DBSnapshotIdentifier: 'string', DBSnapshotAttributes: 'array' } satisfies Fields<DBSnapshotAttributesResult>,
  DBSnapshotAttribute: { AttributeName: 'string', AttributeValues: 'array' } satisfies Fields<DBSnapshotAttribute>,
  OptionGroup: { OptionGroupName: 'string', Options: 'array' } satisfies Fields<OptionGroup>,
  Option: { OptionName: 'string', Permanent: 'boolean', Persistent: 'boolean' } satisfies Fields<Option>,
  Tag: { Key: 'string', Value: 'string' } satisfies Fields<Tag>,
  /** Output wrappers: the list fields and the paging Marker. */
  Outputs: {
    DBClusters: 'array',
    DBClusterSnapshots: 'array',
    DBClusterSnapshot: 'object',
    DBClusterSnapshotAttributesResult: 'object',
    AccountQuotas: 'array',
    Marker: 'string',
    DBInstances: 'array',
    DBSnapshots: 'array',
    DBSnapshot: 'object',
    DBSnapshotAttributesResult: 'object',
    OptionGroupsList: 'array',
  },
  StartExecutionOutput: { executionArn: 'string', startDate: 'date' } satisfies Fields<StartExecutionOutput>,
  ListExecutionsOutput: { executions: 'array', nextToken: 'string' } satisfies Fields<ListExecutionsOutput>,
  ExecutionListItem: { name: 'string', status: 'string' } satisfies Fields<ExecutionListItem>,
} as const;
// DescribeAccountAttributes takes no input: typed only to keep the import honest.
const NO_INPUT: DescribeAccountAttributesMessage = {};

/** PascalCase names after `.`/`?.` in handler code that are not SDK response fields. */
const NOT_RESPONSE_FIELDS = new Set([
  'Error', 'Cause', 'ErrnoException', ...Object.keys(ERROR), ...Object.keys(TARGET_ERROR), ...Object.keys(CONFIRMATION_ERROR), ...Object.keys(REFRESH_ERROR),
]);

function handlerSources(dir = path.join(__dirname, '../../src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    if (e.isDirectory()) return handlerSources(file);
    return /\.lambda(-shared)?\.ts$/.test(e.name) ? [file] : [];
  });
}

function kindOf(value: unknown): Kind {
  if (value instanceof Date) return 'date';
  if (Array.isArray(value)) return 'array';
  return typeof value as Kind;
}

/** Every (shape, field, kind) the fake returned, walking outputs into their nested shapes. */
function collect(outputs: unknown[]): Map<string, Map<string, Set<Kind>>> {
  const seen = new Map<string, Map<string, Set<Kind>>>();
  const note = (shape: string, obj: any) => {
    const fields = seen.get(shape) ?? new Map<string, Set<Kind>>();
    seen.set(shape, fields);
    for (const [k, v] of Object.entries(obj ?? {})) {
      if (v === undefined || k === '$metadata') continue;
      fields.set(k, (fields.get(k) ?? new Set()).add(kindOf(v)));
    }
  };
  const snapshot = (s: DBClusterSnapshot) => {
    note('DBClusterSnapshot', s);
    s.TagList?.forEach((t) => note('Tag', t));
  };
  for (const out of outputs as any[]) {
    note('Outputs', out);
    out.DBClusters?.forEach((c: DBCluster) => {
      note(c.DbClusterResourceId ? 'RestoredDBCluster' : 'DBCluster', c);
      if (c.DbClusterResourceId) note('DBCluster', c);
      if (c.MasterUserSecret) note('MasterUserSecret', c.MasterUserSecret);
      c.TagList?.forEach((t) => note('Tag', t));
    });
    out.DBClusterSnapshots?.forEach(snapshot);
    if (out.DBClusterSnapshot) snapshot(out.DBClusterSnapshot);
    if (out.DBClusterSnapshotAttributesResult) {
      note('DBClusterSnapshotAttributesResult', out.DBClusterSnapshotAttributesResult);
      out.DBClusterSnapshotAttributesResult.DBClusterSnapshotAttributes?.forEach((a: any) => note('DBClusterSnapshotAttribute', a));
    }
    out.AccountQuotas?.forEach((q: AccountQuota) => note('AccountQuota', q));
    out.DBInstances?.forEach((i: DBInstance) => {
      note('DBInstance', i);
      i.TagList?.forEach((t) => note('Tag', t));
      i.OptionGroupMemberships?.forEach((m) => note('OptionGroupMembership', m));
    });
    const dbSnapshot = (s: DBSnapshot) => {
      note('DBSnapshot', s);
      s.TagList?.forEach((t) => note('Tag', t));
    };
    out.DBSnapshots?.forEach(dbSnapshot);
    if (out.DBSnapshot) dbSnapshot(out.DBSnapshot);
    if (out.DBSnapshotAttributesResult) {
      note('DBSnapshotAttributesResult', out.DBSnapshotAttributesResult);
      out.DBSnapshotAttributesResult.DBSnapshotAttributes?.forEach((a: any) => note('DBSnapshotAttribute', a));
    }
    out.OptionGroupsList?.forEach((g: OptionGroup) => {
      note('OptionGroup', g);
      g.Options?.forEach((o) => note('Option', o));
    });
    if (out.executionArn) note('StartExecutionOutput', out);
    if (out.executions) {
      note('ListExecutionsOutput', out);
      out.executions.forEach((e: ExecutionListItem) => note('ExecutionListItem', e));
    }
  }
  return seen;
}

describe('fake responses carry the fields handlers read', () => {
  test('every SDK response field a handler reads is listed here', () => {
    const listed = new Set(Object.values(READ).flatMap((fields) => Object.keys(fields)));
    const read = new Set<string>();
    for (const file of handlerSources()) {
      for (const [, name] of readFileSync(file, 'utf8').matchAll(/(?<!\.)(?:\?\.|\.)([A-Z][A-Za-z0-9]*)\b/g)) {
        // A spread (`...Object`) is not a property read; the lookbehind skips it.
        if (!/^[A-Z0-9_]+$/.test(name) && !NOT_RESPONSE_FIELDS.has(name)) read.add(name);
      }
    }
    expect(read.size).toBeGreaterThan(10);
    expect([...read].filter((f) => !listed.has(f)).sort()).toEqual([]);
  });

  test('every listed field is present, with its model type, in the responses of the in-memory RDS and Step Functions', async () => {
    const rds = new FakeRds(1);
    const sfn = new FakeStepFunctions({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }, 'arn:aws:states:eu-west-1:111111111111:stateMachine:M', async () => ({}));
    try {
      rds.addCluster({ identifier: 'managed-db', snapshotMs: 0, copyMs: 0, tags: { team: 'a' } });
      rds.addCluster({ identifier: 'owned-db', kmsKeyId: AWS_OWNED_KEY, snapshotMs: 0 });
      rds.addCluster({ identifier: 'plain-db', kmsKeyId: null, snapshotMs: 0 });
      const client = new RDSClient({ region: 'eu-west-1' });
      const outputs: unknown[] = [];
      const send = async (command: any) => {
        outputs.push(await client.send(command));
      };
      await send(new DescribeDBClustersCommand({}));
      await send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'owned-db' }));
      for (let i = 0; i < 21; i++) await send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'plain-db', DBClusterSnapshotIdentifier: `plain-${i}` }));
      await send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: 'managed-db', DBClusterSnapshotIdentifier: 'managed-1', Tags: [{ Key: 'k', Value: 'v' }] }));
      await send(new CopyDBClusterSnapshotCommand({ SourceDBClusterSnapshotIdentifier: 'managed-1', TargetDBClusterSnapshotIdentifier: 'managed-2', KmsKeyId: 'arn:aws:kms:eu-west-1:111111111111:key/k' }));
      await send(new DescribeDBClusterSnapshotsCommand({ MaxRecords: 20 }));
      await send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: 'managed-2' }));
      await send(new ModifyDBClusterSnapshotAttributeCommand({ DBClusterSnapshotIdentifier: 'managed-2', AttributeName: 'restore', ValuesToAdd: ['222222222222'] }));
      await send(new DescribeDBClusterSnapshotAttributesCommand({ DBClusterSnapshotIdentifier: 'managed-2' }));
      await send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: 'plain-0' }));
      await send(new DescribeAccountAttributesCommand(NO_INPUT));
      // DB instances: an Aurora member and a read replica report what Prepare reads to refuse them.
      rds.instances.addOptionGroup({ name: 'ora-tz', engine: 'oracle-ee', options: [{ name: 'Timezone', permanent: true, persistent: true }] });
      rds.instances.addInstance({ identifier: 'orders-pg', snapshotMs: 0, copyMs: 0, tags: { team: 'a' } });
      rds.instances.addInstance({ identifier: 'member', engine: 'aurora-postgresql', clusterIdentifier: 'managed-db' });
      rds.instances.addInstance({ identifier: 'replica', readReplicaSourceIdentifier: 'orders-pg', engine: 'oracle-ee', optionGroupName: 'ora-tz' });
      await send(new DescribeDBInstancesCommand({}));
      await send(new DescribeOptionGroupsCommand({ OptionGroupName: 'ora-tz' }));
      await send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders-pg', DBSnapshotIdentifier: 'pg-1', Tags: [{ Key: 'k', Value: 'v' }] }));
      await send(new CopyDBSnapshotCommand({ SourceDBSnapshotIdentifier: 'pg-1', TargetDBSnapshotIdentifier: 'pg-2', KmsKeyId: 'arn:aws:kms:eu-west-1:111111111111:key/k' }));
      await send(new DescribeDBSnapshotsCommand({ MaxRecords: 20 }));
      await send(new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: 'pg-2', AttributeName: 'restore', ValuesToAdd: ['222222222222'] }));
      await send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: 'pg-2' }));
      // A restored cluster, with an instance and a managed master secret (no waits: every step takes no time).
      rds.databases.timings = { restoreMs: 0, instanceMs: 0, renameMs: 0, modifyMs: 0, deleteMs: 0 };
      const restored = { DBClusterIdentifier: 'restored-db', Engine: 'aurora-postgresql' };
      await send(new RestoreDBClusterFromSnapshotCommand({ ...restored, SnapshotIdentifier: 'managed-1', Tags: [{ Key: 'k', Value: 'v' }] }));
      await send(new CreateDBInstanceCommand({ ...restored, DBInstanceIdentifier: 'restored-db-1', DBInstanceClass: 'db.r6g.large', Tags: [{ Key: 'k', Value: 'v' }] }));
      await send(new ModifyDBClusterCommand({ DBClusterIdentifier: 'restored-db', ManageMasterUserPassword: true }));
      await send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'restored-db' }));
      await send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: ['restored-db'] }] }));
      const sfnClient = new SFNClient({ region: 'eu-west-1' });
      outputs.push(await sfnClient.send(new StartExecutionCommand({ stateMachineArn: sfn.stateMachineArn, name: 'x', input: '{}' })));
      await sfnClient.send(new StartExecutionCommand({ stateMachineArn: sfn.stateMachineArn, name: 'y', input: '{}' }));
      // One a page, so the first page carries a nextToken.
      outputs.push(await sfnClient.send(new ListExecutionsCommand({ stateMachineArn: sfn.stateMachineArn, maxResults: 1 })));

      const seen = collect(outputs);
      const missing: string[] = [];
      for (const [shape, fields] of Object.entries(READ)) {
        for (const [field, kind] of Object.entries(fields)) {
          const kinds = seen.get(shape)?.get(field);
          if (!kinds) missing.push(`${shape}.${field} absent`);
          else if (!kinds.has(kind as Kind) || kinds.size > 1) missing.push(`${shape}.${field} is ${[...kinds].join('|')}, not ${kind}`);
        }
      }
      expect(missing).toEqual([]);
      // The AWS-owned key: StorageEncrypted false, sse-rds, no KmsKeyId (SDK model text).
      const owned = (outputs[1] as any).DBClusters[0];
      expect(owned).toMatchObject({ StorageEncrypted: false, StorageEncryptionType: 'sse-rds' });
      expect(owned.KmsKeyId).toBeUndefined();
    } finally {
      rds.restore();
      sfn.restore();
    }
  });
});
