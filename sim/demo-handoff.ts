/**
 * The second part of `npx projen demo`: both sides of the handoff in one simulation. The source
 * account shares, its `Cluster Snapshot Shared` event reaches the target accounts, they copy under
 * their own keys and confirm, and the source prunes; then an event is lost and the target's
 * catch-up scan recovers it. One target keeps replicas in a DR Region (`replicaRegions`). Prints one
 * timeline of what each account did, what each Region holds at the end, and a month's cost.
 */
import type { DBClusterSnapshot } from '@aws-sdk/client-rds';
import * as kms from 'aws-cdk-lib/aws-kms';
import { kmsKeyArn, REGION } from './aws-env';
import { deployedResources, dollars, monthlyCost } from './cost-model';
import { HOURS_PER_MONTH, KMS_PER_KEY_MONTH, PRICES_TAKEN } from './cost-prices';
import { measureUsage } from './cost-usage';
import { synthesizeReceiverTemplate } from './example-receiver';
import { synthesizeTemplate, TARGET_ACCOUNTS } from './example-stack';
import { HandoffSimulation, SOURCE_ACCOUNT } from './handoff';
import { EVENT_DETAIL_TYPE, TAG_ROLE, TARGET_DEFAULTS, TARGET_TAG_OWNER } from '../src/shared/constants';

const CLUSTER = 'orders-db';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** The source's run on the first demo day: 03:00 in Berlin. */
const FIRST_RUN = Date.parse('2026-11-27T02:00:00Z');
const day = (n: number) => new Date(FIRST_RUN + n * 24 * HOUR);
/** The simulator's time per Lambda invocation. */
const LAMBDA_MS = 200;
/** The snapshot size the monthly cost assumes, in GB. */
const DATABASE_GB = 100;
/** The target that keeps replicas in a DR Region, that Region, and its key there (created beforehand, given by ARN). */
const DR_ACCOUNT = TARGET_ACCOUNTS[0];
const DR_REGION = 'us-east-1';
const DR_KEY = kmsKeyArn('orders-dr', DR_ACCOUNT, DR_REGION);

interface Line {
  readonly at: number;
  readonly who: string;
  readonly text: string;
}

