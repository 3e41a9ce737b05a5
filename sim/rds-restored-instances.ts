/**
 * RDS DB instances restored from DB snapshots, renamed, modified and deleted, on the virtual clock,
 * as the RDS API Reference and User Guide document them (the source side's DB instances, which
 * are only snapshotted, are sim/rds-instances.ts):
 *
 * - `RestoreDBInstanceFromDBSnapshot` creates the whole instance: `creating`, then `available`.
 *   It takes no key: the instance is encrypted with the snapshot's. `DBInstanceClass`, `Port`,
 *   `Engine`, the parameter and option groups default to the source's or the engine's ("Default:
 *   The same ... as the original DB instance", API reference; the source's class is not modelled:
 *   `db.m6g.large`). A taken identifier (any DB instance's, an Aurora cluster's member's too) is
 *   DBInstanceAlreadyExistsFault, a missing snapshot DBSnapshotNotFoundFault, one not `available`
 *   InvalidDBSnapshotStateFault (the command's `@throws`). "You can't restore a DB instance from a
 *   DB snapshot that is both shared and encrypted" (RDS User Guide, "Sharing a DB snapshot";
 *   aws-facts.md): refused, InvalidRestoreFault assumed as its error.
 * - `ModifyDBInstance` needs an `available` instance (InvalidDBInstanceStateFault): rename and
 *   password reset as sim/rds-database-changes.ts models them, the rename taking effect in about
 *   10 minutes (`USER_RenameInstance`). The status while RDS creates the secret is not confirmed
 *   (`modifying`). `DeletionProtection` applies at once.
 * - `DeleteDBInstance` refuses a protected instance ("Cannot delete protected DB Instance, please
 *   disable deletion protection and try again", the message users report; InvalidParameterCombination
 *   assumed) and one already `deleting`, or busy (InvalidDBInstanceStateFault, the statuses assumed
 *   as for clusters). `FinalDBSnapshotIdentifier` "must be specified if SkipFinalSnapshot is
 *   disabled" and cannot be given with it (SDK model; the error name assumed); the final snapshot
 *   is a manual DB snapshot. The managed secret goes with the instance (RDS User Guide,
 *   `rds-secrets-manager`); the name stays taken while `deleting`.
 */
import {
  DBInstance, DBInstanceAlreadyExistsFault, DBInstanceNotFoundFault, DBSnapshotNotFoundFault, InvalidDBInstanceStateFault,
  InvalidDBSnapshotStateFault, InvalidRestoreFault,
} from '@aws-sdk/client-rds';
import { assertPasswordInput, manageMasterPassword, rename } from './rds-database-changes';
import { DatabaseNames } from './rds-database-names';
import type { DatabaseHost, RestoredInstance } from './rds-database-types';
import { restoredInstanceView } from './rds-database-views';
import type { RdsDatabases } from './rds-databases';
import { defaultOptionGroupName } from './rds-instance-types';
import { clientError } from './rds-types';

/** Each engine family's default port (RDS User Guide, each engine's "Connecting to a DB instance" page). */
const DEFAULT_PORTS: ReadonlyArray<[RegExp, number]> = [[/^postgres/, 5432], [/^(mysql|mariadb)/, 3306], [/^oracle/, 1521], [/^sqlserver/, 1433], [/^db2/, 50000]];
/** The statuses in which an instance may be deleted (assumed, as for clusters in sim/rds-databases.ts). */
const DELETABLE = ['available', 'stopped', 'storage-full', 'failed', 'inaccessible-encryption-credentials', 'incompatible-parameters', 'incompatible-restore'];
const DEFAULT_CLASS = 'db.m6g.large';

export class RestoredInstances {
  public readonly instances = new Map<string, RestoredInstance>();
  /** When each instance's endpoint name resolved: its own names, apart from the clusters' (a different DNS name). */
  public readonly names = new DatabaseNames();

  constructor(private readonly host: DatabaseHost, private readonly databases: RdsDatabases) {}

