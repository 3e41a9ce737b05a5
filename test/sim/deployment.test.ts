/**
 * The simulator matches deployment: each handler sees only its own function's environment, code is
 * found by the function's `Handler` (not its Description), and several instances or stacks run
 * against one account's RDS.
 */
import { expectShared, FIRST_RUN, scheduledRun, TARGET_ACCOUNTS } from './harness';
import { synthesizeInstances, synthesizeTemplate } from '../../sim/example-stack';
import { handlerSourceOf } from '../../sim/handler-sources';
import { LambdaEnvironments } from '../../sim/lambda-environment';
import { Simulation } from '../../sim/simulation';

describe('simulated deployment', () => {
  let sim: Simulation | undefined;
  afterEach(() => {
    sim?.dispose();
    sim = undefined;
  });

  test('inside an invocation, only that function\'s variables are visible, even while invocations interleave', async () => {
    process.env.UNRELATED_VARIABLE = 'kept';
    const environments = new LambdaEnvironments(['ONLY_IN_A', 'ONLY_IN_B', 'SHARED']);
    try {
      const probe = async (wait: number) => {
        await new Promise((resolve) => setTimeout(resolve, wait));
        return { a: process.env.ONLY_IN_A, b: process.env.ONLY_IN_B, shared: process.env.SHARED, hasB: 'ONLY_IN_B' in process.env, keys: Object.keys(process.env), other: process.env.UNRELATED_VARIABLE };
      };
      const [a, b] = await Promise.all([
        environments.run({ ONLY_IN_A: '1', SHARED: 'a' }, () => probe(20)),
        environments.run({ ONLY_IN_B: '2', SHARED: 'b' }, () => probe(5)),
      ]);
      expect(a).toMatchObject({ a: '1', b: undefined, shared: 'a', hasB: false, other: 'kept' });
      expect(a.keys).not.toContain('ONLY_IN_B');
      expect(b).toMatchObject({ a: undefined, b: '2', shared: 'b' });
    } finally {
      environments.uninstall();
      delete process.env.UNRELATED_VARIABLE;
    }
  });

  test('every function of the construct maps to its handler source by its Handler', () => {
    const template = synthesizeTemplate({ clusterIdentifiers: ['orders-db'] });
    const handlers = Object.values(template.Resources).filter((r: any) => r.Type === 'AWS::Lambda::Function').map((r: any) => String(r.Properties.Handler));
    expect(handlers.map((handler) => [handler, handlerSourceOf(handler)]).sort()).toEqual([
      ['sharing.checkSnapshot', 'src/sharing/handlers/check-snapshot.lambda.ts'],
      ['sharing.cleanUp', 'src/sharing/handlers/clean-up.lambda.ts'],
      ['sharing.cleanUpFailedRun', 'src/sharing/handlers/clean-up-failed-run.lambda.ts'],
      ['sharing.copySnapshot', 'src/sharing/handlers/copy-snapshot.lambda.ts'],
      ['sharing.createSnapshot', 'src/sharing/handlers/create-snapshot.lambda.ts'],
      ['sharing.prepare', 'src/sharing/handlers/prepare.lambda.ts'],
      ['sharing.publishFreshness', 'src/sharing/handlers/publish-freshness.lambda.ts'],
      ['sharing.shareSnapshot', 'src/sharing/handlers/share-snapshot.lambda.ts'],
      ['sharing.startExecutions', 'src/sharing/handlers/start-executions.lambda.ts'],
    ]);
  });

  test('a Handler that names no handler of a side maps to no source', () => {
    expect([handlerSourceOf('index.handler'), handlerSourceOf('sharing.copySharedSnapshot'), handlerSourceOf('receiving.copySharedSnapshot')])
      .toEqual([undefined, undefined, 'src/receiving/handlers/copy-shared-snapshot.lambda.ts']);
  });

  test('handler code is found whatever the functions\' Description says', async () => {
    const template = synthesizeTemplate({ clusterIdentifiers: ['orders-db'] });
    const relabelled = JSON.parse(JSON.stringify(template));
    for (const r of Object.values(relabelled.Resources) as any[]) {
      if (r.Type === 'AWS::Lambda::Function') r.Properties.Description = 'Takes the daily snapshot (a human-readable description)';
    }
    sim = new Simulation({ template: relabelled });
    sim.rds.addCluster({ identifier: 'orders-db' });
    await scheduledRun(sim, FIRST_RUN);
    expect(sim.executions.map((e) => e.status)).toEqual(['SUCCEEDED']);
    expectShared(sim, 'orders-db');
  });

  test('two instances in one stack, on different clusters, each run their own executions on one RDS', async () => {
    const other = ['444444444444'];
    sim = new Simulation({ template: synthesizeInstances({ Orders: { clusterIdentifiers: ['orders-db'] }, Billing: { clusterIdentifiers: ['billing-db'], targetAccountIds: other } }) });
    sim.rds.addCluster({ identifier: 'orders-db' });
    sim.rds.addCluster({ identifier: 'billing-db' });
    await scheduledRun(sim, FIRST_RUN);
    const [orders, billing] = sim.instances;
    expect(orders.executions.map((e) => [e.input.clusterIdentifier, e.status])).toEqual([['orders-db', 'SUCCEEDED']]);
    expect(billing.executions.map((e) => [e.input.clusterIdentifier, e.status])).toEqual([['billing-db', 'SUCCEEDED']]);
    expect(orders.ownerId).not.toEqual(billing.ownerId);
    expect(orders.sharingKeyArn).not.toEqual(billing.sharingKeyArn);
    expectShared(sim, 'orders-db');
    const [shared] = sim.rds.snapshotsOf('billing-db');
    expect(sim.rds.restoreAccounts(shared.DBClusterSnapshotIdentifier!)).toEqual(other);
    expect(shared.KmsKeyId).toBe(billing.sharingKeyArn);
  });

  test('two stacks (two apps) share one account\'s RDS: each starts only its own state machine', async () => {
    sim = new Simulation({
      templates: [
        synthesizeTemplate({ clusterIdentifiers: ['orders-db'] }, 'TeamA'),
        synthesizeTemplate({ clusterIdentifiers: ['billing-db'] }, 'TeamB'),
      ],
    });
    sim.rds.addCluster({ identifier: 'orders-db' });
    sim.rds.addCluster({ identifier: 'billing-db' });
    await scheduledRun(sim, FIRST_RUN);
    expect(sim.instances.map((i) => i.executions.map((e) => [e.input.clusterIdentifier, e.status]))).toEqual([
      [['orders-db', 'SUCCEEDED']], [['billing-db', 'SUCCEEDED']],
    ]);
    expect(sim.starterRuns.map((r) => r.stateMachineArn)).toEqual(sim.instances.map((i) => i.stateMachineArn));
    expect(new Set(sim.rds.calls.filter((c) => c.error === 'AccessDenied'))).toEqual(new Set());
    for (const cluster of ['orders-db', 'billing-db']) expectShared(sim, cluster);
    expect(TARGET_ACCOUNTS).toHaveLength(2);
  });
});