export async function handoffDemo(print: (line?: string) => void, clock: (ms: number) => string): Promise<void> {
  // Confirmations need the source's retainUntilCopied (its bus policy and rule): without it they would be refused.
  const source = synthesizeTemplate({ clusterIdentifiers: [CLUSTER], notifyTargetAccounts: true, retainUntilCopied: true });
  const receiver = (account: string) => synthesizeReceiverTemplate(account, (stack) => ({
    sourceAccountIds: [SOURCE_ACCOUNT],
    confirmCopies: true,
    retainCopies: 7,
    ...(account === DR_ACCOUNT ? { replicaRegions: [{ region: DR_REGION, encryptionKey: kms.Key.fromKeyArn(stack, 'DrKey', DR_KEY) }] } : {}),
  }));
  const templates = new Map([[SOURCE_ACCOUNT, source], ...TARGET_ACCOUNTS.map((account) => [account, receiver(account)] as const)]);
  const sim = new HandoffSimulation({
    start: new Date(FIRST_RUN - MINUTE),
    lambdaDurationMs: LAMBDA_MS,
    accounts: [...templates].map(([account, template]) => ({ account, templates: [template] })),
  });
  try {
    sim.account(SOURCE_ACCOUNT).rds.addCluster({ identifier: CLUSTER, snapshotMs: 9 * MINUTE, copyMs: 14 * MINUTE });
    for (const account of TARGET_ACCOUNTS) sim.account(account).rds.setFaults({ sharedCopyMs: 11 * MINUTE });

    print('The handoff: SharedClusterSnapshots in the source account, ReceivedClusterSnapshots in each target, simulated together');
    print(`Source ${SOURCE_ACCOUNT} (${CLUSTER}, notifyTargetAccounts, retainUntilCopied) → targets ${TARGET_ACCOUNTS.join(', ')}`
      + ' (confirmCopies, catch-up scan every 6 hours)');
    print(`All in ${REGION}; ${DR_ACCOUNT} also keeps a replica of each copy in its DR Region ${DR_REGION} (replicaRegions), under its key there`);

    const notes: Line[] = [];
    const days: [string, () => Promise<void>][] = [
      ['Day 1: share → event → copy → confirmation → replica in the DR Region', async () => aDay(sim, day(0), notes)],
      ['Day 2: the next share; the source prunes the older snapshot, which every target confirmed', async () => aDay(sim, day(1), notes)],
      ['Day 3: the event is lost on the way; the targets\' catch-up scan copies the snapshot anyway', async () => {
        sim.buses.faults = { drop: (event) => event['detail-type'] === EVENT_DETAIL_TYPE.shared };
        await aDay(sim, day(2), notes);
        sim.buses.faults = {};
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
      const copies = ownCopies(sim, account, CLUSTER);
      print(`  target ${account}: ${held(copies, 'cop', 'its own key')}`);
      for (const region of sim.account(account).rds.regions().slice(1)) {
        print(`    in ${region} (DR Region): ${held(ownCopies(sim, account, CLUSTER, region), 'replica', 'its key there')}`);
      }
    }

    // Day 2 is an ordinary day: a month is 30.4 of them.
    const window = { from: day(1).getTime(), to: day(2).getTime() };
    print();
    print(`A month of days like day 2, per account (sim/cost-model.ts: list prices of ${PRICES_TAKEN}, us-east-1, no free tier; ${DATABASE_GB} GB a cluster)`);
    let sourceFixed = '';
    const drCost: string[] = [];
    print(`  ${'account'.padEnd(20)} ${'fixed'.padStart(7)} ${'runs'.padStart(7)} ${'storage'.padStart(8)} ${'total'.padStart(7)}  full copies of each cluster kept`);
    for (const [account, template] of templates) {
      const usage = measureUsage(sim.account(account), sim.logs, window, {
        lambdaMs: LAMBDA_MS,
        eventTimes: sim.buses.records.filter((r) => r.from === account && r.outcome !== 'refused').map((r) => r.at),
      });
      const cost = monthlyCost(deployedResources(template), usage, { clusters: 1, databaseGb: DATABASE_GB });
      const who = `${account === SOURCE_ACCOUNT ? 'source' : 'target'} ${account}`;
      print(`  ${who.padEnd(20)} ${dollars(cost.fixed).padStart(7)} ${dollars(cost.runs).padStart(7)} ${dollars(cost.storage).padStart(8)} ${dollars(cost.total).padStart(7)}  ${cost.copiesPerCluster.toFixed(2)}`
        + cost.replicas.map((r) => ` + ${r.copiesPerCluster.toFixed(2)} in ${r.region}`).join(''));
      for (const r of cost.replicas) {
        drCost.push(`  ${account}'s DR Region ${r.region}: its key, ${dollars(KMS_PER_KEY_MONTH)} (in fixed), and ${r.copiesPerCluster.toFixed(2)} full copies`
          + ` of ${DATABASE_GB} GB, ${dollars(r.storage)} (in storage); the data transfer out of ${REGION} of each replica is not counted.`);
      }
      if (account === SOURCE_ACCOUNT) sourceFixed = cost.lines.filter((l) => l.kind === 'fixed').map((l) => `${l.item} ${dollars(l.monthly)}`).join(', ');
    }
    print(`  The source's fixed costs: ${sourceFixed}.`);
    for (const line of drCost) print(line);
    print(`  Runs: ${(HOURS_PER_MONTH / 24).toFixed(1)} a month. Storage: every copy re-encrypted with the sharing key, every copy a target receives,`
      + ' and every replica, is a full copy.');
  } finally {
    sim.dispose();
  }
}

/**
 * One day from `start` (the source's scheduled run), hour by hour as the schedules run it: the source's
 * run and hourly freshness function, each target's catch-up scan every 6 hours (noted when it starts a copy).
 */
async function aDay(sim: HandoffSimulation, start: Date, notes: Line[]): Promise<void> {
  const scanEvery = TARGET_DEFAULTS.scanIntervalHours;
  await sim.fireSchedule(SOURCE_ACCOUNT, start);
  for (let hour = 0; hour < 24; hour++) {
    const at = start.getTime() + hour * HOUR;
    if (hour % scanEvery === scanEvery / 2) {
      for (const account of TARGET_ACCOUNTS) {
        const scan = await sim.fireSchedule(account, new Date(at));
        const started = scan.result?.started?.length ?? 0;
        if (started > 0 || scan.error) notes.push({ at, who: `target ${account}`, text: `catch-up scan: ${started} copy started${scan.error ? `, ${scan.error}` : ''}` });
      }
    }
    await sim.account(SOURCE_ACCOUNT).runRateSchedules(new Date(at + HOUR - 1));
  }
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
    const region = r.event.detail?.region ? ` (${r.event.detail.region})` : '';
    lines.push({ at: r.at, who: 'events', text: `${r.event['detail-type']}${region} ${r.from} → ${r.to}: ${outcome}` });
  }
  for (const account of TARGET_ACCOUNTS) {
    const target = sim.account(account);
    lines.push(...replicaTimeline(sim, account));
    for (const e of target.executions.filter((x) => !x.input.region)) {
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

/** The replicas of `account`'s copies, as RDS saw them in each other Region (copy started, available), and failed replica executions. */
function replicaTimeline(sim: HandoffSimulation, account: string): Line[] {
  const target = sim.account(account);
  const who = `target ${account}`;
  const lines: Line[] = [];
  for (const region of target.rds.regions().slice(1)) {
    for (const life of target.rds.inRegion(region).lifecycles.values()) {
      lines.push({ at: life.createdAt, who, text: `replicating the copy into ${region}, under its key there` });
      if (life.availableAt !== undefined) lines.push({ at: life.availableAt, who, text: `replica available in ${region}` });
    }
  }
  for (const e of target.executions.filter((x) => x.input.region && x.status !== 'SUCCEEDED')) {
    lines.push({ at: e.stoppedAt!, who, text: `replica into ${e.input.region} ${e.status}: ${e.error}` });
  }
  return lines;
}

/** `account`'s own copies of `cluster` in `region` (the home Region by default): the copies, or in another Region the replicas. */
function ownCopies(sim: HandoffSimulation, account: string, cluster: string, region = REGION): DBClusterSnapshot[] {
  return sim.account(account).rds.inRegion(region).snapshotsOf(cluster).filter((s) => s.TagList?.some((t) => t.Key === TARGET_TAG_OWNER));
}

/** "3 copies under its own key, 3 available". */
function held(snapshots: DBClusterSnapshot[], noun: 'cop' | 'replica', key: string): string {
  const count = noun === 'cop' ? `${snapshots.length} cop${snapshots.length === 1 ? 'y' : 'ies'}` : `${snapshots.length} replica${snapshots.length === 1 ? '' : 's'}`;
  return `${count} under ${key}, ${snapshots.filter((s) => s.Status === 'available').length} available`;
}
