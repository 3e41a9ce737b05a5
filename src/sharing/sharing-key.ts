import { Annotations, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The default customer-managed key for shared snapshots. Retained on stack deletion unless
 * `keyRemovalPolicy` says otherwise: the snapshots encrypted with it, and every restore in the
 * target accounts, depend on it.
 */
export function createSharingKey(scope: Construct, id: string, targetAccountIds: string[], removalPolicy = RemovalPolicy.RETAIN): kms.Key {
  const key = new kms.Key(scope, id, {
    description: 'Encrypts DB cluster snapshots shared with other accounts by SharedClusterSnapshots',
    enableKeyRotation: true,
    removalPolicy,
  });
  allowTargetAccounts(key, targetAccountIds);
  return key;
}

/** What a target account needs to copy or restore a snapshot encrypted with the key (the set AWS documents for sharing). */
export function allowTargetAccounts(key: kms.Key, targetAccountIds: string[]): void {
  const principals = targetAccountIds.map((account) => new iam.AccountPrincipal(account));
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowTargetAccountsToUseTheKey',
    principals,
    actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
    resources: ['*'],
  }));
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowTargetAccountsGrantsForAwsResources',
    principals,
    actions: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
    resources: ['*'],
    conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
  }));
}

/** The id of the warning on an imported `encryptionKey`, for `Annotations.acknowledgeWarning`. */
export const IMPORTED_KEY_WARNING = 'cdk-shared-cluster-snapshots:importedKey';

/**
 * An imported key's policy is not the construct's to change: say what it must allow, for the target
 * accounts and for the CopySnapshot role (whose IAM policy allows the key only if the key policy
 * delegates to IAM or names the role).
 */
export function warnImportedKey(scope: Construct): void {
  const account = Stack.of(scope).account;
  const principals = Token.isUnresolved(account) ? "this stack's account" : `account ${account}`;
  Annotations.of(scope).addWarningV2(IMPORTED_KEY_WARNING,
    'encryptionKey is imported: its key policy must let the target accounts use it (kms:Decrypt, kms:DescribeKey, kms:Encrypt, '
    + 'kms:ReEncrypt*, kms:GenerateDataKey*, and kms:CreateGrant/ListGrants/RevokeGrant for AWS resources), or they cannot restore '
    + 'the shared snapshots. It must also allow kms:CreateGrant and kms:DescribeKey for the principals of '
    + `${principals}, by delegating to IAM (a statement for the account's root) or by naming the CopySnapshot handler's role, `
    + 'or every copy fails with KmsKeyNotAccessible.');
}
