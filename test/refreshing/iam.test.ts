import { Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { COPY_KEY, policiesOf, rds, VIA_RDS } from './iam-helpers';
import { DATABASE, refreshStack, REGION, TARGET } from './stack';

// The refresh's policies, resolved and evaluated the way IAM does (the simulator's evaluator): what
// each role may do, and, as important, what it may not; then every statement against the Service
// Authorization Reference.

// The database's own key, imported (its ARN is literal in the policies), and final snapshots on.
const built = refreshStack({
  finalSnapshot: true,
  encryptionKey: kms.Key.fromKeyArn(new Stack(), 'DatabaseKey', `arn:aws:kms:${REGION}:${TARGET}:key/database-key`),
});
const { refreshed } = built;
const { allowed, denied, OWNED, TAGGED, STRANGER, policies, referenceProblems } = policiesOf(built);
const DATABASE_KEY = `arn:aws:kms:${REGION}:${TARGET}:key/database-key`;
const NEW = rds(`cluster:${DATABASE}-202611280500`);
const STABLE = rds(`cluster:${DATABASE}`);
const COPY = rds('cluster-snapshot:received-shared-orders-db-202611270300-copy');

test('the restore role restores only a receiver\'s copy into a new <id>-* database tagged as its own, with the keys through RDS', () => {
  const role = refreshed.handlers.restoreDatabase.role;
  expect(allowed(role, [
    ['rds:RestoreDBClusterFromSnapshot', NEW, TAGGED],
    ['rds:AddTagsToResource', NEW, TAGGED],
    ['rds:RestoreDBClusterFromSnapshot', COPY],
    ['rds:RestoreDBClusterFromSnapshot', rds('subgrp:staging-subnets')],
    ['rds:RestoreDBClusterFromSnapshot', rds('cluster-pg:default.aurora-postgresql16')],
    ['rds:RestoreDBClusterFromSnapshot', rds('og:default:aurora-postgresql-16')],
    ['kms:Decrypt', COPY_KEY, VIA_RDS],
    ['kms:CreateGrant', COPY_KEY, { ...VIA_RDS, 'kms:GrantIsForAWSResource': true }],
    ['kms:CreateGrant', DATABASE_KEY, { ...VIA_RDS, 'kms:GrantIsForAWSResource': true }],
  ])).toEqual([]);
  expect(denied(role, [
    ['rds:RestoreDBClusterFromSnapshot', NEW],
    ['rds:RestoreDBClusterFromSnapshot', STABLE, TAGGED],
    ['rds:RestoreDBClusterFromSnapshot', rds('cluster:production-db'), TAGGED],
    ['rds:RestoreDBClusterFromSnapshot', rds('cluster-snapshot:manual-orders-db')],
    ['rds:RestoreDBClusterFromSnapshot', rds('subgrp:production-subnets')],
    ['rds:DeleteDBCluster', NEW, OWNED],
    ['rds:ModifyDBCluster', STABLE, OWNED],
    ['kms:Decrypt', COPY_KEY],
    ['kms:CreateGrant', COPY_KEY, VIA_RDS],
  ])).toEqual([]);
});

test('the swap role renames and retags only this construct\'s databases, the stable one included', () => {
  const role = refreshed.handlers.swapNames!.role;
  expect(allowed(role, [['rds:ModifyDBCluster', STABLE, OWNED], ['rds:ModifyDBCluster', NEW, OWNED], ['rds:AddTagsToResource', STABLE, OWNED]])).toEqual([]);
  expect(denied(role, [
    ['rds:ModifyDBCluster', STABLE], ['rds:ModifyDBCluster', STABLE, STRANGER], ['rds:ModifyDBCluster', rds('cluster:production-db'), OWNED],
    ['rds:DeleteDBCluster', NEW, OWNED], ['rds:RestoreDBClusterFromSnapshot', NEW, TAGGED],
  ])).toEqual([]);
});

test('the delete role deletes only this construct\'s instances and non-serving databases', () => {
  const role = refreshed.handlers.deleteDatabases.role;
  expect(allowed(role, [
    ['rds:DeleteDBInstance', rds(`db:${DATABASE}-202611280500-1`), OWNED],
    ['rds:DeleteDBCluster', NEW, OWNED],
    ['rds:DeleteDBCluster', rds(`cluster-snapshot:${DATABASE}-202611270500-final`)],
    ['rds:ModifyDBCluster', NEW, OWNED],
  ])).toEqual([]);
  expect(denied(role, [
    ['rds:DeleteDBCluster', STABLE, OWNED],
    ['rds:DeleteDBCluster', NEW],
    ['rds:DeleteDBCluster', NEW, STRANGER],
    ['rds:DeleteDBCluster', rds('cluster:production-db'), OWNED],
    ['rds:DeleteDBInstance', rds('db:production-db-1'), OWNED],
    ['rds:DeleteDBInstance', rds(`db:${DATABASE}-202611280500-1`)],
    ['rds:ModifyDBCluster', STABLE, OWNED],
  ])).toEqual([]);
});

test('the instance and password roles act only on this construct\'s databases', () => {
  expect(allowed(refreshed.handlers.createInstances!.role, [
    ['rds:CreateDBInstance', rds(`db:${DATABASE}-202611280500-1`), TAGGED], ['rds:CreateDBInstance', NEW, OWNED],
  ])).toEqual([]);
  expect(denied(refreshed.handlers.createInstances!.role, [
    ['rds:CreateDBInstance', rds('db:production-db-2'), TAGGED], ['rds:CreateDBInstance', rds('cluster:production-db'), TAGGED],
  ])).toEqual([]);
  expect(allowed(refreshed.handlers.resetMasterPassword.role, [
    ['rds:ModifyDBCluster', NEW, OWNED], ['secretsmanager:CreateSecret', `arn:aws:secretsmanager:${REGION}:${TARGET}:secret:rds!cluster-1234-AbCdEf`],
  ])).toEqual([]);
  expect(denied(refreshed.handlers.resetMasterPassword.role, [
    ['rds:ModifyDBCluster', STABLE, OWNED], ['secretsmanager:CreateSecret', `arn:aws:secretsmanager:${REGION}:${TARGET}:secret:production`],
  ])).toEqual([]);
});

test('the readers change nothing', () => {
  for (const fn of [refreshed.handlers.prepareRefresh, refreshed.handlers.checkDatabase, refreshed.handlers.publishDataAge!]) {
    expect(denied(fn!.role, [
      ['rds:ModifyDBCluster', NEW, OWNED], ['rds:DeleteDBCluster', NEW, OWNED], ['rds:RestoreDBClusterFromSnapshot', NEW, TAGGED],
      ['rds:CreateDBInstance', rds(`db:${DATABASE}-1`), TAGGED],
    ])).toEqual([]);
  }
});

test('every statement of every role agrees with the Service Authorization Reference', async () => {
  // The refresh's nine functions', its state machine's and its two schedules' policies (and the receiver's).
  expect(policies.filter(([id]) => id.startsWith('Staging'))).toHaveLength(10);
  expect(await referenceProblems()).toEqual({});
});
