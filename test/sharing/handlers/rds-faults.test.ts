import { awsError } from './helpers';
import { translatedFaults, translateRdsFault, SnapshotCall } from '../../../src/shared/rds-faults.lambda-shared';

const CALL: SnapshotCall = {
  clusterIdentifier: 'orders-db',
  snapshotIdentifier: 'shared-orders-db-202611270300',
  sourceSnapshotIdentifier: 'shared-orders-db-202611270300-tmp',
  kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k',
  accounts: ['222222222222'],
};

describe('one table translates the RDS faults of create, copy and share', () => {
  test('the faults each operation translates', () => {
    expect(translatedFaults('create').sort()).toEqual([
      'DBClusterNotFoundFault', 'DBClusterSnapshotAlreadyExistsFault', 'DBInstanceNotFoundFault', 'DBSnapshotAlreadyExistsFault',
      'InvalidDBClusterStateFault', 'InvalidDBInstanceStateFault', 'SnapshotQuotaExceededFault',
    ]);
    expect(translatedFaults('copy').sort()).toEqual([
      'DBClusterSnapshotAlreadyExistsFault', 'DBClusterSnapshotNotFoundFault', 'DBSnapshotAlreadyExistsFault', 'DBSnapshotNotFoundFault',
      'InvalidDBClusterSnapshotStateFault', 'InvalidDBSnapshotStateFault',
      'InvalidParameterCombination', 'InvalidParameterValue', 'KMSKeyNotAccessibleFault', 'SnapshotQuotaExceededFault',
    ]);
    expect(translatedFaults('share').sort()).toEqual([
      'DBClusterSnapshotNotFoundFault', 'DBSnapshotNotFoundFault', 'InvalidDBClusterSnapshotStateFault', 'InvalidDBSnapshotStateFault',
      'SharedSnapshotQuotaExceededFault',
    ]);
  });

  test.each(['Throttling', 'AccessDenied', 'toString', 'constructor', '__proto__'])('%s passes through unchanged', async (name) => {
    const error = awsError(name);
    await expect(translateRdsFault('copy', error, CALL)).rejects.toBe(error);
  });

  test('a non-Error rejection passes through unchanged', async () => {
    await expect(translateRdsFault('create', 'Throttling', CALL)).rejects.toBe('Throttling');
  });

  test('an existing target that is this run\'s own settles the call; any other is the check\'s error', async () => {
    await expect(translateRdsFault('create', awsError('DBClusterSnapshotAlreadyExistsFault'), { ...CALL, alreadyExists: async () => {} })).resolves.toBeUndefined();
    const conflict = Object.assign(new Error('not ours'), { name: 'SnapshotIdentifierConflict' });
    await expect(translateRdsFault('copy', awsError('DBClusterSnapshotAlreadyExistsFault'), { ...CALL, alreadyExists: () => Promise.reject(conflict) })).rejects.toBe(conflict);
  });

  test('the copy limit and the manual-snapshot quota are told apart by the quota', async () => {
    const fault = awsError('SnapshotQuotaExceededFault');
    await expect(translateRdsFault('copy', fault, { ...CALL, manualQuotaHasRoom: async () => true })).rejects.toMatchObject({ name: 'CopyLimitReached' });
    await expect(translateRdsFault('copy', fault, { ...CALL, manualQuotaHasRoom: async () => false })).rejects.toMatchObject({ name: 'SnapshotQuotaExceeded' });
    await expect(translateRdsFault('copy', fault, { ...CALL, manualQuotaHasRoom: async () => undefined })).rejects.toMatchObject({ name: 'SnapshotQuotaExceeded' });
    // A create is not a copy: its quota fault is always the quota.
    await expect(translateRdsFault('create', fault, { ...CALL, manualQuotaHasRoom: async () => true })).rejects.toMatchObject({ name: 'SnapshotQuotaExceeded' });
  });

  test('the share quota message names the accounts and the limit', async () => {
    await expect(translateRdsFault('share', awsError('SharedSnapshotQuotaExceededFault'), CALL))
      .rejects.toThrow("Snapshot 'shared-orders-db-202611270300' cannot be shared with 1 more accounts: at most 20 are allowed");
  });
});
