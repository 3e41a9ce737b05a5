import {
  expectShared, FIRST_RUN, MINUTE, role, runDay, runId, scheduledRun, sharedSnapshots, simulation, snapshotIdOf, TARGET_ACCOUNTS, temporarySnapshots,
} from './harness';
import type { SimulationOptions } from '../../sim/simulation';
import { Simulation } from '../../sim/simulation';
import type { Execution } from '../../sim/step-functions';

const ORDERS = 'orders-db';
/** The orders cluster's snapshots by run and role, read from the fake's tags ('' before they exist). */
const day0Shared = (sim: Simulation) => snapshotIdOf(sim, ORDERS, runId(0), 'shared') ?? '';
const day0Temporary = (sim: Simulation) => snapshotIdOf(sim, ORDERS, runId(0), 'temporary') ?? '';
const day1Shared = (sim: Simulation) => snapshotIdOf(sim, ORDERS, runId(1), 'shared') ?? '';
const day1Temporary = (sim: Simulation) => snapshotIdOf(sim, ORDERS, runId(1), 'temporary') ?? '';
const day2Shared = (sim: Simulation) => snapshotIdOf(sim, ORDERS, runId(2), 'shared') ?? '';

/** Asserts the end state every fault must leave: for each cluster only shared-role snapshots, each shared with every target. */
function expectOnlySharedSnapshots(sim: Simulation, clusters: string[], atMost = 1): void {
  for (const cluster of clusters) {
    const all = sim.rds.snapshotsOf(cluster);
    expect(all.map((s) => [s.DBClusterSnapshotIdentifier, role(s)]).filter(([, r]) => r !== 'shared')).toEqual([]);
    expect(all.length).toBeGreaterThanOrEqual(1);
    expect(all.length).toBeLessThanOrEqual(atMost);
    for (const s of all) {
      expect(s.Status).toBe('available');
      expect(sim.rds.restoreAccounts(s.DBClusterSnapshotIdentifier!).sort()).toEqual([...TARGET_ACCOUNTS].sort());
    }
  }
}

/** Every RDS call an execution made (its handlers' calls are tagged with the execution name). */
function callsOf(sim: Simulation, execution: Execution) {
  return sim.rds.calls.filter((c) => c.caller === execution.name);
}

/** One cluster, a first successful day, and the simulation ready for day 1. */
async function afterFirstDay(options: Omit<SimulationOptions, 'template'> = {}): Promise<Simulation> {
  const sim = simulation({ clusterIdentifiers: [ORDERS] }, options);
  sim.rds.addCluster({ identifier: ORDERS });
  await scheduledRun(sim, runDay(0));
  expect(sim.executions[0].status).toBe('SUCCEEDED');
  expectShared(sim, ORDERS);
  return sim;
}

