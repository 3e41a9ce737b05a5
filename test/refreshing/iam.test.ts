import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { DATABASE, refreshStack, REGION, TARGET } from './stack';
import { evaluate, IamStatement, RequestContext } from '../../sim/iam-policy';
import { statementProblems } from '../iam/reference';

// The refresh's policies, resolved and evaluated the way IAM does (the simulator's evaluator): what
// each role may do, and, as important, what it may not; then every statement against the Service
// Authorization Reference.

// The database's own key, imported (its ARN is literal in the policies), and final snapshots on.
const { stack, refreshed, received } = refreshStack({
  finalSnapshot: true,
  encryptionKey: kms.Key.fromKeyArn(new Stack(), 'DatabaseKey', `arn:aws:kms:${REGION}:${TARGET}:key/database-key`),
});
const resources = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Properties: any }>;
const OWNER = refreshed.ownerId;
const RECEIVER_KEY_ID = stack.getLogicalId(received.encryptionKey.node.defaultChild as any);
const rds = (resource: string) => `arn:aws:rds:${REGION}:${TARGET}:${resource}`;
const COPY_KEY = `arn:aws:kms:${REGION}:${TARGET}:key/copy-key`;
const DATABASE_KEY = `arn:aws:kms:${REGION}:${TARGET}:key/database-key`;

/** The ARN a resource gets once deployed (enough of it for the policies: the type and a name). */
function deployedArn(id: string): string {
  switch (resources[id]?.Type) {
    case 'AWS::KMS::Key': return id === RECEIVER_KEY_ID ? COPY_KEY : `arn:aws:kms:${REGION}:${TARGET}:key/${id.toLowerCase()}`;
    case 'AWS::Lambda::Function': return `arn:aws:lambda:${REGION}:${TARGET}:function:Refresh-${id}`;
    case 'AWS::Logs::LogGroup': return `arn:aws:logs:${REGION}:${TARGET}:log-group:Refresh-${id}:*`;
    case 'AWS::StepFunctions::StateMachine': return `arn:aws:states:${REGION}:${TARGET}:stateMachine:Refresh-${id}`;
    default: return `arn:aws:${resources[id]?.Type.split('::')[1].toLowerCase()}:${REGION}:${TARGET}:${id}`;
  }
}

function resolve(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolve);
  if (typeof value !== 'object' || value === null) return value;
  const node = value as Record<string, any>;
  if (node['Fn::Join']) return (node['Fn::Join'][1] as unknown[]).map(resolve).join(node['Fn::Join'][0]);
  if (node.Ref === 'AWS::Partition') return 'aws';
  if (node.Ref === 'AWS::URLSuffix') return 'amazonaws.com';
  if (node.Ref) return resources[node.Ref]?.Type === 'AWS::RDS::DBSubnetGroup' ? 'staging-subnets' : deployedArn(node.Ref);
  if (node['Fn::GetAtt']) return deployedArn(node['Fn::GetAtt'][0]);
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v)]));
}

function statementsOf(role: IRole | undefined): IamStatement[] {
  const roleId = stack.getLogicalId(role!.node.defaultChild as any);
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((ref: any) => ref.Ref === roleId))
    .flatMap((r) => resolve(r.Properties.PolicyDocument.Statement) as IamStatement[]);
}

type Case = [string, string, RequestContext?];
const isAllowed = (role: IRole | undefined, [action, resource, context]: Case) => evaluate(statementsOf(role), { action, resource, context }).allowed;
const allowed = (role: IRole | undefined, cases: Case[]) => cases.filter((c) => !isAllowed(role, c));
const denied = (role: IRole | undefined, cases: Case[]) => cases.filter((c) => isAllowed(role, c));

const OWNED = { 'aws:ResourceTag/refreshed-database:owner': OWNER };
const TAGGED = { 'aws:RequestTag/refreshed-database:owner': OWNER };
const STRANGER = { 'aws:ResourceTag/refreshed-database:owner': 'someone-else' };
const VIA_RDS = { 'kms:ViaService': 'rds.eu-west-1.amazonaws.com' };
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
  expect(allowed(refreshed.handlers.createInstances.role, [
    ['rds:CreateDBInstance', rds(`db:${DATABASE}-202611280500-1`), TAGGED], ['rds:CreateDBInstance', NEW, OWNED],
  ])).toEqual([]);
  expect(denied(refreshed.handlers.createInstances.role, [
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
  const problems: Record<string, string[]> = {};
  // The refresh's nine functions', its state machine's and its two schedules' policies (and the receiver's).
  const roles = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::IAM::Policy');
  expect(roles.filter(([id]) => id.startsWith('Staging'))).toHaveLength(10);
  for (const [id, policy] of roles) {
    for (const [i, statement] of (resolve(policy.Properties.PolicyDocument.Statement) as IamStatement[]).entries()) {
      const found = await statementProblems(statement);
      if (found.length > 0) problems[`${id} statement ${i}`] = found;
    }
  }
  expect(problems).toEqual({});
});
