import { Annotations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** The id of the warning on `keyRemovalPolicy` given with an imported `encryptionKey`, for `Annotations.acknowledgeWarning`. */
export const IGNORED_KEY_REMOVAL_POLICY_WARNING = 'cdk-shared-cluster-snapshots:keyRemovalPolicyIgnored';

/** `keyRemovalPolicy` applies to the key the construct creates; an imported key is not the stack's to remove. */
export function warnIgnoredKeyRemovalPolicy(scope: Construct): void {
  Annotations.of(scope).addWarningV2(IGNORED_KEY_REMOVAL_POLICY_WARNING,
    'keyRemovalPolicy is ignored because encryptionKey is given: it applies only to the key this construct creates. '
    + 'Set the removal policy on the key where it is defined, or leave keyRemovalPolicy out.');
}
