import {
  CopyDBClusterSnapshotCommand,
  CreateDBClusterSnapshotCommand,
  DeleteDBClusterSnapshotCommand,
  DescribeDBClusterSnapshotsCommand,
  ModifyDBClusterSnapshotAttributeCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { REGION } from './aws-env';
import { callContext, FakeRds } from './fake-rds';
import { Execution, FakeStepFunctions } from './step-functions';
import { VirtualClock } from './virtual-clock';

/**
 * The original pattern, as teams write it per database: per phase a fixed 60-second Wait, a status
 * Task and a Choice that loops back unless the status is `available`; five Lambda tasks (create,
 * which first deletes the previous final snapshot; status; copy; status; share); no failure branch.
 * It runs in the same simulator and timing model as the construct, for the benchmark.
 */
export const BASELINE_DEFINITION: { StartAt: string; States: Record<string, Record<string, unknown>> } = {
  StartAt: 'CreateSnapshot',
  States: {
    CreateSnapshot: { Type: 'Task', Resource: lambdaArn('create'), Next: 'WaitForSnapshot' },
    ...pollUntilAvailable('WaitForSnapshot', 'SnapshotStatus', 'SnapshotAvailable', 'CopySnapshot'),
    CopySnapshot: { Type: 'Task', Resource: lambdaArn('copy'), Next: 'WaitForCopy' },
    ...pollUntilAvailable('WaitForCopy', 'CopyStatus', 'CopyAvailable', 'ShareSnapshot'),
    ShareSnapshot: { Type: 'Task', Resource: lambdaArn('share'), Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
};

/** One phase's loop: a fixed 60-second Wait, the status Task, and a Choice back to the Wait until `available`. */
function pollUntilAvailable(wait: string, status: string, choice: string, next: string): Record<string, Record<string, unknown>> {
  return {
    [wait]: { Type: 'Wait', Seconds: 60, Next: status },
    [status]: { Type: 'Task', Resource: lambdaArn('status'), Next: choice },
    [choice]: {
      Type: 'Choice',
      Choices: [{ Variable: '$.status', StringEquals: 'available', Next: next }],
      Default: wait,
    },
  };
}

interface BaselineState {
  cluster: string;
  run: string;
  snapshot?: string;
  status?: string;
}

// The cron job's client, in the simulated Region (the in-memory RDS routes calls by the client's Region).
const rdsClient = new RDSClient({ region: REGION });

/** The baseline's handlers: the usual cron-job code, one snapshot name per cluster for the final copy. */
const HANDLERS: Record<string, (state: BaselineState, sharingKeyArn: string, targets: string[]) => Promise<BaselineState>> = {
  async create(state) {
    const final = `${state.cluster}-shared`;
    try {
      await rdsClient.send(new DeleteDBClusterSnapshotCommand({ DBClusterSnapshotIdentifier: final }));
    } catch (error) {
      if ((error as Error).name !== 'DBClusterSnapshotNotFoundFault') throw error;
    }
    const snapshot = `${state.cluster}-tmp-${state.run}`;
    await rdsClient.send(new CreateDBClusterSnapshotCommand({ DBClusterIdentifier: state.cluster, DBClusterSnapshotIdentifier: snapshot }));
    return { ...state, snapshot };
  },
  async status(state) {
    const out = await rdsClient.send(new DescribeDBClusterSnapshotsCommand({ DBClusterSnapshotIdentifier: state.snapshot }));
    return { ...state, status: out.DBClusterSnapshots?.[0]?.Status };
  },
  async copy(state, sharingKeyArn) {
    const target = `${state.cluster}-shared`;
    await rdsClient.send(new CopyDBClusterSnapshotCommand({
      SourceDBClusterSnapshotIdentifier: state.snapshot, TargetDBClusterSnapshotIdentifier: target, KmsKeyId: sharingKeyArn,
    }));
    return { ...state, snapshot: target, status: undefined };
  },
  async share(state, _key, targets) {
    await rdsClient.send(new ModifyDBClusterSnapshotAttributeCommand({
      DBClusterSnapshotIdentifier: state.snapshot, AttributeName: 'restore', ValuesToAdd: targets,
    }));
    return state;
  },
};

/** Runs the baseline state machine against a FakeRds on the shared virtual clock. */
export class BaselineSimulation {
  public readonly sfn: FakeStepFunctions;

  constructor(
    public readonly rds: FakeRds,
    public readonly clock: VirtualClock,
    sharingKeyArn: string,
    targets: string[],
    lambdaDurationMs = 0,
  ) {
    this.sfn = new FakeStepFunctions(BASELINE_DEFINITION, 'arn:aws:states:eu-west-1:111111111111:stateMachine:Baseline', async (input, execution, stateName) => {
      execution.invocations[stateName] = (execution.invocations[stateName] ?? 0) + 1;
      if (lambdaDurationMs > 0) await new Promise((resolve) => setTimeout(resolve, lambdaDurationMs));
      const kind = String(BASELINE_DEFINITION.States[stateName].Resource).split(':').pop()!;
      return callContext.run({ caller: execution.name }, () => HANDLERS[kind](input as BaselineState, sharingKeyArn, targets));
    });
  }

  public start(cluster: string, run: string): Execution {
    return this.sfn.start({ cluster, run }, `baseline-${cluster}-${run}`);
  }

  /** Runs until every execution ends or `capMs` of virtual time has passed; the rest are aborted. */
  public async runUntilIdle(capMs: number): Promise<void> {
    const deadline = this.clock.now() + capMs;
    await this.clock.runUntil(() => this.sfn.running === 0 || this.clock.now() >= deadline);
    for (const execution of this.sfn.executions) {
      if (execution.status === 'RUNNING') execution.abort();
    }
    await this.clock.runUntil(() => this.sfn.running === 0);
    await Promise.all(this.sfn.executions.map((e) => e.done));
  }

  public restore(): void {
    this.sfn.restore();
  }
}

function lambdaArn(name: string): string {
  return `arn:aws:lambda:eu-west-1:111111111111:function:${name}`;
}
