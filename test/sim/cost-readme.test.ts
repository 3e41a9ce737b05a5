/**
 * The README's cost figures are the cost model's: its table, its trial cost and its per-run figures
 * are what sim/cost-model.ts makes of the measured inputs BENCHMARKS.md records (written by
 * `npx projen bench`), and the prices its prose quotes are sim/cost-prices.ts's. BENCHMARKS.md's
 * inputs describe the templates the constructs synthesize today: when a construct adds an alarm or a
 * key, this fails until the bench runs again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COST_FLEETS } from '../../sim/cost-fleets';
import { deployedResources, dollars } from '../../sim/cost-model';
import {
  AURORA_BACKUP_PER_GB_MONTH, CLOUDWATCH_PER_ALARM_METRIC_MONTH, CLOUDWATCH_PER_DASHBOARD_MONTH, CLOUDWATCH_PER_METRIC_MONTH, KMS_PER_KEY_MONTH,
  PRICES_TAKEN,
} from '../../sim/cost-prices';
import {
  COST_BLOCKS, COST_TABLE_CLUSTERS, COST_TABLE_DATABASE_GB, parseInputs, parsePerRun, readBlock, renderCostTable, renderPerRunLines, renderTrialCost,
} from '../../sim/cost-table';
import { synthesizeReceiverTemplate } from '../../sim/example-receiver';
import { synthesizeTemplate } from '../../sim/example-stack';
import { SOURCE_ACCOUNT, TARGET_ACCOUNT } from '../../sim/handoff';
import { DEFAULTS, TARGET_DEFAULTS } from '../../src/shared/constants';

const ROOT = path.resolve(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const benchmarks = fs.readFileSync(path.join(ROOT, 'BENCHMARKS.md'), 'utf8');
const recorded = parseInputs(benchmarks);
const costSection = readme.slice(readme.indexOf('\n## Cost\n'), readme.indexOf('\n## Trying it in your own account\n'));

describe('the README\'s cost figures are the cost model\'s, from BENCHMARKS.md\'s measured inputs', () => {
  test('BENCHMARKS.md holds the inputs of every fleet size of the table, for the source and a target', () => {
    expect(recorded.map((r) => `${r.clusters}: ${r.account}`)).toEqual(COST_TABLE_CLUSTERS.flatMap((n) => [`${n}: source`, `${n}: target`]));
  });

  test('the table', () => {
    expect(readBlock(readme, COST_BLOCKS.table)).toEqual(renderCostTable(recorded));
  });

  test('the cost of trying it', () => {
    expect(readBlock(readme, COST_BLOCKS.trial)).toEqual(renderTrialCost(recorded));
  });

  test('the figures per run, against the hand-written loop', () => {
    expect(readBlock(readme, COST_BLOCKS.perRun)).toEqual(renderPerRunLines(parsePerRun(benchmarks)));
  });

  test('the prices and defaults the prose quotes', () => {
    for (const quoted of [
      `list prices of ${PRICES_TAKEN}`,
      `At $${AURORA_BACKUP_PER_GB_MONTH} per GB-month, every full copy of ${COST_TABLE_DATABASE_GB} GB costs ${dollars(AURORA_BACKUP_PER_GB_MONTH * COST_TABLE_DATABASE_GB)} a month`,
      `the KMS key ($${KMS_PER_KEY_MONTH} a month`,
      `(${dollars(CLOUDWATCH_PER_ALARM_METRIC_MONTH)} a month per metric they read)`,
      `(${dollars(CLOUDWATCH_PER_METRIC_MONTH)} a month each`,
      `\`dashboard: true\` adds $${CLOUDWATCH_PER_DASHBOARD_MONTH} a month`,
      `\`retainSnapshots\` (default ${DEFAULTS.retainSnapshots})`,
      `\`retainCopies\` (default ${TARGET_DEFAULTS.retainCopies})`,
      `and holds\n${COST_TABLE_DATABASE_GB} GB`,
    ]) {
      expect({ quoted, found: costSection.includes(quoted) }).toEqual({ quoted, found: true });
    }
  });
});

describe('BENCHMARKS.md\'s inputs describe the templates of today', () => {
  test.each(COST_FLEETS.map((f) => [f.clusters, f] as const))('%i clusters: what each account deploys (run `npx projen bench` when this changes)', (clusters, fleet) => {
    const ids = Array.from({ length: clusters }, (_, i) => `db-${String(i).padStart(4, '0')}`);
    const source = synthesizeTemplate({ clusterIdentifiers: ids, targetAccountIds: [TARGET_ACCOUNT], ...fleet.source });
    const target = synthesizeReceiverTemplate(TARGET_ACCOUNT, { sourceAccountIds: [SOURCE_ACCOUNT], ...fleet.receiver });
    const deployed = (account: string) => recorded.find((r) => r.clusters === clusters && r.account === account)!.deployed;
    expect({ source: deployed('source'), target: deployed('target') }).toEqual({ source: deployedResources(source), target: deployedResources(target) });
  });
});
