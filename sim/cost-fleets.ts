/**
 * The fleets the cost model prices for the README's table and BENCHMARKS.md: each a day of
 * sim/cost-day.ts, the constructs on their defaults but where a fleet cannot run on them.
 */
import { Duration } from 'aws-cdk-lib';
import type { DaySetup } from './cost-day';

export const COST_FLEETS: readonly DaySetup[] = [
  { clusters: 1 },
  { clusters: 20 },
  // Its 200 copies, 5 at a time, take about 400 minutes: longer than the default snapshotTimeout of 6 hours.
  { clusters: 200, source: { snapshotTimeout: Duration.hours(8) } },
];
