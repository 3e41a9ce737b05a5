/**
 * CloudWatch metric alarms of a template, evaluated over the metric values the simulated handlers
 * published (sim/log-capture.ts), as CloudWatch evaluates them (CloudWatch User Guide, "Using
 * Amazon CloudWatch alarms", "Configuring how CloudWatch alarms treat missing data"): at a time T,
 * the last EvaluationPeriods periods before T each get the statistic of their data points (of the
 * metric with exactly the alarm's dimensions); a period without data is breaching, not breaching
 * or skipped (`ignore`/`missing`) per TreatMissingData; ALARM when at least DatapointsToAlarm of
 * them breach. Single-metric alarms with a Statistic are read, and metric-math alarms whose
 * expression is a sum of their metrics (`a + b + c`: CloudWatch User Guide, "Using metric math"),
 * each period's value being the sum of each metric's statistic (a metric without data adds 0, as
 * CloudWatch's math treats missing values in a sum); no other math, no percentiles.
 */
import type { MetricValue } from './log-capture';

/** One metric of a metric-math alarm. */
export interface AlarmTerm {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  readonly statistic: string;
}

export interface TemplateAlarm {
  readonly logicalId: string;
  /** For a metric-math alarm: the metrics its expression sums (namespace, name, dimensions and statistic then come from them). */
  readonly terms?: AlarmTerm[];
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  readonly statistic: string;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparison: string;
  readonly treatMissingData: string;
}

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export function readAlarms(template: { Resources: Record<string, any> }, resolve: (v: unknown) => unknown): TemplateAlarm[] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm' && (r.Properties?.MetricName || r.Properties?.Metrics)).map(([logicalId, r]) => {
    const p = resolve(r.Properties) as Record<string, any>;
    if (p.Metrics) return mathAlarm(logicalId, p);
    return {
      logicalId,
      namespace: p.Namespace,
      metricName: p.MetricName,
      dimensions: Object.fromEntries((p.Dimensions ?? []).map((d: { Name: string; Value: string }) => [d.Name, String(d.Value)])),
      statistic: p.Statistic ?? 'Average',
      periodSeconds: Number(p.Period),
      evaluationPeriods: Number(p.EvaluationPeriods),
      datapointsToAlarm: Number(p.DatapointsToAlarm ?? p.EvaluationPeriods),
      threshold: Number(p.Threshold),
      comparison: p.ComparisonOperator,
      treatMissingData: p.TreatMissingData ?? 'missing',
    };
  });
}

const dimensionsOf = (list: Array<{ Name: string; Value: string }> | undefined) =>
  Object.fromEntries((list ?? []).map((d) => [d.Name, String(d.Value)]));

/** A metric-math alarm whose one returned expression adds up its metrics' ids. */
function mathAlarm(logicalId: string, p: Record<string, any>): TemplateAlarm {
  const queries = p.Metrics as Array<{ Id: string; Expression?: string; ReturnData?: boolean; MetricStat?: any }>;
  const expression = queries.find((q) => q.Expression !== undefined && q.ReturnData !== false)!;
  const ids = expression.Expression!.split('+').map((id) => id.trim());
  if (ids.some((id) => !/^[a-zA-Z]\w*$/.test(id))) throw new Error(`The simulator evaluates only sums of metrics, got '${expression.Expression}'`);
  const terms = ids.map((id) => {
    const stat = queries.find((q) => q.Id === id)!.MetricStat;
    const metric = stat.Metric;
    return { namespace: metric.Namespace, metricName: metric.MetricName, dimensions: dimensionsOf(metric.Dimensions), statistic: stat.Stat };
  });
  const period = Number(queries.find((q) => q.MetricStat)!.MetricStat.Period);
  return {
    logicalId,
    terms,
    namespace: '',
    metricName: expression.Expression!,
    dimensions: {},
    statistic: 'Sum',
    periodSeconds: period,
    evaluationPeriods: Number(p.EvaluationPeriods),
    datapointsToAlarm: Number(p.DatapointsToAlarm ?? p.EvaluationPeriods),
    threshold: Number(p.Threshold),
    comparison: p.ComparisonOperator,
    treatMissingData: p.TreatMissingData ?? 'missing',
  };
}

/** The alarm's state at `at`, from `metrics`. */
export function evaluateAlarm(alarm: TemplateAlarm, metrics: readonly MetricValue[], at: number): AlarmState {
  if (alarm.terms) return evaluateSum(alarm, alarm.terms, metrics, at);
  const periodMs = alarm.periodSeconds * 1000;
  const series = metrics.filter((m) => m.namespace === alarm.namespace && m.name === alarm.metricName
    && sameDimensions(m.dimensions, alarm.dimensions));
  const end = Math.floor(at / periodMs) * periodMs;
  const verdicts: boolean[] = [];
  for (let k = alarm.evaluationPeriods; k >= 1; k--) {
    const from = end - k * periodMs;
    const values = series.filter((m) => m.at >= from && m.at < from + periodMs).map((m) => m.value);
    if (values.length === 0) {
      if (alarm.treatMissingData === 'breaching') verdicts.push(true);
      else if (alarm.treatMissingData === 'notBreaching') verdicts.push(false);
      continue;
    }
    verdicts.push(breaches(alarm, statistic(alarm.statistic, values)));
  }
  if (verdicts.length === 0) return 'INSUFFICIENT_DATA';
  return verdicts.filter(Boolean).length >= alarm.datapointsToAlarm ? 'ALARM' : 'OK';
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

/** A sum alarm: each period's value is the sum of its terms' statistics; a period where no term has data is missing. */
function evaluateSum(alarm: TemplateAlarm, terms: AlarmTerm[], metrics: readonly MetricValue[], at: number): AlarmState {
  const periodMs = alarm.periodSeconds * 1000;
  const end = Math.floor(at / periodMs) * periodMs;
  const verdicts: boolean[] = [];
  for (let k = alarm.evaluationPeriods; k >= 1; k--) {
    const from = end - k * periodMs;
    const sums = terms.map((term) => metrics.filter((m) => m.namespace === term.namespace && m.name === term.metricName
      && sameDimensions(m.dimensions, term.dimensions) && m.at >= from && m.at < from + periodMs).map((m) => m.value))
      .map((values, i) => (values.length === 0 ? undefined : statistic(terms[i].statistic, values)));
    if (sums.every((v) => v === undefined)) {
      if (alarm.treatMissingData === 'breaching') verdicts.push(true);
      else if (alarm.treatMissingData === 'notBreaching') verdicts.push(false);
      continue;
    }
    verdicts.push(breaches(alarm, sums.reduce<number>((a, v) => a + (v ?? 0), 0)));
  }
  if (verdicts.length === 0) return 'INSUFFICIENT_DATA';
  return verdicts.filter(Boolean).length >= alarm.datapointsToAlarm ? 'ALARM' : 'OK';
}
