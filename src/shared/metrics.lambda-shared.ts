import { AsyncLocalStorage } from 'node:async_hooks';
import { ENV, HANDLER_METRICS, HANDLER_NAMES, SILENT_LOGS_VARIABLE } from './constants';

/** What one invocation has counted so far. */
interface InvocationCounts {
  rdsCalls: number;
}

// Per invocation, not per module: the simulator runs several invocations of one handler at once.
const invocation = new AsyncLocalStorage<InvocationCounts>();

/** Counts one RDS API call for the invocation in progress (none outside `withRdsCallMetrics`). */
export function countRdsCall(): void {
  const counts = invocation.getStore();
  if (counts) counts.rdsCalls += 1;
}

/** The run and cluster an invocation worked for, as properties of its metric line (not dimensions). */
export interface MetricContext {
  readonly runId?: string;
  readonly clusterIdentifier?: string;
}

/**
 * One embedded-metric-format line (CloudWatch User Guide, "Specification: Embedded metric format"):
 * `RdsCalls` under the owner alone (what the dashboard sums per run) and per handler. `runId` and
 * `clusterIdentifier` are plain properties, so Logs Insights can sum per run without one metric
 * per run.
 */
export function rdsCallsMetricLine(handlerName: string, ownerId: string, rdsCalls: number, context: MetricContext, timestamp: number): string {
  return JSON.stringify({
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [{
        Namespace: HANDLER_METRICS.namespace,
        Dimensions: [[HANDLER_METRICS.ownerDimension], [HANDLER_METRICS.ownerDimension, HANDLER_METRICS.handlerDimension]],
        Metrics: [{ Name: HANDLER_METRICS.rdsCalls, Unit: 'Count' }],
      }],
    },
    [HANDLER_METRICS.ownerDimension]: ownerId,
    [HANDLER_METRICS.handlerDimension]: handlerName,
    [HANDLER_METRICS.rdsCalls]: rdsCalls,
    ...definedFields(context),
  });
}

/**
 * Wraps a handler so that every invocation, failed ones included, writes one metric line with the
 * RDS calls it made. Written straight to stdout with a newline, as Lambda's EMF guide asks, so the
 * line is a log event of its own in either Lambda log format.
 */
export function withRdsCallMetrics<A extends unknown[], R>(
  handler: keyof typeof HANDLER_NAMES,
  run: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args: A) => {
    const counts: InvocationCounts = { rdsCalls: 0 };
    let result: R | undefined;
    try {
      result = await invocation.run(counts, () => run(...args));
      return result;
    } finally {
      const ownerId = process.env[ENV.OWNER_ID];
      if (ownerId && process.env[SILENT_LOGS_VARIABLE] !== 'true') {
        const context = { ...contextOf(args[0]), ...contextOf(result) };
        process.stdout.write(rdsCallsMetricLine(HANDLER_NAMES[handler], ownerId, counts.rdsCalls, context, Date.now()) + '\n');
      }
    }
  };
}

/** `runId` and `clusterIdentifier` of an event or result, where it has them as strings. */
function contextOf(value: unknown): MetricContext {
  if (typeof value !== 'object' || value === null) return {};
  const { runId, clusterIdentifier } = value as Record<string, unknown>;
  return definedFields({
    runId: typeof runId === 'string' ? runId : undefined,
    clusterIdentifier: typeof clusterIdentifier === 'string' ? clusterIdentifier : undefined,
  });
}

function definedFields(context: MetricContext): MetricContext {
  return Object.fromEntries(Object.entries(context).filter(([, v]) => v !== undefined));
}
