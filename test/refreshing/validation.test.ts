import { Duration, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { refreshStack, userFunction } from './stack';
import { PostRestoreStep } from '../../src';
import { RefreshedDatabaseProps } from '../../src/refreshing/props';

/** The error message a refresh with `props` fails with, or '' when it synthesizes. */
function problem(props: Partial<RefreshedDatabaseProps>): string {
  try {
    refreshStack(props);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('RefreshedDatabase props validation', () => {
  test.each<[string, Partial<RefreshedDatabaseProps>, RegExp]>([
    ['an identifier with upper case', { databaseIdentifier: 'Orders-Staging' }, /databaseIdentifier must be 1-47 lowercase letters, digits or hyphens.*got 'Orders-Staging'/],
    ['a long identifier', { databaseIdentifier: 'a'.repeat(48) }, /databaseIdentifier must be 1-47 .*got 'a{48}'/],
    ['an identifier with --', { databaseIdentifier: 'orders--staging' }, /databaseIdentifier must be .*no '--'.*got 'orders--staging'/],
    ['a token identifier', { databaseIdentifier: Token.asString({ Ref: 'Name' }) }, /databaseIdentifier must be .*not a token: IAM is scoped to it/],
    ['a bad source cluster', { sourceClusterIdentifier: '1orders' }, /sourceClusterIdentifier must be a DB cluster identifier .*got '1orders'/],
    ['a bad source account', { sourceAccountId: '12345' }, /sourceAccountId must be a 12-digit AWS account id, got '12345'/],
    ['no database security group', { databaseSecurityGroups: [] }, /databaseSecurityGroups must list 1 to 5 security groups, got 0/],
    ['too many instances', { instances: 17 }, /instances must be a whole number from 1 to 16, got 17/],
    ['a fractional instance count', { instances: 1.5 }, /instances must be a whole number from 1 to 16, got 1.5/],
    ['an instance class and Serverless v2', { instanceClass: 'db.r6g.large', serverlessV2: { minCapacity: 1, maxCapacity: 2 } },
      /serverlessV2 is given with instanceClass 'db.r6g.large': give one of them/],
    ['a bad instance class', { instanceClass: 'r6g.large' }, /instanceClass must be a DB instance class such as 'db.r6g.large', got 'r6g.large'/],
    ['capacity out of steps', { serverlessV2: { minCapacity: 0.3, maxCapacity: 2 } }, /serverlessV2 must have minCapacity and maxCapacity from 0 to 256 ACU in steps of 0.5.*got 0.3 to 2/],
    ['max below min', { serverlessV2: { minCapacity: 4, maxCapacity: 2 } }, /maxCapacity at least 1 and at least minCapacity, got 4 to 2/],
    ['auto-pause without 0 ACU', { serverlessV2: { minCapacity: 0.5, maxCapacity: 2, secondsUntilAutoPause: Duration.minutes(10) } },
      /serverlessV2.secondsUntilAutoPause must be from 5 minutes to 1 day, with minCapacity 0, got 600 seconds with minCapacity 0.5/],
    ['a short wait', { waitInterval: Duration.millis(500) }, /waitInterval must be a whole number of seconds from 1 second to 1 hour, got Duration.millis\(500\)/],
    ['a short restore timeout', { restoreTimeout: Duration.minutes(5) }, /restoreTimeout must be a whole number of seconds from 15 minutes to 1 day/],
    ['a long keep', { keepPrevious: Duration.days(31) }, /keepPrevious must be a whole number of seconds from 0 to 30 days/],
    ['a short data age', { maxDataAge: Duration.minutes(30) }, /maxDataAge must be a whole number of seconds from 1 hour to 366 days/],
    ['a post-restore timeout alone', { postRestoreTimeout: Duration.minutes(30) }, /postRestoreTimeout is given without postRestore/],
    ['a reserved tag', { tags: { 'refreshed-database:role': 'x' } }, /tags has the key 'refreshed-database:role': keys must be literal.*not starting with refreshed-database:, aws: or rds:/],
    ['an aws: tag', { tags: { 'aws:x': 'y' } }, /tags has the key 'aws:x'/],
    ['a bad tag value', { tags: { team: 'a'.repeat(257) } }, /tags\['team'\] is 'a{257}': values must be at most 256/],
    ['too many tags', { tags: Object.fromEntries(Array.from({ length: 43 }, (_, i) => [`k${i}`, 'v'])) }, /tags holds 43 tags; RDS allows 50 per database, of which RefreshedDatabase uses 8/],
    ['a memory size out of range', { memorySize: 64 }, /memorySize must be a whole number of MB from 128 to 10,240/],
  ])('%s', (_name, props, message) => {
    const found = problem(props);
    expect(found).toMatch(message);
    expect(found).toMatch(/^\[?.*RefreshedDatabase/);
  });

  test('vpcSubnets without vpc', () => {
    expect(problem({ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } })).toMatch(/vpcSubnets is given without vpc/);
  });

  test('valid props synthesize, tokens where a token can work included', () => {
    expect(problem({})).toBe('');
    expect(problem({ sourceClusterIdentifier: Token.asString({ Ref: 'Cluster' }), instanceClass: 'db.r6g.large', instances: 3 })).toBe('');
    expect(problem({ serverlessV2: { minCapacity: 0, maxCapacity: 1, secondsUntilAutoPause: Duration.minutes(30) }, keepPrevious: Duration.hours(6) })).toBe('');
  });

  test('a post-restore step with its timeout synthesizes', () => {
    const { stack } = refreshStack({}, {}, (s) => ({
      postRestore: PostRestoreStep.fromFunction(userFunction(s)),
      postRestoreTimeout: Duration.minutes(20),
    }));
    expect(stack.node.findAll().length).toBeGreaterThan(0);
  });
});
