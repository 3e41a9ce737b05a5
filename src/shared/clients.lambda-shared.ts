import { RDSClient } from '@aws-sdk/client-rds';
import { SFNClient } from '@aws-sdk/client-sfn';
import { countRdsCall } from './metrics.lambda-shared';

/**
 * Counts every `send` for the invocation's metric line. An override of `send` rather than an SDK
 * middleware: the handler tests and the simulator replace `RDSClient.prototype.send`
 * (aws-sdk-client-mock), which a middleware would never see, while `super.send` still reaches it.
 */
class CountingRDSClient extends RDSClient {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  public override send(...args: any[]): any {
    countRdsCall();
    return Reflect.apply(super.send, this, args);
  }
}

// One client per container, reused across invocations. The SDK's standard retry mode already
// backs off on throttling; the state machine retries what outlasts it.
export const rds: RDSClient = new CountingRDSClient({});
export const sfn = new SFNClient({});

const regionalRds = new Map<string, RDSClient>();

/**
 * An RDS client of `region`, one per Region and container. A cross-Region copy is called in the
 * destination Region (aws-facts.md, "Regions"); the SDK presigns the request itself when the source
 * ARN names another Region (`@aws-sdk/middleware-sdk-rds`).
 */
export function rdsIn(region: string): RDSClient {
  let client = regionalRds.get(region);
  if (!client) {
    client = new CountingRDSClient({ region });
    regionalRds.set(region, client);
  }
  return client;
}
