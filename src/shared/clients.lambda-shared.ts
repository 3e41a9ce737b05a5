import { AsyncLocalStorage } from 'node:async_hooks';
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

/** The RDS clients of other Regions, one per Region and container. */
const regionalClients = new Map<string, RDSClient>();

/**
 * The RDS client of `region`, or the function's own Region's without one. RDS is Regional: a call
 * about a snapshot in another Region goes to that Region's endpoint (a cross-Region copy too: it is
 * made in the destination Region, and the SDK presigns the source Region's part itself).
 */
export function rdsIn(region: string | undefined): RDSClient {
  if (region === undefined) return rds;
  let client = regionalClients.get(region);
  if (!client) {
    client = new CountingRDSClient({ region });
    regionalClients.set(region, client);
  }
  return client;
}

/** The Region the snapshot calls of the code running in it go to (`inRegion`), per invocation. */
const callRegion = new AsyncLocalStorage<string | undefined>();

/**
 * Runs `work` with every snapshot call (`snapshotApi`, and `rdsHere`) going to `region`: a step of
 * a run in another Region (`regions`) does in that Region what it does at home, and cannot reach
 * the home Region's snapshots by a call that forgot to name the Region. Undefined: the function's own.
 */
export function inRegion<T>(region: string | undefined, work: () => Promise<T>): Promise<T> {
  return callRegion.run(region, work);
}

/** `work` in `region` (`inRegion`), or as it is (in the Region around it) without one. */
export function withinRegion<T>(region: string | undefined, work: () => Promise<T>): Promise<T> {
  return region === undefined ? work() : inRegion(region, work);
}

/** The RDS client of the Region `inRegion` set, or the function's own. */
export function rdsHere(): RDSClient {
  return rdsIn(callRegion.getStore());
}
