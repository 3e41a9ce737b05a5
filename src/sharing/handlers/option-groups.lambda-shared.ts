import { DBInstance, DescribeOptionGroupsCommand, Option } from '@aws-sdk/client-rds';
import { rds } from '../../shared/clients.lambda-shared';
import { OptionsNotShareable, TdeNotShareable } from '../../shared/errors.lambda-shared';

/**
 * What RDS allows of a DB instance's option group when its snapshot is shared (RDS User Guide,
 * "Sharing a DB snapshot"): "You can't share a DB snapshot that uses an option group with permanent
 * or persistent options, except for Oracle DB instances that have the Timezone or OLS option (or
 * both)"; Oracle or SQL Server snapshots encrypted with TDE cannot be shared at all (aws-facts.md).
 * A copy of a snapshot with Timezone or OLS needs, in the target account, an option group holding
 * them ("The snapshot requires a target option group with the following options").
 */
export const SHAREABLE_PERMANENT_OPTIONS = ['Timezone', 'OLS'];
/** The option name of Transparent Data Encryption, on Oracle and on SQL Server. */
const TDE_OPTION = 'TDE';

/** A shareable instance's option group, when its copies in the target need one. */
export interface RequiredOptions {
  /** The instance's option group. */
  readonly optionGroupName: string;
  /** The options the target's option group must hold for a copy (Oracle `Timezone`, `OLS`). */
  readonly requiredOptions: string[];
}

/**
 * Reads the instance's option groups and refuses, by name, before anything is created, what RDS
 * would refuse to share: TDE (TdeNotShareable), other permanent or persistent options
 * (OptionsNotShareable). Returns the options a target's copy needs, when there are any.
 */
export async function assertOptionsShareable(instance: DBInstance): Promise<RequiredOptions | undefined> {
  const id = instance.DBInstanceIdentifier;
  let required: RequiredOptions | undefined;
  for (const optionGroupName of (instance.OptionGroupMemberships ?? []).map((m) => m.OptionGroupName).filter((n): n is string => !!n)) {
    const options = await optionsOf(optionGroupName);
    if (options.some((o) => o.OptionName === TDE_OPTION)) {
      throw new TdeNotShareable(
        `DB instance '${id}' uses Transparent Data Encryption (option ${TDE_OPTION} in option group '${optionGroupName}'): RDS cannot share ` +
          'snapshots of a TDE instance with another account. Nothing was created. Remove the instance from instanceIdentifiers (or its ' +
          'instanceTag), and hand its data over another way, e.g. a Data Pump export or a copy into an instance without TDE',
      );
    }
    const lasting = options.filter((o) => o.Permanent || o.Persistent).map((o) => o.OptionName ?? '');
    const refused = lasting.filter((name) => !SHAREABLE_PERMANENT_OPTIONS.includes(name));
    if (refused.length > 0) {
      throw new OptionsNotShareable(
        `DB instance '${id}' uses option group '${optionGroupName}' with permanent or persistent options (${refused.join(', ')}): RDS cannot ` +
          'share its snapshots (only Oracle Timezone and OLS are allowed). Nothing was created. Move the instance to an option group without ' +
          'these options where the engine allows it, or remove it from instanceIdentifiers (or its instanceTag)',
      );
    }
    if (lasting.length > 0) required = { optionGroupName, requiredOptions: [...new Set([...(required?.requiredOptions ?? []), ...lasting])].sort() };
  }
  return required;
}

async function optionsOf(optionGroupName: string): Promise<Option[]> {
  const out = await rds.send(new DescribeOptionGroupsCommand({ OptionGroupName: optionGroupName }));
  return out.OptionGroupsList?.[0]?.Options ?? [];
}
