import { Token } from 'aws-cdk-lib';
import type { ClusterTag } from './cluster-tag';
import { IDENTIFIER_RULE, isValidIdentifier } from '../shared/naming.lambda-shared';

/** The identifier and tag rules of one selection (clusters, or DB instances). */
export function selectionProblems(ids: string[], tag: ClusterTag | undefined, names: { ids: string; tag: string; what: string }): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    if (Token.isUnresolved(id)) continue;
    if (!isValidIdentifier(id)) {
      problems.push(`${names.ids} contains '${id}', which is not ${names.what}: ${IDENTIFIER_RULE}`);
    } else if (seen.has(id.toLowerCase())) {
      problems.push(`${names.ids} contains '${id}' twice`);
    }
    seen.add(id.toLowerCase());
  }
  if (tag && !Token.isUnresolved(tag.key) && (tag.key.length < 1 || tag.key.length > 128 || /^(aws|rds):/i.test(tag.key))) {
    problems.push(`${names.tag}.key must be 1-128 characters and not start with 'aws:' or 'rds:' (reserved), got '${tag.key}'`);
  }
  if (tag && !Token.isUnresolved(tag.value) && tag.value.length > 256) {
    problems.push(`${names.tag}.value must be at most 256 characters, got ${tag.value.length}`);
  }
  return problems;
}
