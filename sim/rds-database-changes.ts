/**
 * The changes ModifyDBCluster and ModifyDBInstance make alike to a restored database (an Aurora
 * cluster, sim/rds-databases.ts, or a DB instance, sim/rds-restored-instances.ts), as the API
 * reference documents them for both:
 *
 * - `ManageMasterUserPassword` makes RDS generate the password into a new Secrets Manager secret
 *   (`MasterUserSecret`, SDK model), named `rds!cluster-<id>` or `rds!db-<id>` (RDS User Guide,
 *   `rds-secrets-manager`), never the source's; it "Can't be specified if MasterUserPassword" is
 *   (InvalidParameterCombination).
 * - `NewDB…Identifier` with `ApplyImmediately`: the old name is gone at once and the new one resolves
 *   after the rename delay, the database `renaming` meanwhile ("The renamed ... isn't available
 *   until the new name becomes effective", RDS User Guide `USER_RenameInstance` and
 *   `multi-az-db-cluster-rename`). Without ApplyImmediately the rename waits for the maintenance
 *   window (API reference, ApplyImmediately), which the simulator never reaches.
 */
import { REGION } from './aws-env';
import type { DatabaseNames } from './rds-database-names';
import type { ManagedSecret, Transition } from './rds-database-types';
import { clientError } from './rds-types';

/** What both kinds of restored database hold that a modification changes. */
export interface ModifiableDatabase {
  identifier: string;
  readonly resourceId: string;
  status: string;
  transition?: Transition;
  password: { readonly kind: 'from-snapshot'; readonly snapshot: string } | { readonly kind: 'managed'; readonly secretArn: string };
  pendingIdentifier?: string;
}

/** What a modification needs from the model: its secrets, ids and times. */
export interface ModificationContext {
  readonly account: string;
  readonly secrets: Map<string, ManagedSecret>;
  readonly modifyMs: number;
  resolveKey(keyId: string): string;
  nextId(): string;
}

export function assertPasswordInput(input: { ManageMasterUserPassword?: boolean; MasterUserPassword?: string }): void {
  if (input.ManageMasterUserPassword !== undefined && input.MasterUserPassword !== undefined) {
    throw clientError('InvalidParameterCombination', 'MasterUserPassword can\'t be specified if ManageMasterUserPassword is turned on.');
  }
}

/** Turns on ManageMasterUserPassword: a new secret of this account, `status` until it is active. */
export function manageMasterPassword(
  db: ModifiableDatabase, ctx: ModificationContext, secretType: 'cluster' | 'db', status: string, kmsKeyId: string | undefined,
): void {
  if (db.password.kind === 'managed') return;
  const now = Date.now();
  const secret: ManagedSecret = {
    arn: `arn:aws:secretsmanager:${REGION}:${ctx.account}:secret:rds!${secretType}-${ctx.nextId()}-${ctx.nextId().slice(0, 6)}`,
    kmsKeyId: kmsKeyId ? ctx.resolveKey(kmsKeyId) : `arn:aws:kms:${REGION}:${ctx.account}:alias/aws/secretsmanager`,
    clusterResourceId: db.resourceId,
    createdAt: now,
    activeAt: now + ctx.modifyMs,
  };
  ctx.secrets.set(secret.arn, secret);
  db.password = { kind: 'managed', secretArn: secret.arn };
  db.status = status;
  db.transition = { at: now + ctx.modifyMs, next: 'available' };
}

/** Renames the database: at once with ApplyImmediately (the new name resolving after `delayMs`), else pending. */
export function rename(db: ModifiableDatabase, newId: string, names: DatabaseNames, delayMs: number, applyImmediately: boolean): void {
  if (!applyImmediately) {
    db.pendingIdentifier = newId;
    return;
  }
  const now = Date.now();
  names.release(db.identifier, db.resourceId, now);
  db.identifier = newId;
  names.take(newId, db.resourceId, now + delayMs);
  db.status = 'renaming';
  db.transition = { at: Math.max(db.transition?.at ?? 0, now + delayMs), next: 'available' };
}
