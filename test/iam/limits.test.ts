/**
 * IAM's size limits, measured on the synthesized template as deployed (intrinsics resolved to
 * realistic ARNs; IAM does not count whitespace, and JSON.stringify writes none): at most 10,240
 * characters of inline policy per role, 6,144 per managed policy, 10 managed policies per role
 * (IAM User Guide, "IAM and AWS STS quotas"). Any explicit id list that synthesizes must deploy.
 */
import { Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { PROVEN_63_CHARACTER_IDS } from './limit-bounds';
import { CLUSTER_TAG, clusterIds, defaultStack, Deployment, EU_WEST_1, fullFeatureStack, LONGEST_NAMES, synthesize, SynthesizedStack, TARGETS } from './stacks';
import { SharedClusterSnapshotsProps } from '../../src';
import { IAM_LIMITS } from '../../src/shared/constants';

interface RoleSize {
  readonly inlineCharacters: number;
  readonly managedCharacters: number[];
}

function sizesOf(synthesized: SynthesizedStack): Map<string, RoleSize> {
  const sizes = new Map<string, RoleSize>();
  for (const role of synthesized.roles.values()) {
    const length = (document: unknown) => JSON.stringify(document).length;
    sizes.set(role.roleId, {
      inlineCharacters: role.policies.filter((p) => p.kind === 'inline').reduce((sum, p) => sum + length(p.document), 0),
      managedCharacters: role.policies.filter((p) => p.kind === 'managed').map((p) => length(p.document)),
    });
  }
  return sizes;
}

/** The roles that break a limit, with what they hold; empty when every role fits. */
function overLimits(synthesized: SynthesizedStack): Record<string, RoleSize> {
  const over: Record<string, RoleSize> = {};
  for (const [roleId, size] of sizesOf(synthesized)) {
    if (size.inlineCharacters > IAM_LIMITS.roleInlinePolicyCharacters
      || size.managedCharacters.length > IAM_LIMITS.managedPoliciesPerRole
      || size.managedCharacters.some((n) => n > IAM_LIMITS.managedPolicyCharacters)) over[roleId] = size;
  }
  return over;
}

/** Every feature, with `ids` as the explicit clusters. */
const fleet = (ids: string[]) => (stack: Stack): SharedClusterSnapshotsProps => ({
  clusterIdentifiers: ids,
  clusterTag: CLUSTER_TAG,
  targetAccountIds: TARGETS,
  alarmTopic: new sns.Topic(stack, 'Alarms'),
});

/**
 * The largest list of `length`-character ids the construct accepts, read from its error for
 * `tooMany` ids (few enough that Lambda's environment, checked first, still holds them).
 */
function largestAccepted(length: number, tooMany: number, deployment: Deployment, envAgnostic: boolean): number {
  try {
    synthesize(fleet(clusterIds(tooMany, length)), deployment, envAgnostic);
  } catch (error) {
    const match = new RegExp(`^- clusterIdentifiers lists ${tooMany} clusters, but only the first (\\d+) fit`, 'm').exec((error as Error).message);
    if (match) return Number(match[1]);
    throw error;
  }
  throw new Error(`${tooMany} ids synthesized`);
}

test('the full-feature and the default stack are within every limit, with room', () => {
  for (const synthesized of [fullFeatureStack(), defaultStack()]) {
    expect(overLimits(synthesized)).toEqual({});
    for (const size of sizesOf(synthesized).values()) expect(size.inlineCharacters).toBeLessThan(IAM_LIMITS.roleInlinePolicyCharacters / 2);
  }
});

describe.each([
  // 63 characters: the longest identifier RDS allows. 8: short ids, where the per-ARN overhead dominates.
  // A stack without env budgets the longest Region name and an unknown account, so fewer fit.
  [63, 'in eu-west-1', EU_WEST_1, false, PROVEN_63_CHARACTER_IDS.euWest1, 600],
  [63, 'in a stack without env, deployed with the longest partition and Region names', LONGEST_NAMES, true, PROVEN_63_CHARACTER_IDS.anyRegion, 600],
  [8, 'in eu-west-1', EU_WEST_1, false, 900, 1100],
  [8, 'in a stack without env, deployed with the longest partition and Region names', LONGEST_NAMES, true, 800, 1100],
])('%i-character cluster identifiers, %s', (length, _, deployment: Deployment, envAgnostic: boolean, atLeast, tooMany) => {
  const limit = largestAccepted(length, tooMany, deployment, envAgnostic);

  test(`at least ${atLeast} fit, listed by ARN`, () => {
    expect(limit).toBeGreaterThanOrEqual(atLeast);
  });

  test('the largest list that synthesizes deploys: every policy of every role within the limits', () => {
    const synthesized = synthesize(fleet(clusterIds(limit, length)), deployment, envAgnostic);
    expect(overLimits(synthesized)).toEqual({});
    const createRole = synthesized.roleOfFunction('createSnapshot');
    const managed = createRole.policies.filter((p) => p.kind === 'managed');
    expect(managed.length).toBe(IAM_LIMITS.managedPoliciesPerRole);
    // Every id is allowed by its cluster ARN, and by nothing the caller writes in its request.
    const clusterArns = managed.flatMap((p) => [p.document.Statement].flat().flatMap((s) => [s.Resource].flat()));
    expect(clusterArns).toEqual(clusterIds(limit, length).map((id) => `arn:${deployment.partition}:rds:${deployment.region}:${deployment.account}:cluster:${id}`));
    expect(JSON.stringify(createRole.statements)).not.toContain('aws:RequestTag/shared-cluster-snapshots:cluster');
  });

  test('one more id fails at synth, naming clusterIdentifiers, the count, the limit and clusterTag', () => {
    expect(() => synthesize(fleet(clusterIds(limit + 1, length)), deployment, envAgnostic)).toThrow(
      `clusterIdentifiers lists ${limit + 1} clusters, but only the first ${limit} fit the CreateSnapshot role's IAM policies `
      + '(10 managed policies of 6,144 characters, listing each cluster by ARN). Tag the clusters and select them with clusterTag instead',
    );
  });
});
