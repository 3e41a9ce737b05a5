import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { refreshStack, userFunction } from './stack';
import { DatabaseKind, EndpointRecord, PostRestoreStep, RefreshMode } from '../../src';
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

  describe('the props of one kind are refused for the other, naming the prop, the value and the rule', () => {
    const INSTANCE = { kind: DatabaseKind.DB_INSTANCE };
    test.each<[string, Partial<RefreshedDatabaseProps>, RegExp]>([
      ['Serverless v2 capacity', { ...INSTANCE, serverlessV2: { minCapacity: 0, maxCapacity: 4 } },
        /serverlessV2 is given \(0 to 4 ACU\) with DatabaseKind.DB_INSTANCE: Aurora Serverless v2 capacity applies to Aurora clusters only/],
      ['an instance count', { ...INSTANCE, instances: 2 }, /instances is given \(2\) with DatabaseKind.DB_INSTANCE: a DB instance is one instance/],
      ['an engine version', { ...INSTANCE, engineVersion: '16.4' }, /engineVersion is given \("16.4"\) with DatabaseKind.DB_INSTANCE: RestoreDBInstanceFromDBSnapshot restores a DB instance at its copy's engine version/],
      ['a key', { ...INSTANCE, encryptionKey: kms.Key.fromKeyArn(new Stack(), 'K', 'arn:aws:kms:eu-west-1:222222222222:key/k') },
        /encryptionKey is given \(a key\) with DatabaseKind.DB_INSTANCE: RestoreDBInstanceFromDBSnapshot takes no key/],
      ['an option group for Aurora', { optionGroupName: 'oracle-tz' }, /optionGroupName is given \("oracle-tz"\) with DatabaseKind.AURORA_CLUSTER: Aurora clusters take no option group on restore/],
      ['a bad option group name', { ...INSTANCE, optionGroupName: 'oracle--tz' }, /optionGroupName must be an option group name .*got 'oracle--tz'/],
      ['db.serverless for an instance', { ...INSTANCE, instanceClass: 'db.serverless' }, /instanceClass must be a DB instance class such as 'db.r6g.large', got 'db.serverless'/],
      ['a bad source instance', { ...INSTANCE, sourceClusterIdentifier: '1orders' }, /sourceClusterIdentifier must be a DB instance identifier .*got '1orders'/],
    ])('%s', (_name, props, message) => {
      expect(problem(props)).toMatch(message);
    });

    test('a DB instance with the props that mean the same for both kinds synthesizes', () => {
      expect(problem({
        kind: DatabaseKind.DB_INSTANCE,
        sourceClusterIdentifier: 'orders-pg',
        instanceClass: 'db.t4g.medium',
        parameterGroupName: 'staging-pg16',
        optionGroupName: Token.asString({ Ref: 'OptionGroup' }),
        port: 5433,
        deletionProtection: false,
        tags: { team: 'data' },
        keepPrevious: Duration.hours(1),
      })).toBe('');
    });
  });

  describe('endpointRecord', () => {
    const zoneOf = (stack: Stack) => route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789', zoneName: 'staging.internal' });
    const withRecord = (record: (stack: Stack) => Partial<EndpointRecord>, more: Partial<RefreshedDatabaseProps> = {}): string => {
      try {
        refreshStack(more, {}, (stack) => ({ endpointRecord: { zone: zoneOf(stack), recordName: 'orders', ...record(stack) } }));
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    };
    test.each<[string, (stack: Stack) => Partial<EndpointRecord>, Partial<RefreshedDatabaseProps>, RegExp]>([
      ['a public zone', (stack) => ({ zone: new route53.PublicHostedZone(stack, 'Public', { zoneName: 'example.com' }) }), {},
        /endpointRecord.zone must be a private hosted zone .*got the public zone 'example.com'/],
      ['a zone without its name', (stack) => ({ zone: route53.HostedZone.fromHostedZoneId(stack, 'ById', 'Z0123456789') }), {},
        /endpointRecord.zone must know its name: import it with HostedZone.fromHostedZoneAttributes/],
      ['a name outside DNS rules', () => ({ recordName: 'orders_db' }), {}, /endpointRecord.recordName must be a name within the zone 'staging.internal' .*got 'orders_db'/],
      ['the zone\'s own name', () => ({ recordName: 'staging.internal' }), {}, /endpointRecord.recordName must be .*not the zone's own name\), got 'staging.internal'/],
      ['a token name', () => ({ recordName: Token.asString({ Ref: 'Name' }) }), {}, /endpointRecord.recordName must be literal \(IAM is scoped to it\)/],
      ['a long TTL', () => ({ ttl: Duration.days(2) }), {}, /endpointRecord.ttl must be a whole number of seconds from 0 to 1 day, got Duration.days\(2\)/],
      ['a keep time shorter than the TTL', () => ({ ttl: Duration.minutes(5) }), { keepPrevious: Duration.minutes(1) },
        /keepPrevious \(Duration.minutes\(1\)\) must be at least endpointRecord.ttl \(300 seconds\)/],
      ['restore-test mode', () => ({}), { mode: RefreshMode.RESTORE_TEST }, /endpointRecord is given in RefreshMode.RESTORE_TEST/],
    ])('%s', (_name, record, more, message) => {
      expect(withRecord(record, more)).toMatch(message);
    });

    test('a name within the zone, or fully qualified in it, synthesizes', () => {
      expect(withRecord(() => ({}))).toBe('');
      expect(withRecord(() => ({ recordName: 'orders.staging.internal.', ttl: Duration.seconds(0) }), { keepPrevious: Duration.hours(1) })).toBe('');
    });
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
