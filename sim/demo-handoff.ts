/**
 * The second part of `npx projen demo`: both sides of the handoff in one simulation. The source
 * account shares, its `Cluster Snapshot Shared` event reaches the target accounts, they copy under
 * their own keys and confirm, and the source prunes; then an event is lost and the target's
 * catch-up scan recovers it. Prints one timeline of what each account did.
 */
import { synthesizeReceiverTemplate } from './example-receiver';
import { synthesizeTemplate, TARGET_ACCOUNTS } from './example-stack';
import { HandoffSimulation, SOURCE_ACCOUNT } from './handoff';
import { EVENT_DETAIL_TYPE, TAG_ROLE, TARGET_TAG_OWNER } from '../src/shared/constants';

const CLUSTER = 'orders-db';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The source's run on the first demo day: 03:00 in Berlin. */
const FIRST_RUN = Date.parse('2026-11-27T02:00:00Z');
const day = (n: number) => new Date(FIRST_RUN + n * 24 * HOUR);

interface Line {
  readonly at: number;
  readonly who: string;
  readonly text: string;
}

export async function handoffDemo(print: (line?: string) => void, clock: (ms: number) => string): Promise<void> {
  // Confirmations need the source's retainUntilCopied (its bus policy and rule): without it they would be refused.
  const source = synthesizeTemplate({ clusterIdentifiers: [CLUSTER], notifyTargetAccounts: true, retainUntilCopied: true });
  const sim = new HandoffSimulation({
    start: new Date(FIRST_RUN - MINUTE),
    lambdaDurationMs: 200,
    accounts: [
      { account: SOURCE_ACCOUNT, templates: [source] },
      ...TARGET_ACCOUNTS.map((account) => ({
        account,
        templates: [synthesizeReceiverTemplate(account, {
          sourceAccountIds: [SOURCE_ACCOUNT],
          confirmCopies: true,
          retainCopies: 7,
        })],
      })),
    ],
  });
  try {
    sim.account(SOURCE_ACCOUNT).rds.addCluster({ identifier: CLUSTER, snapshotMs: 9 * MINUTE, copyMs: 14 * MINUTE });
    for (const account of TARGET_ACCOUNTS) sim.account(account).rds.setFaults({ sharedCopyMs: 11 * MINUTE });

    print('The handoff: SharedClusterSnapshots in the source account, ReceivedClusterSnapshots in each target, simulated together');
    print(`Source ${SOURCE_ACCOUNT} (${CLUSTER}, notifyTargetAccounts, retainUntilCopied) → targets ${TARGET_ACCOUNTS.join(', ')}`
      + ' (confirmCopies, catch-up scan every 6 hours)');

    const notes: Line[] = [];
    const days: [string, () => Promise<void>][] = [
      ['Day 1: share → event → copy → confirmation', async () => sourceRun(sim, day(0))],
      ['Day 2: the next share; the source prunes the older snapshot, which every target confirmed', async () => sourceRun(sim, day(1))],
      ['Day 3: the event is lost on the way; the targets\' catch-up scan copies the snapshot anyway', async () => {
        sim.buses.faults = { drop: (event) => event['detail-type'] === EVENT_DETAIL_TYPE.shared };
        await sourceRun(sim, day(2));
        sim.buses.faults = {};
        for (const account of TARGET_ACCOUNTS) {
          const scan = await sim.fireSchedule(account, new Date(day(2).getTime() + 3 * HOUR));
          notes.push({ at: Date.now(), who: `target ${account}`, text: `catch-up scan: ${scan.result?.started?.length ?? 0} copy started${scan.error ? `, ${scan.error}` : ''}` });
        }
        await sim.runUntilIdle();
      }],
    ];
    let since = 0;
    for (const [title, run] of days) {
      await run();
      print();
      print(title);
      for (const line of timeline(sim, notes).filter((l) => l.at >= since)) print(`  ${clock(line.at)}  ${line.who.padEnd(19)} ${line.text}`);
      since = Date.now() + 1;
    }

    print();
    print('Final state');
    const shared = sim.account(SOURCE_ACCOUNT).rds.snapshotsOf(CLUSTER).filter((s) => s.TagList?.some((t) => t.Key === TAG_ROLE && t.Value === 'shared'));
    print(`  source ${SOURCE_ACCOUNT}: ${shared.length} shared snapshot${shared.length === 1 ? '' : 's'}: ${shared.map((s) => s.DBClusterSnapshotIdentifier).join(', ')}`);
    for (const account of TARGET_ACCOUNTS) {
      const copies = sim.account(account).rds.snapshotsOf(CLUSTER).filter((s) => s.TagList?.some((t) => t.Key === TARGET_TAG_OWNER));
      print(`  target ${account}: ${copies.length} cop${copies.length === 1 ? 'y' : 'ies'} under its own key, ${copies.filter((c) => c.Status === 'available').length} available`);
    }
  } finally {
    sim.dispose();
  }
}

/** The source's scheduled run at `time`, and everything it sets off: events, copies, confirmations. */
async function sourceRun(sim: HandoffSimulation, time: Date): Promise<void> {
  await sim.fireSchedule(SOURCE_ACCOUNT, time);
  await sim.runUntilIdle();
}

/** What every account did, in time order: shares, events, copies, prunes. */
function timeline(sim: HandoffSimulation, notes: Line[]): Line[] {
  const lines: Line[] = [];
  const src = sim.account(SOURCE_ACCOUNT);
  for (const e of src.executions) {
    if (e.status === 'SUCCEEDED') lines.push({ at: e.stoppedAt!, who: 'source', text: `shared ${e.output.snapshotIdentifier} with ${e.output.sharedWith.join(', ')}` });
    else lines.push({ at: e.stoppedAt!, who: 'source', text: `run ${e.status}: ${e.error}` });
  }
  for (const life of src.rds.lifecycles.values()) {
    const role = life.tags.find((t) => t.Key === TAG_ROLE)?.Value;
    if (role === 'shared' && life.deletedAt !== undefined) lines.push({ at: life.deletedAt, who: 'source', text: `pruned ${life.id}` });
  }
  for (const r of sim.buses.records) {
    const outcome = r.outcome === 'delivered' ? (r.rules.length ? 'delivered' : 'delivered, no rule') : r.outcome.toUpperCase();
    lines.push({ at: r.at, who: 'events', text: `${r.event['detail-type']} ${r.from} → ${r.to}: ${outcome}` });
  }
  for (const account of TARGET_ACCOUNTS) {
    const target = sim.account(account);
    for (const e of target.executions) {
      const copy = e.output?.copyIdentifier ?? '';
      lines.push({ at: e.startedAt, who: `target ${account}`, text: `copying ${e.input.snapshotArn.split(':').pop()}` });
      lines.push({
        at: e.stoppedAt!,
        who: `target ${account}`,
        text: e.status === 'SUCCEEDED' ? `copied (own key): ${copy}` : `copy ${e.status}: ${e.error}`,
      });
    }
  }
  // Stable sort: a note (a scan) comes before what it started at the same moment.
  return [...notes, ...lines].sort((a, b) => a.at - b.at);
}
