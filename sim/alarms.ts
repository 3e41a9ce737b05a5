/**
 * CloudWatch metric alarms of a template, evaluated over the metric values the simulated handlers
 * published (sim/log-capture.ts), as CloudWatch evaluates them (CloudWatch User Guide, "Using
 * Amazon CloudWatch alarms", "Configuring how CloudWatch alarms treat missing data"): at a time T,
 * the last EvaluationPeriods periods before T each get the statistic of their data points (of the
 * metric with exactly the alarm's dimensions); a period without data is breaching, not breaching
 * or skipped (`ignore`/`missing`) per TreatMissingData; ALARM when at least DatapointsToAlarm of
 * them breach. Single-metric alarms with a Statistic are read, and metric-math alarms whose
 * expression is a sum of their metrics (no percentiles, no other functions).
 *
 * Metric math: each metric's statistic per period, then the expression at every period where any
 * of its metrics has data, with a missing value as 0 (CloudWatch User Guide, "Using metric math",
 * "Basic arithmetic functions": "Missing values in a time series are treated as 0"); a period where
 * none has data has no value, and TreatMissingData decides.
 */
import type { MetricValue } from './log-capture';

/** One metric of an alarm: the whole alarm's, or one of a math alarm's. */
export interface AlarmMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  readonly statistic: string;
}

export interface TemplateAlarm extends AlarmMetric {
  readonly logicalId: string;
  /** A math alarm's expression; the metrics it names are in `metrics`. The fields of `AlarmMetric` are then empty. */
  readonly expression?: string;
  readonly metrics?: Record<string, AlarmMetric>;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparison: string;
  readonly treatMissingData: string;
}

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export function readAlarms(template: { Resources: Record<string, any> }, resolve: (v: unknown) => unknown): TemplateAlarm[] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm' && (r.Properties?.MetricName || r.Properties?.Metrics))
    .map(([logicalId, r]) => {
      const p = resolve(r.Properties) as Record<string, any>;
      const evaluation = {
        logicalId,
        evaluationPeriods: Number(p.EvaluationPeriods),
        datapointsToAlarm: Number(p.DatapointsToAlarm ?? p.EvaluationPeriods),
        threshold: Number(p.Threshold),
        comparison: p.ComparisonOperator,
        treatMissingData: p.TreatMissingData ?? 'missing',
      };
      if (!p.Metrics) {
        return { ...evaluation, ...alarmMetric(p.Namespace, p.MetricName, p.Dimensions, p.Statistic ?? 'Average'), periodSeconds: Number(p.Period) };
      }
      const queries = p.Metrics as Array<Record<string, any>>;
      const expression = queries.find((q) => q.Expression && q.ReturnData !== false);
      const stats = queries.filter((q) => q.MetricStat);
      if (!expression) throw new Error(`Alarm ${logicalId}: the simulator evaluates math alarms with one returned expression`);
      const periods = new Set(stats.map((q) => Number(q.MetricStat.Period)));
      if (periods.size !== 1) throw new Error(`Alarm ${logicalId}: the simulator evaluates math alarms whose metrics share one period`);
      return {
        ...evaluation,
        ...alarmMetric('', '', [], ''),
        expression: String(expression.Expression),
        metrics: Object.fromEntries(stats.map((q) => {
          const { Metric: metric, Stat: stat } = q.MetricStat;
          return [q.Id, alarmMetric(metric.Namespace, metric.MetricName, metric.Dimensions, stat)];
        })),
        periodSeconds: [...periods][0],
      };
    });
}

type Dimensions = Array<{ Name: string; Value: string }> | undefined;

function alarmMetric(namespace: string, metricName: string, dimensions: Dimensions, stat: string): AlarmMetric {
  return { namespace, metricName, dimensions: Object.fromEntries((dimensions ?? []).map((d) => [d.Name, String(d.Value)])), statistic: stat };
}

