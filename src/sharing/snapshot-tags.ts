import { Stack, Token } from 'aws-cdk-lib';
import {
  AWS_RESERVED_TAG_PREFIXES,
  ENV,
  MAX_TAG_KEY_LENGTH,
  MAX_TAG_VALUE_LENGTH,
  MAX_TAGS_PER_RESOURCE,
  OWN_SNAPSHOT_TAG_COUNT,
  RESERVED_TAG_PREFIX,
  TAG_CHARACTERS_PATTERN,
} from '../shared/constants';

/*
 * `snapshotTags`: the user's extra tags on every snapshot this construct creates. Checked at synth
 * against RDS's tag rules and this construct's own keys, and carried to the CreateSnapshot and
 * CopySnapshot handlers as JSON in `ENV.SNAPSHOT_TAGS`.
 */

/** The most extra tags: RDS's 50 per snapshot, less this construct's own. */
const MAX_EXTRA_TAGS = MAX_TAGS_PER_RESOURCE - OWN_SNAPSHOT_TAG_COUNT;
const CHARACTERS_RULE = "only Unicode letters, digits, white space and _ . : / = + - @ (RDS's tag rule)";

/**
 * The environment that carries the tags, for the handlers that create snapshots. None without
 * tags, so the environment (4 KB in all) and the template stay as they were.
 */
export function snapshotTagsEnvironment(stack: Stack, tags: Record<string, string> | undefined): Record<string, string> {
  if (!tags || Object.keys(tags).length === 0) return {};
  // toJsonString escapes a token's deployed value inside the JSON; it always returns a token, whose
  // size the environment check can only estimate, so plain tags are written as plain JSON.
  const hasTokens = Object.values(tags).some((value) => Token.isUnresolved(value));
  return { [ENV.SNAPSHOT_TAGS]: hasTokens ? stack.toJsonString(tags) : JSON.stringify(tags) };
}

/**
 * What is wrong with `snapshotTags`, one message per problem, each naming the key, the value and the
 * rule. `confirmationTags`: the tags `retainUntilCopied` may add to a shared snapshot, one per target
 * account (`shared-cluster-snapshots:copied-<account>`), which the extra tags must leave room for.
 */
export function snapshotTagProblems(tags: Record<string, string> | undefined, confirmationTags = 0): string[] {
  if (tags === undefined) return [];
  const problems: string[] = [];
  const keys = Object.keys(tags);
  const room = MAX_EXTRA_TAGS - confirmationTags;
  if (keys.length > room) {
    const confirmations = confirmationTags > 0 ? ` and, with retainUntilCopied, up to ${confirmationTags} copy confirmations (one per target account)` : '';
    problems.push(
      `snapshotTags has ${keys.length} tags; at most ${room} fit (RDS allows ${MAX_TAGS_PER_RESOURCE} tags per snapshot, and this construct sets ${OWN_SNAPSHOT_TAG_COUNT}${confirmations})`,
    );
  }
  for (const key of keys) {
    problems.push(...keyProblems(key), ...valueProblems(key, tags[key]));
  }
  return problems;
}

function keyProblems(key: string): string[] {
  if (Token.isUnresolved(key)) return ['snapshotTags keys must be literal strings, not tokens: reserved keys are refused at synth'];
  const reserved = [RESERVED_TAG_PREFIX, ...AWS_RESERVED_TAG_PREFIXES].find((prefix) => key.toLowerCase().startsWith(prefix));
  if (reserved === RESERVED_TAG_PREFIX) {
    return [`snapshotTags key '${key}' starts with '${RESERVED_TAG_PREFIX}', which is reserved for this construct's own tags (they mark the snapshots it may delete)`];
  }
  if (reserved !== undefined) return [`snapshotTags key '${key}' starts with '${reserved}', which AWS reserves; RDS refuses it`];
  if (key.length < 1 || key.length > MAX_TAG_KEY_LENGTH) {
    return [`snapshotTags key '${key}' must be 1 to ${MAX_TAG_KEY_LENGTH} characters, got ${key.length}`];
  }
  if (!TAG_CHARACTERS_PATTERN.test(key)) return [`snapshotTags key '${key}' may hold ${CHARACTERS_RULE}`];
  return [];
}

function valueProblems(key: string, value: unknown): string[] {
  if (typeof value !== 'string') return [`snapshotTags['${key}'] must be a string, got ${typeof value}`];
  if (Token.isUnresolved(value)) return [];
  if (value.length > MAX_TAG_VALUE_LENGTH) {
    return [`snapshotTags['${key}'] must be at most ${MAX_TAG_VALUE_LENGTH} characters, got ${value.length}`];
  }
  const reserved = AWS_RESERVED_TAG_PREFIXES.find((prefix) => value.toLowerCase().startsWith(prefix));
  if (reserved !== undefined) return [`snapshotTags['${key}'] is '${value}', which starts with '${reserved}'; RDS refuses tag values with that prefix`];
  if (!TAG_CHARACTERS_PATTERN.test(value)) return [`snapshotTags['${key}'] is '${value}'; a tag value may hold ${CHARACTERS_RULE}`];
  return [];
}