  /** The restored DB instance that now holds `identifier` (any status), brought up to date. */
  public instance(identifier: string | undefined): RestoredInstance | undefined {
    const id = identifier?.toLowerCase().replace(/^arn:aws:rds:[^:]+:\d+:db:/, '');
    const found = [...this.instances.values()].find((i) => i.identifier === id);
    if (found) this.progress(found);
    return found && this.instances.has(found.resourceId) ? found : undefined;
  }

  /** Every restored DB instance that exists now. */
  public all(): RestoredInstance[] {
    for (const i of [...this.instances.values()]) this.progress(i);
    return [...this.instances.values()];
  }

  public restore(input: any) {
    const id = this.newIdentifier(input.DBInstanceIdentifier);
    const snapshot = this.host.dbSnapshotFor(String(input.DBSnapshotIdentifier ?? ''));
    if (!snapshot) throw new DBSnapshotNotFoundFault({ message: `DBSnapshot ${input.DBSnapshotIdentifier} not found.`, $metadata: {} });
    if (snapshot.status !== 'available') {
      throw new InvalidDBSnapshotStateFault({ message: `Snapshot ${snapshot.id} is ${snapshot.status}, not available.`, $metadata: {} });
    }
    if (snapshot.shared && snapshot.encryption.type !== 'none') {
      throw new InvalidRestoreFault({ message: `Cannot restore a DB instance from shared encrypted snapshot ${snapshot.arn}: copy it first.`, $metadata: {} });
    }
    const engine = input.Engine ?? snapshot.engine;
    if (engine !== snapshot.engine) throw clientError('InvalidParameterCombination', `The snapshot's engine is ${snapshot.engine}, not ${engine}.`);
    const fault = this.databases.restoreFaults.get(snapshot.id);
    if (fault === 'refused') throw new InvalidRestoreFault({ message: `Cannot restore from snapshot ${snapshot.id}.`, $metadata: {} });
    const now = Date.now();
    const restoreMs = this.databases.timings.restoreMs;
    const i: RestoredInstance = {
      identifier: id,
      resourceId: `db-${this.databases.nextId().toUpperCase()}`,
      engine,
      engineVersion: '16.4',
      instanceClass: input.DBInstanceClass ?? DEFAULT_CLASS,
      status: 'creating',
      transition: { at: now + restoreMs, next: fault ?? 'available' },
      createdAt: now,
      restoredFrom: snapshot.arn,
      encryption: snapshot.encryption,
      subnetGroup: input.DBSubnetGroupName ?? 'default',
      securityGroups: [...(input.VpcSecurityGroupIds ?? ['sg-default'])],
      parameterGroup: input.DBParameterGroupName ?? `default.${engine}16`,
      optionGroup: input.OptionGroupName ?? snapshot.optionGroupName ?? defaultOptionGroupName(engine),
      port: input.Port ?? DEFAULT_PORTS.find(([pattern]) => pattern.test(engine))?.[1] ?? 3306,
      publiclyAccessible: input.PubliclyAccessible ?? false,
      masterUsername: 'postgres',
      deletionProtection: input.DeletionProtection ?? false,
      tags: [...(input.Tags ?? [])],
      password: { kind: 'from-snapshot', snapshot: snapshot.arn },
    };
    this.instances.set(i.resourceId, i);
    this.databases.lifetimes.set(i.resourceId, { createdAt: now });
    // A restore that fails never resolves.
    this.names.take(id, i.resourceId, fault ? Infinity : now + restoreMs);
    return { DBInstance: this.view(i) };
  }

