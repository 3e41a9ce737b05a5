import {
  CopyDBClusterSnapshotCommand, DBClusterSnapshot, DeleteDBClusterSnapshotCommand, DescribeAccountAttributesCommand,
  DescribeDBClusterSnapshotsCommand, RDSClient,
} from '@aws-sdk/client-rds';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { StateMachine } from 'aws-local-stepfunctions';
import { mockClient } from 'aws-sdk-client-mock';
import { awsError, COPY_ID, handlerEnv, SHARED_ARN, SOURCE, sharedSnapshot, TARGET } from './helpers';
import { ReceivedClusterSnapshots } from '../../src';
import { handler as checkCopy } from '../../src/receiving/handlers/check-copy.lambda';
import { handler as copySnapshot } from '../../src/receiving/handlers/copy-shared-snapshot.lambda';
import { handler as retainCopies } from '../../src/receiving/handlers/retain-copies.lambda';

// The synthesized copy workflow, run locally (aws-local-stepfunctions) with the real handlers against
// a minimal RDS double: a copy is 'copying' for two status checks, then 'available'.

const rdsMock = mockClient(RDSClient);
const stack = new Stack(new App(), 'Workflow', { env: { account: TARGET, region: 'eu-west-1' } });
const receiver = new ReceivedClusterSnapshots(stack, 'Received', { sourceAccountIds: [SOURCE], confirmCopies: true });
const [machine] = Object.values(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine')) as any[];
const DEFINITION = JSON.parse((machine.Properties.DefinitionString['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'TOKEN')).join(''));

let copies: DBClusterSnapshot[];
let checks: number;
let putEntries: unknown[];
/** PublishReceived's entries (this account's bus). */
let receivedEntries: unknown[];
/** How many copy requests RDS refuses with SnapshotQuotaExceeded before accepting one. */
let refusals: number;

function arrangeRds(): void {
  copies = [];
  checks = 0;
  refusals = 0;
  rdsMock.on(DescribeDBClusterSnapshotsCommand).callsFake((input) => {
    if (input.DBClusterSnapshotIdentifier === SHARED_ARN) return { DBClusterSnapshots: [sharedSnapshot()] };
    if (input.DBClusterSnapshotIdentifier) {
      const copy = copies.find((c) => c.DBClusterSnapshotIdentifier === input.DBClusterSnapshotIdentifier);
      if (!copy) throw awsError('DBClusterSnapshotNotFoundFault');
      if (copy.Status === 'copying' && ++checks > 2) Object.assign(copy, { Status: 'available' });
      return { DBClusterSnapshots: [copy] };
    }
    return { DBClusterSnapshots: copies };
  });
  rdsMock.on(CopyDBClusterSnapshotCommand).callsFake((input) => {
    if (refusals-- > 0) throw awsError('SnapshotQuotaExceededFault');
    const id = input.TargetDBClusterSnapshotIdentifier;
    copies.push({ DBClusterSnapshotIdentifier: id, DBClusterSnapshotArn: `arn:aws:rds:eu-west-1:${TARGET}:cluster-snapshot:${id}`, Status: 'copying', TagList: input.Tags });
    return {};
  });
  rdsMock.on(DeleteDBClusterSnapshotCommand).resolves({});
}

/** `putEvents` answers as the PutEvents API does (SDK model PutEventsResponse). */
async function run(putEvents: (input: any) => unknown = () => ({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] })) {
  const env = handlerEnv({ OWNER_ID: receiver.ownerId, CONFIRM_COPIES: 'true', RETAIN_COPIES: '7' });
  const original = process.env;
  process.env = { ...original, ...env };
  const states: string[] = [];
  try {
    const local = new StateMachine(DEFINITION, { validationOptions: { checkArn: false } });
    const execution = local.run({ sourceAccount: SOURCE, snapshotArn: SHARED_ARN }, {
      overrides: {
        taskResourceLocalHandlers: {
          CopySharedSnapshot: (input) => copySnapshot(input as any) as any,
          CheckCopy: (input) => checkCopy(input as any) as any,
          RetainCopies: (input) => retainCopies(input as any) as any,
          PublishReceived: (input) => { receivedEntries.push(input); return { FailedEntryCount: 0, Entries: [{ EventId: 'r-1' }] } as any; },
          ConfirmCopy: (input) => { putEntries.push(input); return putEvents(input) as any; },
        },
        waitTimeOverrides: { WaitForCopy: 0 },
        retryIntervalOverrides: { CopySharedSnapshot: 0, CheckCopy: 0, ConfirmCopy: 0 },
      },
    });
    const logger = (async () => {
      for await (const event of execution.eventLogs) if (event.type === 'StateEntered') states.push(event.state.name);
    })();
    const output = await execution.result.then((result) => ({ status: 'SUCCEEDED', result }), (error: any) => ({ status: 'FAILED', error: error?.cause?.name ?? error?.name, cause: error?.cause?.cause }));
    await logger;
    return { ...output, states };
  } finally {
    process.env = original;
  }
}

describe('the copy workflow, run locally', () => {
  beforeEach(() => {
    rdsMock.reset();
    arrangeRds();
    putEntries = [];
    receivedEntries = [];
  });

  test('copy, wait, status checks until available, retention, confirmation: one copy, one PutEvents', async () => {
    const { status, result, states } = await run() as any;
    expect(status).toBe('SUCCEEDED');
    expect(states).toEqual(['CopySharedSnapshot', 'WaitForCopy', 'CheckCopy', 'RetainCopies', 'PublishReceived', 'ConfirmationRequired', 'ConfirmCopy', 'ConfirmationDelivered', 'Copied']);
    // The copy is announced on this account's own bus (no EventBusName: the default bus), for a RefreshedDatabase's runOnNewCopy.
    expect(receivedEntries).toEqual([{
      Entries: [{
        Source: 'cdk-shared-cluster-snapshots',
        DetailType: 'Cluster Snapshot Received',
        Detail: {
          clusterIdentifier: 'orders-db',
          sourceAccount: SOURCE,
          sourceSnapshotArn: SHARED_ARN,
          sourceSnapshotTime: expect.any(String),
          copyArn: `arn:aws:rds:eu-west-1:${TARGET}:cluster-snapshot:${COPY_ID}`,
          copyIdentifier: COPY_ID,
          copyPrefix: receiver.copyPrefix,
          ownerId: receiver.ownerId,
        },
      }],
    }]);
    expect(rdsMock.commandCalls(CopyDBClusterSnapshotCommand)).toHaveLength(1);
    expect(result).toMatchObject({ copyIdentifier: COPY_ID, copyArn: `arn:aws:rds:eu-west-1:${TARGET}:cluster-snapshot:${COPY_ID}`, deletedCopies: [] });
    expect(putEntries).toEqual([{
      Entries: [{
        EventBusName: `arn:aws:events:eu-west-1:${SOURCE}:event-bus/default`,
        Source: 'cdk-shared-cluster-snapshots',
        DetailType: 'Cluster Snapshot Copied',
        Detail: expect.stringContaining(`"copyArn":"arn:aws:rds:eu-west-1:${TARGET}:cluster-snapshot:${COPY_ID}"`),
      }],
    }]);
  });

  test('the copy limit is waited out with retries; then the copy proceeds', async () => {
    refusals = 2;
    rdsMock.on(DescribeAccountAttributesCommand).resolves({ AccountQuotas: [{ AccountQuotaName: 'ManualClusterSnapshots', Used: 3, Max: 100 }] });
    const { status } = await run();
    expect(status).toBe('SUCCEEDED');
    expect(rdsMock.commandCalls(CopyDBClusterSnapshotCommand)).toHaveLength(3);
  });

  test('the source key\'s policy lacking this account fails the execution with KmsKeyNotAccessible', async () => {
    rdsMock.on(CopyDBClusterSnapshotCommand).rejects(awsError('KMSKeyNotAccessibleFault'));
    const { status, error, states } = await run() as any;
    expect({ status, error }).toEqual({ status: 'FAILED', error: 'KmsKeyNotAccessible' });
    expect(states).toEqual(['CopySharedSnapshot', 'Failed']);
  });

  test('a confirmation PutEvents does not accept fails with ConfirmationFailed, the copy kept', async () => {
    const { status, error } = await run(() => ({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'AccessDeniedException', ErrorMessage: 'not allowed' }] })) as any;
    expect({ status, error }).toEqual({ status: 'FAILED', error: 'ConfirmationFailed' });
    expect(copies.map((c) => c.Status)).toEqual(['available']);
  });
});
