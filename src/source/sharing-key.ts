import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The default customer-managed key for shared snapshots. Retained on stack deletion: the snapshots
 * encrypted with it, and every restore in the target accounts, depend on it.
 */
export function createSharingKey(scope: Construct, id: string, targetAccountIds: string[]): kms.Key {
  const key = new kms.Key(scope, id, {
    description: 'Encrypts DB cluster snapshots shared with other accounts by SharedClusterSnapshots',
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
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
