import { Stack, Token } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';

/**
 * RDS needs the key itself: CDK's grants on an imported alias do nothing, and a snapshot's
 * `KmsKeyId` is always a key ARN, which never equals an alias ARN. A key of another Region cannot
 * encrypt a copy in this one. Literal parts of a partly unresolved ARN are still checked.
 * `region`: the Region the key encrypts copies in (a `regions` entry's); the stack's by default.
 */
export function encryptionKeyProblems(stack: Stack, key: kms.IKey, prop = 'encryptionKey', region?: string): string[] {
  const aliasName = (key as Partial<kms.IAlias>).aliasName;
  const arnAlias = /:(alias\/[^:]*)$/.exec(key.keyArn)?.[1];
  if (aliasName !== undefined || arnAlias !== undefined) {
    const name = aliasName !== undefined && !Token.isUnresolved(aliasName) ? aliasName : arnAlias ?? 'an alias';
    return [
      `${prop} is the KMS alias '${name}', not a key: RDS reports snapshots by key ARN and CDK cannot grant on an imported alias. `
      + `Pass kms.Key.fromKeyArn(this, 'SharingKey', '<key ARN>') with the ARN of the key the alias points to instead${region ? '' : ' (or the kms.Key itself)'}`,
    ];
  }
  const keyRegion = key.env.region;
  const expected = region ?? stack.region;
  if (!Token.isUnresolved(keyRegion) && !Token.isUnresolved(expected) && keyRegion !== expected) {
    const where = region ? `it encrypts the copies in ${region}` : `this stack deploys to ${expected}`;
    return [
      `${prop} is in ${keyRegion}, but ${where}: RDS encrypts a snapshot copy only with a key of the `
      + `copy's own Region. Pass a key in ${expected} (for a multi-Region key, its replica in ${expected})`,
    ];
  }
  return [];
}
