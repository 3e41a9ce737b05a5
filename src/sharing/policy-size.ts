import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { MAX_IDENTIFIER_LENGTH } from '../shared/constants';

/**
 * The longest value each pseudo parameter takes where the stack may deploy, so that a policy that
 * measures within IAM's limits with them fits in every partition and Region: `aws-us-gov` is the
 * longest partition name, Region names are at most 15 characters today (e.g. `us-isof-south-1`),
 * 20 are assumed.
 */
const LONGEST_PSEUDO_VALUES: Record<string, string> = {
  'AWS::Partition': 'aws-us-gov',
  'AWS::Region': 'x'.repeat(20),
  'AWS::AccountId': '0'.repeat(12),
  'AWS::URLSuffix': 'amazonaws.com.cn',
};

/**
 * The characters `value` takes in a deployed policy, as IAM counts them (no whitespace): its JSON
 * once CloudFormation has resolved it, with the longest pseudo parameter values, and any other
 * reference (an imported or referenced cluster identifier) at the longest identifier RDS allows.
 */
export function deployedLength(stack: Stack, value: unknown): number {
  const substitute = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(substitute);
    if (v === null || typeof v !== 'object') return v;
    const node = v as Record<string, unknown>;
    if (typeof node.Ref === 'string') return LONGEST_PSEUDO_VALUES[node.Ref] ?? 'x'.repeat(MAX_IDENTIFIER_LENGTH);
    if (Array.isArray(node['Fn::Join'])) {
      const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
      return parts.map((part) => String(substitute(part))).join(separator);
    }
    const keys = Object.keys(node);
    if (keys.length === 1 && keys[0].startsWith('Fn::')) return 'x'.repeat(MAX_IDENTIFIER_LENGTH);
    return Object.fromEntries(keys.map((key) => [key, substitute(node[key])]));
  };
  return JSON.stringify(substitute(stack.resolve(value))).length;
}

/** The documents the resources were packed into, or how many of them fit when not all do. */
export type Packed = { readonly documents: iam.PolicyDocument[] } | { readonly fit: number };

/**
 * Packs `resources`, in order, into as few `document(resources)` as fit `maxCharacters` each once
 * deployed, using at most `maxDocuments`. `sizes`, when given, are the resources' deployed lengths
 * (measured faster by the caller); by default each is measured with `deployedLength`.
 */
export function packResources(
  stack: Stack,
  resources: string[],
  document: (resources: string[]) => iam.PolicyDocument,
  limits: { readonly maxDocuments: number; readonly maxCharacters: number },
  sizes: number[] = resources.map((resource) => deployedLength(stack, resource)),
): Packed {
  if (resources.length === 0) return { documents: [] };
  // A document of two resources, less the two and their comma, is what every document costs besides its resources.
  const overhead = deployedLength(stack, document([resources[0], resources[0].concat('x')])) - 2 * sizes[0] - 2;
  let chunk: string[] = [];
  const chunks = [chunk];
  let used = overhead;
  for (const [i, resource] of resources.entries()) {
    if (chunk.length > 0 && used + 1 + sizes[i] > limits.maxCharacters) {
      if (chunks.length === limits.maxDocuments) return { fit: i };
      chunk = [];
      chunks.push(chunk);
      used = overhead;
    }
    used += (chunk.length > 0 ? 1 : 0) + sizes[i];
    chunk.push(resource);
  }
  return { documents: chunks.map(document) };
}
