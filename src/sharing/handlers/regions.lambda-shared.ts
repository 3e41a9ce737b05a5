import { ENV } from '../../shared/constants';
import { InvalidInput } from '../../shared/errors.lambda-shared';
import { preview } from '../../shared/validate.lambda-shared';

/**
 * `regions` as the construct sets them (`<region>=<key ARN>` pairs): each other Region and the key
 * its copies are encrypted with. Empty without `regions`.
 */
export function sharingRegions(): Map<string, string> {
  const raw = process.env[ENV.SHARING_REGIONS] ?? '';
  const regions = new Map<string, string>();
  for (const pair of raw.split(',').filter((p) => p.trim() !== '')) {
    const at = pair.indexOf('=');
    if (at < 1 || at === pair.length - 1) throw new Error(`Environment variable ${ENV.SHARING_REGIONS} holds a malformed pair: '${pair}'`);
    regions.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  return regions;
}

/**
 * The key of one of `regions`, checked: an execution's state may name only a configured Region, and
 * never the function's own (the construct refuses it at synth when it knows the stack's Region).
 */
export function sharingKeyIn(region: unknown): string {
  const key = typeof region === 'string' ? sharingRegions().get(region) : undefined;
  if (key === undefined) {
    throw new InvalidInput(`Region ${preview(region)} is not one of this instance's regions (${[...sharingRegions().keys()].join(', ') || 'none'})`);
  }
  if (region === process.env.AWS_REGION) {
    throw new InvalidInput(`Region '${region}' is this stack's own Region, where the snapshot is shared already: list only other Regions in regions`);
  }
  return key;
}
