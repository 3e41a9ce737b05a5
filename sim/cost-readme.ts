/**
 * Writes the README's cost figures (its table, the cost of trying it, the figures per run) from the
 * inputs and the per-run table BENCHMARKS.md records, through the cost model. The bench calls it after
 * measuring; run alone (`ts-node sim/cost-readme.ts`), it rewrites them from the committed
 * BENCHMARKS.md, as test/sim/cost-readme.test.ts recomputes them.
 */
import { readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { COST_BLOCKS, parseInputs, parsePerRun, renderCostTable, renderPerRunLines, renderTrialCost, replaceBlock } from './cost-table';

const ROOT = path.join(__dirname, '..');

/** The README's text with its cost blocks computed from `benchmarks` (BENCHMARKS.md's text). */
export function withCostFigures(readme: string, benchmarks: string): string {
  const recorded = parseInputs(benchmarks);
  let text = replaceBlock(readme, COST_BLOCKS.table, renderCostTable(recorded));
  text = replaceBlock(text, COST_BLOCKS.trial, renderTrialCost(recorded));
  return replaceBlock(text, COST_BLOCKS.perRun, renderPerRunLines(parsePerRun(benchmarks)));
}

export function writeReadmeCosts(benchmarks: string, readme = path.join(ROOT, 'README.md')): void {
  writeFileSync(readme, withCostFigures(readFileSync(readme, 'utf8'), benchmarks));
  console.log(`Wrote the cost figures of ${readme}.`);
}

if (require.main === module) {
  writeReadmeCosts(readFileSync(path.join(ROOT, 'BENCHMARKS.md'), 'utf8'));
}
