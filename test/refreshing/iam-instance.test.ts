import { Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { COPY_KEY, policiesOf, rds, VIA_RDS } from './iam-helpers';
import { DATABASE, refreshStack, REGION, TARGET } from './stack';
import { DatabaseKind } from '../../src';

// A DB instance's refresh (DatabaseKind.DB_INSTANCE), with its own option group, a master secret key
// and final snapshots: the instance's calls on its own names and owner tag, the owned copies' DB
// snapshot ARNs, and nothing of a cluster's; then every statement against the Service
// Authorization Reference.

const built = refreshStack({
  kind: DatabaseKind.DB_INSTANCE,
  sourceClusterIdentifier: 'orders-pg',
  optionGroupName: 'staging-ora',
  parameterGroupName: 'staging-pg16',
  finalSnapshot: true,
  masterUserSecretKey: kms.Key.fromKeyArn(new Stack(), 'SecretKey', `arn:aws:kms:${REGION}:${TARGET}:key/secret-key`),
});
const { refreshed } = built;
const { allowed, denied, OWNED, TAGGED, STRANGER, policies, referenceProblems } = policiesOf(built);
const NEW = rds(`db:${DATABASE}-202611280500`);
const STABLE = rds(`db:${DATABASE}`);
const COPY = rds('snapshot:received-shared-orders-pg-202611270300-copy');
const h = refreshed.handlers;

test('the restore role restores only a receiver\'s DB snapshot copy into a new <id>-* DB instance tagged as its own', () => {
  expect(allowed(h.restoreDatabase.role, [
    ['rds:RestoreDBInstanceFromDBSnapshot', NEW, TAGGED],
    ['rds:AddTagsToResource', NEW, TAGGED],
    ['rds:RestoreDBInstanceFromDBSnapshot', COPY],
    ['rds:RestoreDBInstanceFromDBSnapshot', rds('subgrp:staging-subnets')],
    ['rds:RestoreDBInstanceFromDBSnapshot', rds('pg:staging-pg16')],
    ['rds:RestoreDBInstanceFromDBSnapshot', rds('og:staging-ora')],
    ['rds:RestoreDBInstanceFromDBSnapshot', rds('og:default:postgres-16')],
    ['kms:Decrypt', COPY_KEY, VIA_RDS],
    ['kms:CreateGrant', COPY_KEY, { ...VIA_RDS, 'kms:GrantIsForAWSResource': true }],
  ])).toEqual([]);
  expect(denied(h.restoreDatabase.role, [
    ['rds:RestoreDBInstanceFromDBSnapshot', NEW],
    ['rds:RestoreDBInstanceFromDBSnapshot', STABLE, TAGGED],
    ['rds:RestoreDBInstanceFromDBSnapshot', rds('db:production-pg'), TAGGED],
    ['rds:RestoreDBInstanceFromDBSnapshot', rds('snapshot:manual-orders-pg')],
    // A snapshot another account shares is never restored (RDS refuses a shared encrypted one anyway).
    ['rds:RestoreDBInstanceFromDBSnapshot', 'arn:aws:rds:eu-west-1:111111111111:snapshot:received-shared-orders-pg-1'],
    ['rds:RestoreDBInstanceFromDBSnapshot', rds('pg:production-pg16')],
    ['rds:RestoreDBInstanceFromDBSnapshot', rds('og:production-ora')],
    ['rds:RestoreDBClusterFromSnapshot', rds(`cluster:${DATABASE}-202611280500`), TAGGED],
    ['rds:DeleteDBInstance', NEW, OWNED],
    ['rds:ModifyDBInstance', NEW, OWNED],
    ['kms:Decrypt', COPY_KEY],
  ])).toEqual([]);
});

test('the password role modifies only this construct\'s instances and creates only RDS\'s rds!db secrets', () => {
  expect(allowed(h.resetMasterPassword.role, [
    ['rds:ModifyDBInstance', NEW, OWNED],
    ['secretsmanager:CreateSecret', `arn:aws:secretsmanager:${REGION}:${TARGET}:secret:rds!db-1234-AbCdEf`],
    ['kms:GenerateDataKey', `arn:aws:kms:${REGION}:${TARGET}:key/secret-key`, { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' }],
  ])).toEqual([]);
  expect(denied(h.resetMasterPassword.role, [
    ['rds:ModifyDBInstance', STABLE, OWNED], ['rds:ModifyDBInstance', NEW], ['rds:ModifyDBInstance', rds('db:production-pg'), OWNED],
    ['secretsmanager:CreateSecret', `arn:aws:secretsmanager:${REGION}:${TARGET}:secret:rds!cluster-1234-AbCdEf`],
  ])).toEqual([]);
});

test('the swap role renames and retags only this construct\'s instances, the stable one included', () => {
  const role = h.swapNames!.role;
  expect(allowed(role, [['rds:ModifyDBInstance', STABLE, OWNED], ['rds:ModifyDBInstance', NEW, OWNED], ['rds:AddTagsToResource', STABLE, OWNED]])).toEqual([]);
  expect(denied(role, [
    ['rds:ModifyDBInstance', STABLE], ['rds:ModifyDBInstance', STABLE, STRANGER], ['rds:ModifyDBInstance', rds('db:production-pg'), OWNED],
    ['rds:DeleteDBInstance', NEW, OWNED], ['rds:ModifyDBCluster', rds(`cluster:${DATABASE}`), OWNED],
  ])).toEqual([]);
});

test('the delete role deletes only this construct\'s non-serving instances, never the stable one nor a stranger\'s', () => {
  const role = h.deleteDatabases.role;
  expect(allowed(role, [['rds:DeleteDBInstance', NEW, OWNED], ['rds:ModifyDBInstance', NEW, OWNED]])).toEqual([]);
  expect(denied(role, [
    ['rds:DeleteDBInstance', STABLE, OWNED],
    ['rds:DeleteDBInstance', NEW],
    ['rds:DeleteDBInstance', NEW, STRANGER],
    ['rds:DeleteDBInstance', rds('db:production-pg'), OWNED],
    ['rds:ModifyDBInstance', STABLE, OWNED],
    ['rds:DeleteDBCluster', rds(`cluster:${DATABASE}-202611280500`), OWNED],
    ['rds:DeleteDBSnapshot', rds(`snapshot:${DATABASE}-202611270500-final`)],
  ])).toEqual([]);
});

test('the readers change nothing, and no role creates an instance', () => {
  expect(h.createInstances).toBeUndefined();
  for (const fn of [h.prepareRefresh, h.checkDatabase, h.publishDataAge!]) {
    expect(denied(fn.role, [
      ['rds:ModifyDBInstance', NEW, OWNED], ['rds:DeleteDBInstance', NEW, OWNED], ['rds:RestoreDBInstanceFromDBSnapshot', NEW, TAGGED],
      ['rds:CreateDBInstance', NEW, TAGGED],
    ])).toEqual([]);
  }
  expect(allowed(h.prepareRefresh.role, [['rds:DescribeDBSnapshots', rds('snapshot:*')], ['rds:DescribeDBInstances', rds('db:*')]])).toEqual([]);
  expect(allowed(h.checkDatabase.role, [['rds:DescribeDBInstances', NEW], ['rds:DescribeDBInstances', STABLE]])).toEqual([]);
  expect(denied(h.checkDatabase.role, [['rds:DescribeDBInstances', rds('db:production-pg')]])).toEqual([]);
  expect(denied(h.publishDataAge!.role, [['rds:DescribeDBInstances', NEW]])).toEqual([]);
});

test('every statement of every role agrees with the Service Authorization Reference', async () => {
  // Eight functions (no CreateInstances), the state machine and the two schedules.
  expect(policies.filter(([id]) => id.startsWith('Staging'))).toHaveLength(9);
  expect(await referenceProblems()).toEqual({});
});
