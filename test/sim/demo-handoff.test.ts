/**
 * The demo's handoff part (sim/demo-handoff.ts), as it prints: target 222222222222 keeps replicas
 * in its DR Region (issue 17), each day's timeline shows them copied there and announced, the final
 * state what each Region holds, and the month's cost counts the replicas' key and full-copy storage.
 */
import { handoffDemo } from '../../sim/demo-handoff';
import { TARGET_ACCOUNTS } from '../../sim/example-stack';

const [DR_ACCOUNT, OTHER_ACCOUNT] = TARGET_ACCOUNTS;
const DR_REGION = 'us-east-1';
const clock = (ms: number) => new Date(ms).toISOString().slice(11, 19);

async function demoOutput(): Promise<string[]> {
  const lines: string[] = [];
  await handoffDemo((line = '') => lines.push(line), clock);
  return lines;
}

let output: string[];
beforeAll(async () => {
  output = await demoOutput();
});

/** The lines of the block that starts with `title`, up to the next blank line. */
function block(title: string): string[] {
  const start = output.findIndex((l) => l.startsWith(title));
  expect(start).toBeGreaterThanOrEqual(0);
  const end = output.indexOf('', start);
  return output.slice(start + 1, end < 0 ? undefined : end);
}

const dollarsIn = (text: string) => Number(text.replace(/[$,]/g, ''));

test('the header names the target with a DR Region', () => {
  expect(output.slice(0, 3).join('\n')).toContain(`${DR_ACCOUNT} also keeps a replica of each copy in its DR Region ${DR_REGION} (replicaRegions)`);
});

test.each(['Day 1', 'Day 2', 'Day 3'])('%s: the copy, then its replica into the DR Region started, available, and announced; the other target has none', (day) => {
  const lines = block(day);
  const at = (text: string) => {
    const i = lines.findIndex((l) => l.includes(text));
    expect([text, i]).not.toEqual([text, -1]);
    return i;
  };
  const copied = at(`target ${DR_ACCOUNT} copied (own key): received-shared-orders-db-`);
  const started = at(`target ${DR_ACCOUNT} replicating the copy into ${DR_REGION}, under its key there`);
  const available = at(`target ${DR_ACCOUNT} replica available in ${DR_REGION}`);
  const event = at(`Cluster Snapshot Replicated (${DR_REGION}) ${DR_ACCOUNT} → ${DR_ACCOUNT}: delivered`);
  expect(copied < started && started < available && available < event).toBe(true);
  // The cross-Region copy takes the simulator's model time (an hour), after the copy at home.
  const time = (i: number) => Date.parse(`1970-01-01T${lines[i].trim().slice(0, 8)}Z`);
  expect(time(available) - time(started)).toBe(60 * 60_000);
  expect(lines.filter((l) => /replica|Replicated/.test(l))).toHaveLength(3);
  expect(lines.filter((l) => l.includes(OTHER_ACCOUNT) && /replica|Replicated/.test(l))).toEqual([]);
});

test('the final state: what each Region of each target holds', () => {
  const lines = block('Final state');
  const i = lines.indexOf(`  target ${DR_ACCOUNT}: 3 copies under its own key, 3 available`);
  expect(i).toBeGreaterThanOrEqual(0);
  expect(lines[i + 1]).toBe(`    in ${DR_REGION} (DR Region): 3 replicas under its key there, 3 available`);
  expect(lines).toContain(`  target ${OTHER_ACCOUNT}: 3 copies under its own key, 3 available`);
  expect(lines.filter((l) => l.includes('DR Region'))).toHaveLength(1);
});

test('the month\'s cost: the DR Region\'s key and full-copy storage are counted in its account\'s row, the transfer said not to be', () => {
  const lines = block('A month of days like day 2');
  const row = (account: string) => {
    const line = lines.find((l) => l.startsWith(`  target ${account} `))!;
    const [fixed, runs, storage, total] = [...line.matchAll(/\$[\d,.]+/g)].map((m) => dollarsIn(m[0]));
    return { fixed, runs, storage, total, copies: line.slice(line.lastIndexOf('  ') + 2) };
  };
  const [dr, other] = [row(DR_ACCOUNT), row(OTHER_ACCOUNT)];
  expect(other.copies).toMatch(/^\d+\.\d\d$/);
  const replicas = new RegExp(`^${other.copies.replace('.', '\\.')} \\+ (\\d+\\.\\d\\d) in ${DR_REGION}$`).exec(dr.copies);
  expect(replicas).not.toBeNull();
  // retainCopies 7 in the DR Region too, plus the new replica while it copies (measured in that Region).
  expect(Number(replicas![1])).toBeGreaterThan(7);
  expect(Number(replicas![1])).toBeLessThan(7.1);

  const line = lines.find((l) => l.startsWith(`  ${DR_ACCOUNT}'s DR Region ${DR_REGION}: `))!;
  expect(line).toMatch(new RegExp(`its key, \\$1\\.00 \\(in fixed\\), and ${replicas![1].replace('.', '\\.')} full copies of 100 GB, \\$[\\d.]+ \\(in storage\\); `
    + 'the data transfer out of eu-west-1 of each replica is not counted\\.$'));
  const replicaStorage = dollarsIn(/GB, (\$[\d.]+)/.exec(line)![1]);
  // The same copies at home cost the same as the other target's; the DR account pays for its replicas on top (to the cent, each figure rounded).
  expect(Math.abs(dr.storage - (other.storage + replicaStorage))).toBeLessThanOrEqual(0.011);
  expect(dr.fixed - other.fixed).toBeGreaterThanOrEqual(1);
  expect(lines.filter((l) => l.includes('DR Region'))).toEqual([line]);
});

test('the output is the same on another run', async () => {
  expect(await demoOutput()).toEqual(output);
});
