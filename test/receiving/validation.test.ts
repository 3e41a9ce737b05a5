import { App, Duration, Stack, Token } from 'aws-cdk-lib';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { ReceivedClusterSnapshots, ReceivedClusterSnapshotsProps } from '../../src';

function build(props: Partial<ReceivedClusterSnapshotsProps>): () => void {
  return () => {
    const stack = new Stack(new App(), 'Target', { env: { account: '222222222222', region: 'eu-west-1' } });
    new ReceivedClusterSnapshots(stack, 'Received', { sourceAccountIds: ['111111111111'], ...props });
  };
}

describe('ReceivedClusterSnapshots props validation: each error names the prop, the value and the rule', () => {
  test.each<[string, Partial<ReceivedClusterSnapshotsProps>, RegExp]>([
    ['no source account', { sourceAccountIds: [] }, /sourceAccountIds must list 1 to 20 account ids, got 0/],
    ['21 source accounts', { sourceAccountIds: Array.from({ length: 21 }, (_, i) => String(100000000000 + i)) }, /sourceAccountIds must list 1 to 20 account ids, got 21/],
    ['a malformed account', { sourceAccountIds: ['12345'] }, /sourceAccountIds contains '12345', which is not a literal 12-digit AWS account id/],
    ['a token account', { sourceAccountIds: [Token.asString({ Ref: 'X' })] }, /which is not a literal 12-digit AWS account id/],
    ['a duplicate account', { sourceAccountIds: ['111111111111', '111111111111'] }, /sourceAccountIds contains '111111111111' twice/],
    ['this stack\'s account', { sourceAccountIds: ['222222222222'] }, /'222222222222', which is this stack's own account/],
    ['an uppercase source prefix', { sourceSnapshotPrefix: 'Shared' }, /sourceSnapshotPrefix must be 1-63 lowercase letters.*got 'Shared'/],
    ['a source prefix with --', { sourceSnapshotPrefix: 'shared--x' }, /sourceSnapshotPrefix must be .*no '--'.*got 'shared--x'/],
    ['an empty source prefix', { sourceSnapshotPrefix: '' }, /sourceSnapshotPrefix must be 1-63/],
    ['a bad cluster id', { clusterIdentifiers: ['orders--db'] }, /clusterIdentifiers contains 'orders--db', which is not a DB cluster identifier/],
    ['a duplicate cluster id', { clusterIdentifiers: ['orders-db', 'Orders-DB'] }, /clusterIdentifiers contains 'Orders-DB' twice/],
    ['41 clusters', { clusterIdentifiers: Array.from({ length: 41 }, (_, i) => `db-${i}`) }, /clusterIdentifiers and instanceIdentifiers list 41 databases together; at most 40/],
    ['a bad DB instance id', { instanceIdentifiers: ['ledger-pg-'] }, /instanceIdentifiers contains 'ledger-pg-', which is not a DB instance identifier: 1-63 letters, digits or hyphens.*no trailing hyphen/],
    ['a DB instance id of 64 characters', { instanceIdentifiers: [`a${'b'.repeat(63)}`] }, /instanceIdentifiers contains 'ab{63}', which is not a DB instance identifier: 1-63/],
    ['a duplicate DB instance id', { instanceIdentifiers: ['ledger-pg', 'LEDGER-PG'] }, /instanceIdentifiers contains 'LEDGER-PG' twice/],
    ['41 databases of both kinds', {
      clusterIdentifiers: Array.from({ length: 21 }, (_, i) => `db-${i}`), instanceIdentifiers: Array.from({ length: 20 }, (_, i) => `pg-${i}`),
    }, /clusterIdentifiers and instanceIdentifiers list 41 databases together; at most 40 fit the handlers' environment/],
    ['an optionGroupName with --', { optionGroupName: 'oracle--tz' }, /optionGroupName must be an option group name: 1-255 letters.*no '--'.*got 'oracle--tz'/],
    ['an optionGroupName starting with a digit', { optionGroupName: '1-oracle' }, /optionGroupName must be an option group name.*starting with a letter.*got '1-oracle'/],
    ['an optionGroupName with a trailing hyphen', { optionGroupName: 'oracle-tz-' }, /optionGroupName must be .*no trailing hyphen, got 'oracle-tz-'/],
    ['an optionGroupName of 256 characters', { optionGroupName: 'o'.repeat(256) }, /optionGroupName must be an option group name: 1-255/],
    ['retainCopies 0', { retainCopies: 0 }, /retainCopies must be a whole number from 1 to 100, got 0/],
    ['retainCopies 1.5', { retainCopies: 1.5 }, /retainCopies must be a whole number from 1 to 100, got 1.5/],
    ['retainCopies 101', { retainCopies: 101 }, /retainCopies must be a whole number from 1 to 100, got 101/],
    ['a copyPrefix with a trailing hyphen', { copyPrefix: 'received-' }, /copyPrefix must be 1-24 lowercase letters.*got 'received-'/],
    ['a copyPrefix of 25 characters', { copyPrefix: 'a'.repeat(25) }, /copyPrefix must be 1-24/],
    ['a one-time schedule', { schedule: ScheduleExpression.at(new Date('2027-01-01T00:00:00Z')) }, /schedule must be a rate or cron expression that repeats, got 'at\(2027-01-01T00:00:00\)'/],
    ['a weekly scan', { schedule: ScheduleExpression.rate(Duration.days(7)) }, /schedule must run the scan at least every 144 hours.*'rate\(7 days\)'/],
    ['maxCopyAge under an hour', { maxCopyAge: Duration.minutes(59) }, /maxCopyAge must be between 1 hour and 366 days, got 3540 seconds/],
    ['maxCopyAge in fractions of a second', { maxCopyAge: Duration.millis(3_600_500) }, /maxCopyAge must be a literal whole number of seconds/],
  ])('%s', (_name, props, message) => {
    expect(build(props)).toThrow(message);
  });

  test.each<[string, Partial<ReceivedClusterSnapshotsProps>]>([
    ['20 source accounts', { sourceAccountIds: Array.from({ length: 20 }, (_, i) => String(100000000000 + i)) }],
    ['a source prefix ending in a hyphen', { sourceSnapshotPrefix: 'shared-' }],
    ['a token cluster id', { clusterIdentifiers: [Token.asString({ Ref: 'X' })] }],
    ['a cluster and a DB instance of one identifier', { clusterIdentifiers: ['orders-db'], instanceIdentifiers: ['orders-db'] }],
    ['40 databases of both kinds, a token option group', {
      clusterIdentifiers: Array.from({ length: 20 }, (_, i) => `db-${i}`),
      instanceIdentifiers: Array.from({ length: 20 }, (_, i) => `pg-${i}`),
      optionGroupName: Token.asString({ Ref: 'OptionGroup' }),
    }],
    ['an optionGroupName of 255 characters', { optionGroupName: `Oracle-${'x'.repeat(248)}` }],
    ['the bounds', { retainCopies: 100, copyPrefix: 'a'.repeat(24), maxCopyAge: Duration.days(366), schedule: ScheduleExpression.rate(Duration.hours(144)) }],
  ])('accepts %s', (_name, props) => {
    expect(build(props)).not.toThrow();
  });
});

describe('ReceivedClusterSnapshots: every problem at once, with the construct path', () => {
  test('one ValidationError lists each independent problem on its own line, under the construct path', () => {
    let error: (Error & { constructPath?: string; problems?: string[] }) | undefined;
    try {
      build({ sourceAccountIds: ['12345', '222222222222'], copyPrefix: 'received-', retainCopies: 0, maxCopyAge: Duration.minutes(59) })();
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('ValidationError');
    expect(error?.constructPath).toBe('Target/Received');
    expect(error?.message.split('\n')).toEqual([
      'ReceivedClusterSnapshots at path [Target/Received] has invalid props:',
      "- sourceAccountIds contains '12345', which is not a literal 12-digit AWS account id",
      "- sourceAccountIds contains '222222222222', which is this stack's own account: its snapshots are not shared with it",
      '- retainCopies must be a whole number from 1 to 100, got 0',
      "- copyPrefix must be 1-24 lowercase letters, digits or hyphens, starting with a letter, with no '--' and no trailing hyphen (and not a token), got 'received-'",
      '- maxCopyAge must be between 1 hour and 366 days, got 3540 seconds',
    ]);
    expect(error?.problems).toHaveLength(5);
  });
});
