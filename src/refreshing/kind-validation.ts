import { Token } from 'aws-cdk-lib';
import { DatabaseKind, RefreshedDatabaseProps } from './props';

/** RDS option group names: 1-255 letters, digits or hyphens, a letter first, no '--', no trailing hyphen (CreateOptionGroup API reference). */
const OPTION_GROUP_NAME = /^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,254}$/;

/**
 * The props that belong to one kind, each with the reason the other kind refuses it. A DB instance
 * restore (RestoreDBInstanceFromDBSnapshot) takes no key and no engine version, and creates one
 * instance without Serverless v2; an Aurora cluster has no option group of its own to set.
 */
const AURORA_ONLY: ReadonlyArray<[keyof RefreshedDatabaseProps, string]> = [
  ['serverlessV2', 'Aurora Serverless v2 capacity applies to Aurora clusters only: give instanceClass, or leave both out to keep the source\'s class'],
  ['instances', 'a DB instance is one instance; its restore creates it whole'],
  ['encryptionKey', 'RestoreDBInstanceFromDBSnapshot takes no key: a DB instance is restored under its copy\'s key (the receiver\'s encryptionKey)'],
  ['engineVersion', 'RestoreDBInstanceFromDBSnapshot restores a DB instance at its copy\'s engine version: upgrade it in your postRestore step'],
];
const INSTANCE_ONLY: ReadonlyArray<[keyof RefreshedDatabaseProps, string]> = [
  ['optionGroupName', 'Aurora clusters take no option group on restore (RestoreDBClusterFromSnapshot\'s OptionGroupName is not used by Aurora)'],
];

/** The problems of the props with `kind`: each prop of the other kind, naming the prop, its value and the rule. */
export function kindProblems(props: RefreshedDatabaseProps, kind: DatabaseKind): string[] {
  const problems: string[] = [];
  const refused = kind === DatabaseKind.DB_INSTANCE ? AURORA_ONLY : INSTANCE_ONLY;
  for (const [prop, why] of refused) {
    if (props[prop] !== undefined) problems.push(`${prop} is given (${describe(props[prop])}) with DatabaseKind.${kindName(kind)}: ${why}`);
  }
  const group = props.optionGroupName;
  if (group !== undefined && !Token.isUnresolved(group) && !(OPTION_GROUP_NAME.test(group) && !group.endsWith('-'))) {
    problems.push(`optionGroupName must be an option group name (1-255 letters, digits or hyphens, starting with a letter, no '--', not ending with a hyphen), got '${group}'`);
  }
  return problems;
}

/** The enum member's name, as a user writes it. */
function kindName(kind: DatabaseKind): string {
  return Object.entries(DatabaseKind).find(([, value]) => value === kind)?.[0] ?? String(kind);
}

function describe(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number') return JSON.stringify(value);
  if (value && typeof value === 'object' && 'keyArn' in value) return 'a key';
  if (value && typeof value === 'object' && 'minCapacity' in value) {
    const capacity = value as { minCapacity: number; maxCapacity: number };
    return `${capacity.minCapacity} to ${capacity.maxCapacity} ACU`;
  }
  return String(value);
}
