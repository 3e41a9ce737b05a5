import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * What a role needs for RDS to use KMS keys on its behalf (to copy or restore a snapshot encrypted
 * with them, or to encrypt a new one): `readActions` (DescribeKey, and Decrypt for a key the data
 * is read with) and CreateGrant, only through RDS in this Region (`kms:ViaService`) or in
 * `regions`, grants only for AWS resources (`kms:GrantIsForAWSResource`).
 */
export function useKeysThroughRds(stack: Stack, keys: string[], readActions: string[], regions: string[] = [stack.region]): iam.PolicyStatement[] {
  const endpoints = regions.map((region) => `rds.${region}.${stack.urlSuffix}`);
  const viaRds = { 'kms:ViaService': endpoints.length === 1 ? endpoints[0] : endpoints };
  return [
    new iam.PolicyStatement({ actions: readActions, resources: keys, conditions: { StringEquals: viaRds } }),
    new iam.PolicyStatement({
      actions: ['kms:CreateGrant'],
      resources: keys,
      conditions: { StringEquals: viaRds, Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    }),
  ];
}