  public modify(input: any) {
    const i = this.existing(input.DBInstanceIdentifier);
    if (i.status !== 'available') throw new InvalidDBInstanceStateFault({ message: `DB instance ${i.identifier} is ${i.status}, not available.`, $metadata: {} });
    assertPasswordInput(input);
    const newId = input.NewDBInstanceIdentifier?.toLowerCase();
    if (newId && newId !== i.identifier) this.newIdentifier(newId);
    if (input.DeletionProtection !== undefined) i.deletionProtection = input.DeletionProtection;
    if (input.ManageMasterUserPassword === true) manageMasterPassword(i, this.databases.modification(), 'db', 'modifying', input.MasterUserSecretKmsKeyId);
    if (newId && newId !== i.identifier) rename(i, newId, this.names, this.databases.timings.instanceRenameMs, input.ApplyImmediately === true);
    return { DBInstance: this.view(i) };
  }

  public delete(input: any) {
    const i = this.existing(input.DBInstanceIdentifier);
    if (i.status === 'deleting') throw new InvalidDBInstanceStateFault({ message: 'Instance is already being deleted.', $metadata: {} });
    if (i.deletionProtection) throw clientError('InvalidParameterCombination', 'Cannot delete protected DB Instance, please disable deletion protection and try again.');
    if (!DELETABLE.includes(i.status)) throw new InvalidDBInstanceStateFault({ message: `DB instance ${i.identifier} is ${i.status}.`, $metadata: {} });
    if (input.SkipFinalSnapshot && input.FinalDBSnapshotIdentifier) {
      throw clientError('InvalidParameterCombination', 'FinalDBSnapshotIdentifier cannot be given with SkipFinalSnapshot.');
    }
    if (!input.SkipFinalSnapshot) {
      if (!input.FinalDBSnapshotIdentifier) throw clientError('InvalidParameterCombination', 'FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot.');
      this.host.createFinalDbSnapshot(input.FinalDBSnapshotIdentifier, i.identifier, i.engine, i.encryption, [...i.tags]);
    }
    const now = Date.now();
    this.names.release(i.identifier, i.resourceId, now);
    i.status = 'deleting';
    i.transition = { at: now + this.databases.timings.deleteMs, next: 'gone' };
    return { DBInstance: this.view(i) };
  }

  /** DescribeDBInstances for the restored ones: by identifier (undefined when none holds it), or all of them (unpaged: the caller pages). */
  public describe(identifier: string): DBInstance[] | undefined {
    const i = this.instance(identifier);
    return i && [this.view(i)];
  }

  public views(): DBInstance[] {
    return this.all().map((i) => this.view(i));
  }

  public view(i: RestoredInstance) {
    this.progress(i);
    const secret = i.password.kind === 'managed' ? this.databases.secrets.get(i.password.secretArn) : undefined;
    return restoredInstanceView(i, this.host.account, secret);
  }

  private existing(identifier: string | undefined): RestoredInstance {
    const i = this.instance(identifier);
    if (!i) throw new DBInstanceNotFoundFault({ message: `DBInstance ${identifier} not found.`, $metadata: {} });
    return i;
  }

  /** A valid DB instance identifier no DB instance holds (a deleting one still does), lowercase. */
  private newIdentifier(raw: string | undefined): string {
    const id = String(raw ?? '').toLowerCase();
    if (!/^[a-z](?!.*--)[a-z0-9-]{0,62}$/.test(id) || id.endsWith('-')) throw clientError('InvalidParameterValue', `Invalid DB instance identifier: ${raw}`);
    if (this.instance(id) || this.databases.instance(id) || this.host.specInstanceHolds(id)) {
      throw new DBInstanceAlreadyExistsFault({ message: `DB instance ${id} already exists.`, $metadata: {} });
    }
    return id;
  }

  private progress(i: RestoredInstance): void {
    if (!i.transition || Date.now() < i.transition.at) return;
    const next = i.transition.next;
    i.transition = undefined;
    if (next !== 'gone') {
      i.status = next;
      return;
    }
    this.instances.delete(i.resourceId);
    this.databases.lifetimes.get(i.resourceId)!.goneAt = Date.now();
    if (i.password.kind === 'managed') this.databases.secrets.get(i.password.secretArn)!.deletedAt = Date.now();
  }
}
