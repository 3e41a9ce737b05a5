import { Stack, Token } from 'aws-cdk-lib';
import { encryptionKeyProblems } from './key-validation';
import type { SharingRegion } from './region-props';

/** A Region name as AWS writes them: `eu-central-1`, `us-gov-west-1`, `ap-southeast-5`. */
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * The partition a cross-Region copy must stay in. RDS copies no snapshot to or from the China
 * Regions (`cn-`), and within GovCloud only between its two Regions (aws-facts.md, "Regions").
 */
function copyPartitionOf(region: string): 'china' | 'govcloud' | 'commercial' {
  if (region.startsWith('cn-')) return 'china';
  if (region.startsWith('us-gov-')) return 'govcloud';
  return 'commercial';
}

/**
 * The `regions` rules, checked at synth (unresolved tokens skipped where the rule allows): each a
 * literal Region name, listed once, not the stack's own Region, one RDS can copy to from the
 * stack's Region, with a key of that Region that is not an alias.
 */
export function regionProblems(stack: Stack, regions: SharingRegion[] | undefined): string[] {
  if (regions === undefined) return [];
  if (!Array.isArray(regions) || regions.length === 0) {
    return ['regions must list at least one Region when given: leave it out to share in this stack\'s Region only'];
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  regions.forEach((entry, i) => {
    const region = entry?.region;
    const prop = `regions[${i}]`;
    if (typeof region !== 'string' || Token.isUnresolved(region)) {
      problems.push(`${prop}.region must be a literal Region name (state names and IAM policies are derived from it at synth), got ${Token.isUnresolved(region) ? 'a token' : `'${region}'`}`);
      return;
    }
    if (!REGION_NAME.test(region)) {
      problems.push(`${prop}.region is '${region}', which is not a Region name (like 'eu-central-1')`);
      return;
    }
    if (seen.has(region)) {
      problems.push(`${prop}.region '${region}' is listed twice: list each Region once`);
    } else if (!Token.isUnresolved(stack.region) && region === stack.region) {
      problems.push(`${prop}.region is '${region}', this stack's own Region, where every snapshot is shared already: list only other Regions`);
    } else if (!Token.isUnresolved(stack.region) && copyPartitionOf(region) !== copyPartitionOf(stack.region)) {
      problems.push(`${prop}.region is '${region}', but RDS copies snapshots from ${stack.region} only to Regions of its own partition `
        + '(none to or from the China Regions, and within GovCloud only between its two Regions)');
    }
    seen.add(region);
    if (!entry.encryptionKey) {
      problems.push(`${prop}.encryptionKey is missing: give the key in ${region} the copies there are encrypted with (kms.Key.fromKeyArn)`);
      return;
    }
    problems.push(...encryptionKeyProblems(stack, entry.encryptionKey, `${prop}.encryptionKey`, region));
  });
  return problems;
}