describe('faults', () => {
  let sim: Simulation;
  afterEach(() => sim?.dispose());

  const FLEET = Array.from({ length: 10 }, (_, i) => `fleet-db-${i}`);
  const THROTTLE_WINDOW = { from: FIRST_RUN.getTime(), to: FIRST_RUN.getTime() + 30 * MINUTE };
  function throttledFleet(): Simulation {
    const s = simulation({ clusterIdentifiers: FLEET }, {
      seed: 7, // the starter's first two attempts are throttled
      rdsFaults: { throttleRate: 0.5, throttleWindow: THROTTLE_WINDOW },
    });
    FLEET.forEach((identifier) => s.rds.addCluster({ identifier }));
    return s;
  }

  // Fails today (reported): a Check state's retrier for transient errors (6 attempts) spans its
  // whole poll loop, so a 10-minute snapshot polled every minute under 50% throttling exhausts it.
  test('every RDS API throttled half the time for 30 minutes: every execution succeeds', async () => {
    sim = throttledFleet();
    await scheduledRun(sim, FIRST_RUN);

    const throttled = sim.rds.calls.filter((c) => c.error === 'Throttling');
    expect(throttled.length).toBeGreaterThan(20);
    expect(throttled.every((c) => c.at < THROTTLE_WINDOW.to)).toBe(true);
    // The starter's listing and quota calls ride out the throttling (SDK retries, then its own backoff).
    expect(sim.starterRuns.at(-1)!.error).toBeUndefined();
    expect(sim.executions.some((e) => e.events.some((ev) => ev.type === 'StateRetried' && ev.state === 'Prepare'))).toBe(true);
    expect(sim.executions.map((e) => [e.input.clusterIdentifier, e.status, e.error])).toEqual(FLEET.map((c) => [c, 'SUCCEEDED', undefined]));
    expectOnlySharedSnapshots(sim, FLEET);
  });

  test('every RDS API throttled half the time for 30 minutes: whatever a run leaves behind, the next clean run removes', async () => {
    sim = throttledFleet();
    await scheduledRun(sim, runDay(0));
    await scheduledRun(sim, runDay(1));

    expect(sim.executions.slice(FLEET.length).map((e) => e.status)).toEqual(FLEET.map(() => 'SUCCEEDED'));
    expectOnlySharedSnapshots(sim, FLEET, 1);
    for (const cluster of FLEET) expect(sharedSnapshots(sim, cluster).map((s) => s.DBClusterSnapshotIdentifier)).toEqual([snapshotIdOf(sim, cluster, runId(1), 'shared')]);
  });

  test('transient RDS 5xx on a fifth of all calls: every execution succeeds', async () => {
    const clusters = ['a-db', 'b-db', 'c-db', 'd-db', 'e-db'];
    sim = simulation({ clusterIdentifiers: clusters }, { seed: 5, rdsFaults: { serverErrorRate: 0.2 } });
    clusters.forEach((identifier) => sim.rds.addCluster({ identifier }));
    await scheduledRun(sim, FIRST_RUN);

    expect(sim.rds.calls.filter((c) => c.error === 'InternalFailure').length).toBeGreaterThan(10);
    expect(sim.executions.map((e) => e.status)).toEqual(clusters.map(() => 'SUCCEEDED'));
    expectOnlySharedSnapshots(sim, clusters);
  });

  describe.each(['Lambda.ServiceException', 'Lambda.TooManyRequestsException'] as const)('%s on the first attempt of every Task', (lambdaError) => {
    // Snapshot and copy take 3 minutes: with the fault on every first attempt, each status check
    // costs one Lambda error, and a Check state's retrier allows 6 over its whole poll loop (the
    // retrier budget issue reported with the throttling test).
    test('every execution succeeds, with more transitions and invocations than a clean run', async () => {
      const clean = simulation({ clusterIdentifiers: [ORDERS] });
      let baseline: Execution;
      try {
        clean.rds.addCluster({ identifier: ORDERS, snapshotMs: 3 * MINUTE, copyMs: 3 * MINUTE });
        await scheduledRun(clean, FIRST_RUN);
        baseline = clean.executions[0];
        expect(baseline.status).toBe('SUCCEEDED');
      } finally {
        clean.dispose();
      }

      sim = simulation({ clusterIdentifiers: [ORDERS] }, { lambdaFaults: { firstAttemptError: lambdaError } });
      sim.rds.addCluster({ identifier: ORDERS, snapshotMs: 3 * MINUTE, copyMs: 3 * MINUTE });
      await scheduledRun(sim, FIRST_RUN);
      const [execution] = sim.executions;

      expect(execution.status).toBe('SUCCEEDED');
      const retried = execution.events.filter((e) => e.type === 'StateFailed' && e.error === lambdaError).map((e) => e.state);
      // Each Task state failed at least once with the Lambda error and was retried.
      expect(new Set(retried)).toEqual(new Set(['Prepare', 'CreateSnapshot', 'CheckSnapshot', 'CopySnapshot', 'CheckCopy', 'ShareSnapshot', 'CleanUp']));
      expect(execution.stateTransitions).toBeGreaterThanOrEqual(baseline.stateTransitions + 7);
      expect(execution.handlerInvocations).toBeGreaterThanOrEqual(baseline.handlerInvocations + 7);
      expectShared(sim, ORDERS);
    });
  });

  test('SharedSnapshotQuotaExceeded: the run fails, leaves nothing of its own, and the previous shared snapshot stays shared', async () => {
    sim = await afterFirstDay();
    sim.rds.setFaults({ sharedAccountsQuota: 1 }); // two targets, one allowed
    await scheduledRun(sim, runDay(1));

    const failed = sim.executions[1];
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toBe('SharedSnapshotQuotaExceeded');
    expect(callsOf(sim, failed).filter((c) => c.api === 'DeleteDBClusterSnapshot' && !c.error).map((c) => c.snapshot).sort())
      .toEqual([day1Shared(sim), day1Temporary(sim)].sort());
    expect(sim.rds.snapshot(day1Shared(sim))).toBeUndefined();
    expect(sim.rds.snapshot(day1Temporary(sim))).toBeUndefined();
    expect(expectShared(sim, ORDERS).map((s) => s.DBClusterSnapshotIdentifier)).toEqual([day0Shared(sim)]);
    expect(sim.rds.unsharedWindowMs(ORDERS, sim.rds.lifecycles.get(day0Shared(sim))!.sharedAt!, Date.now())).toBe(0);
  });

  test('the sharing key is not accessible to RDS: the run fails with KmsKeyNotAccessible, removes its temporary snapshot, keeps the previous shared one', async () => {
    sim = await afterFirstDay();
    sim.rds.setFaults({ inaccessibleKeys: [sim.sharingKeyArn] });
    await scheduledRun(sim, runDay(1));

    const failed = sim.executions[1];
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toBe('KmsKeyNotAccessible');
    expect(sim.rds.lifecycles.get(day1Temporary(sim))?.deletedAt).toBeDefined();
    expect(snapshotIdOf(sim, ORDERS, runId(1), 'shared')).toBeUndefined(); // the copy never started
    expect(temporarySnapshots(sim, ORDERS)).toEqual([]);
    expect(expectShared(sim, ORDERS).map((s) => s.DBClusterSnapshotIdentifier)).toEqual([day0Shared(sim)]);
    expect(sim.rds.unsharedWindowMs(ORDERS, sim.rds.lifecycles.get(day0Shared(sim))!.sharedAt!, Date.now())).toBe(0);

    // Once the key is usable again, the next run succeeds.
    sim.rds.setFaults({});
    await scheduledRun(sim, runDay(2));
    expect(sim.executions[2].status).toBe('SUCCEEDED');
    expect(expectShared(sim, ORDERS).map((s) => s.DBClusterSnapshotIdentifier)).toEqual([day2Shared(sim)]);
  });

  /**
   * Crash recovery: the execution is aborted while in each state in turn. Task states are aborted
   * after their handler has returned but before Step Functions has its result (`lambdaReturnMs`),
   * so every side effect of the state has happened and none was recorded; Wait states mid-wait.
   */
  const STATES = ['Prepare', 'CreateSnapshot', 'WaitForSnapshot', 'CheckSnapshot', 'CopySnapshot', 'WaitForCopy', 'CheckCopy', 'ShareSnapshot', 'CleanUp'];
  /** What the aborted run has done by the time it is aborted in each state. */
  const DONE_WHEN_ABORTED: Record<string, (sim: Simulation) => void> = {
    Prepare: (s) => expect([...s.rds.lifecycles.keys()].sort()).toEqual([day0Shared(s), day0Temporary(s)].sort()),
    CreateSnapshot: (s) => expect(s.rds.snapshot(day1Temporary(s))?.Status).toBe('creating'),
    WaitForSnapshot: (s) => expect(s.rds.snapshot(day1Temporary(s))?.Status).toBe('creating'),
    CheckSnapshot: (s) => expect(s.rds.snapshot(day1Temporary(s))?.Status).toBe('creating'),
    CopySnapshot: (s) => expect(s.rds.snapshot(day1Shared(s))?.Status).toBe('copying'),
    WaitForCopy: (s) => expect(s.rds.snapshot(day1Shared(s))?.Status).toBe('copying'),
    CheckCopy: (s) => expect(s.rds.snapshot(day1Shared(s))?.Status).toBe('copying'),
    ShareSnapshot: (s) => expect(s.rds.restoreAccounts(day1Shared(s))).toEqual(TARGET_ACCOUNTS),
    CleanUp: (s) => {
      expect(s.rds.snapshot(day0Shared(s))).toBeUndefined();
      expect(s.rds.snapshot(day1Temporary(s))).toBeUndefined();
    },
  };
  test.each(STATES)('an execution aborted in %s leaks nothing, never leaves the cluster unshared, and the next run succeeds', async (state) => {
    sim = await afterFirstDay({ lambdaReturnMs: 1000 });
    const firstShared = sim.rds.lifecycles.get(day0Shared(sim))!.sharedAt!;

    const run = await sim.fireSchedule(runDay(1));
    expect(run.error).toBeUndefined();
    const aborted = sim.executions[1];
    await sim.clock.runUntil(() => currentState(aborted) === state || aborted.status !== 'RUNNING');
    expect(currentState(aborted)).toBe(state);
    const type = sim.template.definition.States[state].Type;
    if (type === 'Task') {
      await sim.advance(500); // the handler has returned; Step Functions has not seen its result
      expect(aborted.invocations[state]).toBeGreaterThanOrEqual(1);
    } else {
      await sim.advance(20_000); // mid-wait
    }
    expect(currentState(aborted)).toBe(state);
    DONE_WHEN_ABORTED[state](sim);
    aborted.abort();
    await sim.runUntilIdle();
    expect(aborted.status).toBe('ABORTED');

    await scheduledRun(sim, runDay(2));
    const next = sim.executions[2];
    expect(next.status).toBe('SUCCEEDED');
    expectOnlySharedSnapshots(sim, [ORDERS], 1);
    expect(sharedSnapshots(sim, ORDERS).map((s) => s.DBClusterSnapshotIdentifier)).toEqual([day2Shared(sim)]);
    expect(sim.rds.unsharedWindowMs(ORDERS, firstShared, Date.now())).toBe(0);
    // No snapshot of the aborted run is left anywhere.
    expect(sim.rds.snapshot(day1Temporary(sim))).toBeUndefined();
    expect(sim.rds.snapshot(day1Shared(sim))).toBeUndefined();
  });

  test('a hostile execution input naming an earlier run\'s snapshot fails with InvalidInput and deletes nothing', async () => {
    sim = await afterFirstDay();
    const callsBefore = sim.rds.calls.length;
    const hostile = sim.startExecution({
      clusterIdentifier: ORDERS,
      sharedSnapshotIdentifier: day0Shared(sim),
      copyRequired: false,
      runId: '202611270300',
    });
    await sim.runUntilIdle();

    expect(hostile.status).toBe('FAILED');
    expect(hostile.error).toBe('InvalidInput');
    expect(callsOf(sim, hostile)).toEqual([]); // refused before any RDS call
    expect(sim.rds.calls.slice(callsBefore)).toEqual([]);
    // The clean-up sees the input only nested under executionInput (PrepareFailed): it reports the
    // failure and touches nothing.
    expect(hostile.invocations.CleanUpFailedRun).toBe(1);
    expect(sim.putEvents.filter((e) => e.execution === hostile.name).map((e) => [e.state, (e.entry.Detail as { error: string }).error]))
      .toEqual([['PublishSnapshotFailed', 'InvalidInput']]);
    expect(expectShared(sim, ORDERS).map((s) => s.DBClusterSnapshotIdentifier)).toEqual([day0Shared(sim)]);
  });
});

/** The state an execution is in: the last one entered, unless it has exited it. */
function currentState(execution: Execution): string | undefined {
  let current: string | undefined;
  for (const event of execution.events) {
    if (event.type === 'StateEntered') current = event.state;
    else if (event.type === 'StateExited') current = undefined;
  }
  return current;
}