/** The alarm's state at `at`, from `metrics`. */
export function evaluateAlarm(alarm: TemplateAlarm, metrics: readonly MetricValue[], at: number): AlarmState {
  const periodMs = alarm.periodSeconds * 1000;
  const end = Math.floor(at / periodMs) * periodMs;
  const valueIn = periodValue(alarm, metrics);
  const verdicts: boolean[] = [];
  for (let k = alarm.evaluationPeriods; k >= 1; k--) {
    const value = valueIn(end - k * periodMs, periodMs);
    if (value === undefined) {
      if (alarm.treatMissingData === 'breaching') verdicts.push(true);
      else if (alarm.treatMissingData === 'notBreaching') verdicts.push(false);
      continue;
    }
    verdicts.push(breaches(alarm, value));
  }
  if (verdicts.length === 0) return 'INSUFFICIENT_DATA';
  return verdicts.filter(Boolean).length >= alarm.datapointsToAlarm ? 'ALARM' : 'OK';
}

/** The alarm's value in the period starting at `from`; undefined without data. */
function periodValue(alarm: TemplateAlarm, metrics: readonly MetricValue[]): (from: number, periodMs: number) => number | undefined {
  const valuesOf = (metric: AlarmMetric) => {
    const series = metrics.filter((m) =>
      m.namespace === metric.namespace && m.name === metric.metricName && sameDimensions(m.dimensions, metric.dimensions));
    return (from: number, periodMs: number) => series.filter((m) => m.at >= from && m.at < from + periodMs).map((m) => m.value);
  };
  if (!alarm.expression) {
    const values = valuesOf(alarm);
    return (from, periodMs) => {
      const inPeriod = values(from, periodMs);
      return inPeriod.length === 0 ? undefined : statistic(alarm.statistic, inPeriod);
    };
  }
  const ids = sumOperands(alarm.expression);
  const terms = ids.map((id) => {
    const metric = alarm.metrics?.[id];
    if (!metric) throw new Error(`Alarm ${alarm.logicalId}: the expression names '${id}', which is not one of its metrics`);
    return { metric, values: valuesOf(metric) };
  });
  return (from, periodMs) => {
    const perMetric = terms.map(({ metric, values }) => {
      const inPeriod = values(from, periodMs);
      return inPeriod.length === 0 ? undefined : statistic(metric.statistic, inPeriod);
    });
    if (perMetric.every((v) => v === undefined)) return undefined;
    return perMetric.reduce<number>((sum, v) => sum + (v ?? 0), 0);
  };
}

/** The metric ids of an expression `a + b + ...`; the simulator evaluates no other math. */
function sumOperands(expression: string): string[] {
  const ids = expression.split('+').map((term) => term.trim());
  if (ids.some((id) => !/^[a-z][A-Za-z0-9_]*$/.test(id))) throw new Error(`The simulator evaluates only sums of metrics, got '${expression}'`);
  return ids;
}

/** Exactly the same dimensions: a metric with other or more dimensions is another metric. */
export function sameDimensions(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(b);
  return Object.keys(a).length === keys.length && keys.every((k) => a[k] === b[k]);
}

function statistic(name: string, values: number[]): number {
  switch (name) {
    case 'Maximum': return Math.max(...values);
    case 'Minimum': return Math.min(...values);
    case 'Sum': return values.reduce((a, b) => a + b, 0);
    case 'SampleCount': return values.length;
    case 'Average': return values.reduce((a, b) => a + b, 0) / values.length;
    default: throw new Error(`The simulator does not evaluate the statistic ${name}`);
  }
}

function breaches(alarm: TemplateAlarm, value: number): boolean {
  switch (alarm.comparison) {
    case 'GreaterThanThreshold': return value > alarm.threshold;
    case 'GreaterThanOrEqualToThreshold': return value >= alarm.threshold;
    case 'LessThanThreshold': return value < alarm.threshold;
    case 'LessThanOrEqualToThreshold': return value <= alarm.threshold;
    default: throw new Error(`The simulator does not evaluate the comparison ${alarm.comparison}`);
  }
}
