/**
 * The DB instance numbers the README states, built from the shared facts the construct and the
 * handlers use (as readme-numbers.test.ts does for the rest).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DEFAULT_MANUAL_INSTANCE_SNAPSHOTS_QUOTA, DEFAULTS, MAX_AUTOMATED_SNAPSHOT_MAX_AGE_SECONDS, MAX_CONCURRENT_INSTANCE_COPIES,
  MIN_AUTOMATED_SNAPSHOT_MAX_AGE_SECONDS,
} from '../../src/shared/constants';

const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8').replace(/\s+/g, ' ');

test('the DB instance facts the README quotes', () => {
  const phrases = [
    `| \`maxConcurrentInstanceCopies\` | ${DEFAULTS.maxConcurrentInstanceCopies} (1 to ${MAX_CONCURRENT_INSTANCE_COPIES}) |`,
    `"up to ${MAX_CONCURRENT_INSTANCE_COPIES} snapshot copy requests in progress to a single destination Region per account"`,
    `separate manual DB instance snapshot quota (${DEFAULT_MANUAL_INSTANCE_SNAPSHOTS_QUOTA} by default)`,
    `(\`ManualSnapshots\`, ${DEFAULT_MANUAL_INSTANCE_SNAPSHOTS_QUOTA} per Region by default)`,
    `younger than \`maxAge\` (${MIN_AUTOMATED_SNAPSHOT_MAX_AGE_SECONDS / 3600} hour to ${MAX_AUTOMATED_SNAPSHOT_MAX_AGE_SECONDS / 86_400} days)`,
  ];
  expect(phrases.filter((p) => !readme.includes(p))).toEqual([]);
});
