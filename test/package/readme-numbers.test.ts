/**
 * The numbers the README states come from somewhere that a test reads: the shared facts the
 * constructs and handlers use (src/shared/facts), a synthesized template, what the IAM limits test
 * proves, or BENCHMARKS.md (written by `npx projen bench`). Each is quoted here as the README words it,
 * built from its source, so changing the source without the README (or the other way round) fails.
 * The cost figures have their own test (test/sim/cost-readme.test.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthesizeTemplate } from '../../sim/example-stack';
import { readTemplate } from '../../sim/template';
import {
  DEFAULT_MANUAL_CLUSTER_SNAPSHOTS_QUOTA, DEFAULT_MEMORY_SIZE_MB, DEFAULTS, IAM_LIMITS, MAX_CHECKS_PER_PHASE, MAX_CONCURRENT_COPIES,
  MAX_MAX_RETENTION_DAYS, MAX_MEMORY_SIZE_MB, MAX_TAGS_PER_RESOURCE, MAX_TARGET_ACCOUNTS, MIN_MAX_RETENTION_DAYS, MIN_MEMORY_SIZE_MB,
  OWN_SNAPSHOT_TAG_COUNT, SNAPSHOT_VISIBILITY_GRACE_SECONDS, SOURCE_EVENTS_DEFAULTS, TAG_OWNER, TARGET_TAG_OWNER,
} from '../../src/shared/constants';
import { OWNER_DISCRIMINATOR_LENGTH } from '../../src/shared/naming.lambda-shared';
import { PROVEN_63_CHARACTER_IDS } from '../iam/limit-bounds';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const readme = read('README.md');
const n = (value: number) => value.toLocaleString('en-US');

/** Asserts `text` holds each phrase (line breaks and indentation count as one space), naming the ones it lacks. */
function expectQuoted(text: string, phrases: string[]): void {
  const flat = (s: string) => s.replace(/\s+/g, ' ');
  expect(phrases.filter((p) => !flat(text).includes(flat(p)))).toEqual([]);
}

test('the shared facts the README quotes', () => {
  expectQuoted(readme, [
    `1 to ${MAX_TARGET_ACCOUNTS} accounts`,
    `More than ${MAX_TARGET_ACCOUNTS} accounts would share the snapshot`,
    `${MAX_TAGS_PER_RESOURCE - OWN_SNAPSHOT_TAG_COUNT} tags at most (RDS allows ${MAX_TAGS_PER_RESOURCE}, the construct sets ${OWN_SNAPSHOT_TAG_COUNT})`,
    `| \`memorySize\` | ${DEFAULT_MEMORY_SIZE_MB} MB (${n(MIN_MEMORY_SIZE_MB)} to ${n(MAX_MEMORY_SIZE_MB)}) |`,
    `| \`maxRetention\` | ${SOURCE_EVENTS_DEFAULTS.maxRetentionDays} days (${MIN_MAX_RETENTION_DAYS} to ${MAX_MAX_RETENTION_DAYS}) |`,
    `| \`maxSnapshotAge\` | ${SOURCE_EVENTS_DEFAULTS.maxSnapshotAgeHours} hours`,
    `manual cluster snapshot quota (${DEFAULT_MANUAL_CLUSTER_SNAPSHOTS_QUOTA} by default)`,
    `the ${MAX_CONCURRENT_COPIES} copies RDS runs at once per account and Region`,
    `a snapshot not found within ${SNAPSHOT_VISIBILITY_GRACE_SECONDS / 60} minutes of its create or copy call`,
    `after at most ${n(MAX_CHECKS_PER_PHASE)} checks`,
    `\`rdsRequestsPerSecond\` (default ${DEFAULTS.rdsRequestsPerSecond},`,
    `(${n(IAM_LIMITS.roleInlinePolicyCharacters)} characters of inline policy per role, ${n(IAM_LIMITS.managedPolicyCharacters)} per managed policy, `
      + `${IAM_LIMITS.managedPoliciesPerRole} managed policies)`,
    `\`snapshotPrefix\` (default \`${DEFAULTS.snapshotPrefix}\`)`,
  ]);
});

