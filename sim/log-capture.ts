import { callContext } from './aws-env';

/** One line a handler wrote, as CloudWatch Logs would hold it. */
export interface LogLine {
  readonly at: number;
  readonly account: string;
  readonly functionId?: string;
  /** The line, unless the capture keeps sizes only (`keepText: false`). */
  readonly line: string;
  /** Its size in UTF-8 bytes. */
  readonly bytes: number;
  /**
   * How the handler wrote it: through the console (Lambda's Node.js runtime prefixes such a line with
   * its time, request id and level) or straight to stdout (the metric lines, written as they are).
   */
  readonly via: 'console' | 'stdout';
}

/**
 * One metric value from an embedded-metric-format line (CloudWatch User Guide, "Embedded metric
 * format specification"): CloudWatch Logs extracts each `_aws.CloudWatchMetrics[].Metrics[]` entry
 * with the dimensions the line names.
 */
export interface MetricValue {
  readonly at: number;
  readonly account: string;
  readonly namespace: string;
  readonly name: string;
  readonly value: number;
  readonly unit?: string;
  /** One dimension set of the line, with its values: each set is a metric of its own. */
  readonly dimensions: Record<string, string>;
}

/**
 * Captures what handlers write to the console or to stdout (inside an invocation: `callContext` is set), so the
 * simulated Lambda logs stay out of a demo's output and the metrics in them can be read. Outside an
 * invocation the console is untouched.
 */
export class LogCapture {
  public readonly lines: LogLine[] = [];
  public readonly metrics: MetricValue[] = [];
  private readonly original = { log: console.log, warn: console.warn, error: console.error, info: console.info };
  private readonly stdoutWrite = process.stdout.write;

  /** `keepText: false` keeps each line's size, not its text: a large fleet's lines would fill the memory. */
  constructor(private readonly options: { readonly keepText?: boolean } = {}) {
    for (const level of ['log', 'warn', 'error', 'info'] as const) {
      const real = this.original[level];
      console[level] = (...args: unknown[]) => {
        const store = callContext.getStore();
        if (!store) return real(...args);
        this.record(store.account ?? '', store.functionId, args.map(String).join(' '), 'console');
      };
    }
    // The metrics writer writes its embedded-metric-format lines straight to stdout.
    const write = this.stdoutWrite;
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: any[]) => {
      const store = callContext.getStore();
      if (!store) return (write as any).call(process.stdout, chunk, ...rest);
      for (const line of String(chunk).split('\n').filter((l) => l.length > 0)) this.record(store.account ?? '', store.functionId, line, 'stdout');
      return true;
    }) as typeof process.stdout.write;
  }

  public uninstall(): void {
    Object.assign(console, this.original);
    process.stdout.write = this.stdoutWrite;
  }

  private record(account: string, functionId: string | undefined, line: string, via: LogLine['via']): void {
    const at = Date.now();
    const keep = this.options.keepText ?? true;
    this.lines.push({ at, account, functionId, line: keep ? line : '', bytes: Buffer.byteLength(line, 'utf8'), via });
    if (!line.includes('"_aws"')) return;
    let record: any;
    try {
      record = JSON.parse(line);
    } catch {
      return;
    }
    for (const directive of record?._aws?.CloudWatchMetrics ?? []) {
      const sets: string[][] = directive.Dimensions?.length ? directive.Dimensions : [[]];
      for (const set of sets) {
        const dimensions = Object.fromEntries(set.map((k) => [k, String(record[k])]));
        for (const metric of directive.Metrics ?? []) {
          const value = record[metric.Name];
          if (typeof value === 'number') {
            const { Namespace: namespace } = directive;
            this.metrics.push({ at: record._aws.Timestamp ?? at, account, namespace, name: metric.Name, value, unit: metric.Unit, dimensions });
          }
        }
      }
    }
  }
}
