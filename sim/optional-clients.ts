/**
 * SDK clients the handlers do not use today but might: when `@aws-sdk/client-eventbridge` or
 * `@aws-sdk/client-cloudwatch` is installed, their PutEvents and PutMetricData are served by the
 * handoff simulation's buses and metric store, for the calling function's account. When a package
 * is absent, nothing is mocked (and no handler can be calling it).
 */
import { mockClient } from 'aws-sdk-client-mock';
import { ACCOUNT, callContext } from './aws-env';
import type { PutEventsEntry, PutEventsResult } from './event-buses';
import type { MetricValue } from './log-capture';

export interface OptionalClientTargets {
  readonly metrics: MetricValue[];
  putEvents(account: string, entries: PutEventsEntry[]): PutEventsResult;
}

/** Installs the mocks it can; returns a function that removes them. */
export function mockOptionalClients(targets: OptionalClientTargets): () => void {
  const restores: (() => void)[] = [];
  const caller = () => callContext.getStore()?.account ?? ACCOUNT;
  const eventBridge = optional('@aws-sdk/client-eventbridge');
  if (eventBridge) {
    const mock = mockClient(eventBridge.EventBridgeClient);
    mock.on(eventBridge.PutEventsCommand).callsFake(async (input: { Entries?: PutEventsEntry[] }) =>
      ({ $metadata: {}, ...targets.putEvents(caller(), input.Entries ?? []) }));
    restores.push(() => mock.restore());
  }
  const cloudWatch = optional('@aws-sdk/client-cloudwatch');
  if (cloudWatch) {
    const mock = mockClient(cloudWatch.CloudWatchClient);
    // PutMetricData (SDK model MetricDatum): one value per datum, its dimensions as given.
    mock.on(cloudWatch.PutMetricDataCommand).callsFake(async (input: { Namespace?: string; MetricData?: any[] }) => {
      for (const d of input.MetricData ?? []) {
        const dimensions = Object.fromEntries((d.Dimensions ?? []).map((x: { Name: string; Value: string }) => [x.Name, x.Value]));
        const at = d.Timestamp ? new Date(d.Timestamp).getTime() : Date.now();
        targets.metrics.push({ at, account: caller(), namespace: input.Namespace ?? '', name: d.MetricName, value: d.Value, unit: d.Unit, dimensions });
      }
      return { $metadata: {} };
    });
    restores.push(() => mock.restore());
  }
  return () => restores.forEach((restore) => restore());
}

function optional(name: string): any {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(name);
  } catch {
    return undefined;
  }
}