test('what the default template deploys, as "What gets created" and "Removing it" count it', () => {
  const template = synthesizeTemplate({ clusterIdentifiers: ['orders-db'] });
  const withCopies = synthesizeTemplate({ clusterIdentifiers: ['orders-db'], retainUntilCopied: true });
  const resources = (t: { Resources: Record<string, any> }, type: string) => Object.values(t.Resources).filter((r) => r.Type === type);
  const logGroups = resources(template, 'AWS::Logs::LogGroup');
  // Every log group is retained: `cdk destroy` leaves them.
  expect(logGroups.every((g) => g.DeletionPolicy === 'Retain')).toBe(true);
  const retention = new Set(logGroups.map((g) => g.Properties.RetentionInDays));
  expect(retention).toEqual(new Set([90]));
  const [schedule] = resources(template, 'AWS::Scheduler::Schedule').filter((s) => s.Properties.ScheduleExpression.startsWith('cron'));
  const workflowFunctions = new Set([...JSON.stringify(readTemplate(template).definition).matchAll(/arn:aws:lambda:[^"]+:function:([A-Za-z0-9]+)/g)].map((m) => m[1]));
  expectQuoted(readme, [
    `one per function and one per state machine: ${logGroups.length} on the source side, ${resources(withCopies, 'AWS::Logs::LogGroup').length} with \`retainUntilCopied\``,
    'kept 3 months by default (`logRetention`)',
    `retried up to ${schedule.Properties.Target.RetryPolicy.MaximumRetryAttempts} times`,
    `| ${workflowFunctions.size} handler Lambdas |`,
  ]);
});

test('the fleet\'s busiest minute, as BENCHMARKS.md measured it', () => {
  const busiest = /^\| RDS requests\/s, busiest minute \(sustained\) \| ([\d.]+) \|$/m.exec(read('BENCHMARKS.md'));
  expect(busiest).not.toBeNull();
  expectQuoted(readme, [`Measured: 1,000 clusters, busiest minute ${busiest![1]} requests/s, all succeed`]);
});

test('how many 63-character cluster ids fit, as test/iam/limits.test.ts proves it: the README and the clusterIdentifiers JSDoc', () => {
  const { anyRegion, euWest1 } = PROVEN_63_CHARACTER_IDS;
  expectQuoted(readme, [`at least ${anyRegion} ids of 63 characters fit in any partition and Region, at least ${euWest1} in \`eu-west-1\``]);
  expectQuoted(read('src/sharing/props.ts').replace(/\n\s+\* /g, ' '), [
    `at least ${anyRegion} identifiers of 63 characters fit in any partition and Region, at least ${euWest1} in \`eu-west-1\``,
  ]);
});

test('every shared snapshot id the README shows carries the owner mark real ids end with', () => {
  const ids = [...readme.matchAll(/\bshared-[a-z][a-z0-9-]*?-\d{12}(?:-[a-z0-9]+)?(?:-tmp)?\b/g)].map((m) => m[0]);
  expect(ids.length).toBeGreaterThan(2);
  const wellFormed = new RegExp(`-\\d{12}-[a-z0-9]{${OWNER_DISCRIMINATOR_LENGTH}}(-tmp)?$`);
  expect(ids.filter((id) => !wellFormed.test(id))).toEqual([]);
});

test('"Removing it" finds the snapshots by the tags the constructs put on them', () => {
  const removing = readme.slice(readme.indexOf('\n## Removing it\n'), readme.indexOf('\n## Upgrading\n'));
  expectQuoted(removing, [`TagList[?Key=='${TAG_OWNER}' && Value=='$OWNER']`, `carry the tag \`${TARGET_TAG_OWNER}\``]);
});
