import { Stack, Token } from 'aws-cdk-lib';
import type { ReplicaRegion } from './replica-region';
import { MAX_REPLICA_REGIONS, MAX_RETAIN_COPIES } from '../shared/constants';

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key|alias)\/(.+)$/;

/**
 * The problems with `replicaRegions`, each naming the entry, the value and the rule: a literal
 * Region, listed once, not the stack's own; a literal key ARN (not an alias) of that Region; a
 * whole `retainCopies` from 1 to 100.
 */
export function replicaRegionProblems(stack: Stack, replicas: ReplicaRegion[] | undefined): string[] {
  if (replicas === undefined) return [];
  const problems: string[] = [];
  if (replicas.length > MAX_REPLICA_REGIONS) problems.push(`replicaRegions may list at most ${MAX_REPLICA_REGIONS} Regions, got ${replicas.length}`);
  const seen = new Set<string>();
  replicas.forEach((replica, i) => {
    const at = `replicaRegions[${i}]`;
    const region = replica.region;
    if (Token.isUnresolved(region) || !REGION.test(region)) {
      problems.push(`${at}.region must be a literal Region name such as 'us-east-1', got '${region}'`);
      return;
    }
    if (seen.has(region)) problems.push(`${at}.region '${region}' is listed twice: each Region once`);
    seen.add(region);
    if (!Token.isUnresolved(stack.region) && region === stack.region) {
      problems.push(`${at}.region '${region}' is the stack's own Region: the copies already live there; list other Regions`);
    }
    problems.push(...keyProblems(at, region, replica.encryptionKey?.keyArn));
    const retain = replica.retainCopies;
    if (retain !== undefined && !Token.isUnresolved(retain) && (!Number.isInteger(retain) || retain < 1 || retain > MAX_RETAIN_COPIES)) {
      problems.push(`${at}.retainCopies must be a whole number from 1 to ${MAX_RETAIN_COPIES}, got ${retain}`);
    }
  });
  return problems;
}

function keyProblems(at: string, region: string, keyArn: string | undefined): string[] {
  const match = keyArn !== undefined && !Token.isUnresolved(keyArn) ? KEY_ARN.exec(keyArn) : null;
  if (!match) {
    return [`${at}.encryptionKey must be a key given by its literal key ARN (kms.Key.fromKeyArn), since the key lives in ${region} and this stack in another Region, got '${keyArn}'`];
  }
  if (match[3] === 'alias') return [`${at}.encryptionKey must be a key ARN, not an alias ARN ('${keyArn}'): an alias can be re-pointed, and IAM grants need the key`];
  if (match[1] !== region) return [`${at}.encryptionKey '${keyArn}' is in ${match[1]}, not ${region}: a copy in ${region} needs a key of ${region}`];
  return [];
}

/** The replica settings the handlers read (TARGET_ENV.REPLICA_REGIONS). */
export function replicaSettings(replicas: ReplicaRegion[], retainCopies: number): Array<{ region: string; keyArn: string; retainCopies: number }> {
  return replicas.map((r) => ({ region: r.region, keyArn: r.encryptionKey.keyArn, retainCopies: r.retainCopies ?? retainCopies }));
}
