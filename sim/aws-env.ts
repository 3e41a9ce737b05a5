import { AsyncLocalStorage } from 'async_hooks';

/** The simulated account and Region every fake ARN is built in. */
export const ACCOUNT = '111111111111';
export const REGION = 'eu-west-1';

/**
 * Who is making an SDK call, set by the simulation around each handler: the execution (or
 * 'starter') and the id of the Lambda function whose code runs (its logical id, qualified by the
 * stack when several templates are simulated), and the account it runs in (the simulated
 * account when absent; sim/handoff.ts simulates several).
 */
export const callContext = new AsyncLocalStorage<{ caller: string; functionId?: string; account?: string }>();

/**
 * The AWS-managed `aws/rds` key: `StorageEncryptionType: 'sse-kms'` with this key ARN. "You can't
 * share a snapshot that has been encrypted using the default AWS KMS key of the AWS account that
 * shared the snapshot" (Aurora User Guide, "Sharing a DB cluster snapshot"; aws-facts.md).
 */
export const AWS_MANAGED_RDS_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/aws-rds-managed-key`;
/** The alias ARN of the `aws/rds` key; RDS accepts alias ARNs as KmsKeyId (aws-facts.md, "KMS key forms"). */
export const AWS_MANAGED_RDS_ALIAS = `arn:aws:kms:${REGION}:${ACCOUNT}:alias/aws/rds`;
/**
 * Marker for a cluster encrypted with an AWS-owned key (the default for Aurora clusters created on
 * or after 2026-02-18). RDS reports it as `StorageEncryptionType: 'sse-rds'`, `StorageEncrypted:
 * false` and no `KmsKeyId` (SDK model text of DBCluster/DBClusterSnapshot `StorageEncrypted`;
 * Aurora User Guide, "Encrypting Amazon Aurora resources"). Never appears in a response.
 */
export const AWS_OWNED_KEY = 'aws-owned-key';

export function clusterArn(id: string | undefined, account = ACCOUNT, region = REGION): string {
  return `arn:aws:rds:${region}:${account}:cluster:${String(id).toLowerCase()}`;
}

export function snapshotArn(idOrArn: string | undefined, account = ACCOUNT, region = REGION): string {
  return idOrArn?.startsWith('arn:') ? idOrArn : `arn:aws:rds:${region}:${account}:cluster-snapshot:${idOrArn}`;
}

/** A DB instance's ARN (`arn:aws:rds:<region>:<account>:db:<id>`, RDS User Guide, "Amazon Resource Names in Amazon RDS"). */
export function instanceArn(id: string | undefined, account = ACCOUNT, region = REGION): string {
  return `arn:aws:rds:${region}:${account}:db:${String(id).toLowerCase()}`;
}

/** A DB (instance) snapshot's ARN: resource type `snapshot`, automated ones included (`snapshot:rds:<id>`). */
export function dbSnapshotArn(idOrArn: string | undefined, account = ACCOUNT, region = REGION): string {
  return idOrArn?.startsWith('arn:') ? idOrArn : `arn:aws:rds:${region}:${account}:snapshot:${idOrArn}`;
}

/** An option group's ARN (resource type `og`). */
export function optionGroupArn(name: string, account = ACCOUNT, region = REGION): string {
  return `arn:aws:rds:${region}:${account}:og:${name}`;
}

/** A KMS key's ARN (`arn:aws:kms:<region>:<account>:key/<id>`): keys are Regional. */
export function kmsKeyArn(keyId: string, account = ACCOUNT, region = REGION): string {
  return `arn:aws:kms:${region}:${account}:key/${keyId}`;
}

/** The Region of an ARN (`arn:aws:<service>:<region>:...`), or undefined for an identifier. */
export function regionOf(idOrArn: string | undefined): string | undefined {
  return idOrArn?.startsWith('arn:') ? idOrArn.split(':')[3] : undefined;
}

/** The RDS resource type of an ARN (`cluster-snapshot`, `snapshot`, `db`, `cluster`...), or undefined for an identifier. */
export function arnTypeOf(idOrArn: string | undefined): string | undefined {
  return idOrArn?.startsWith('arn:') ? idOrArn.split(':')[5] : undefined;
}

/** The account of an ARN (`arn:aws:rds:<region>:<account>:...`), or undefined for an identifier. */
export function accountOf(idOrArn: string | undefined): string | undefined {
  return idOrArn?.startsWith('arn:') ? idOrArn.split(':')[4] : undefined;
}

/**
 * A snapshot id from an id or an ARN (RDS accepts both for snapshots of this account). The id is
 * everything after the resource type: an automated snapshot's id holds a colon (`rds:<id>`).
 */
export function snapshotIdOf(idOrArn: string | undefined): string | undefined {
  return idOrArn?.startsWith('arn:') ? idOrArn.split(':').slice(6).join(':') : idOrArn;
}
