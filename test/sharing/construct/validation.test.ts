import { inspect } from 'util';
import { App, Aws, Annotations as CoreAnnotations, Duration, Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import { ACCOUNT, addSnapshots, newStack, TARGET } from './helpers';
import { SharedClusterSnapshots, SharedClusterSnapshotsProps } from '../../../src';
import { clusterIds } from '../../iam/stacks';

const OWN_ACCOUNT = ACCOUNT;

/** Builds the construct with valid required props, overridden by `props`. */
function build(props: Partial<SharedClusterSnapshotsProps> = {}, stack: Stack = newStack()): SharedClusterSnapshots {
  return addSnapshots(stack, props);
}

function accounts(count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(300000000000 + i));
}

/** The SNAPSHOT_TIMEOUT_SECONDS every handler that has it receives (they must agree). */
function snapshotTimeoutSeconds(stack: Stack): number {
  const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function');
  const values = new Set(Object.values(functions)
    .map((fn) => fn.Properties?.Environment?.Variables?.SNAPSHOT_TIMEOUT_SECONDS)
    .filter((value) => value !== undefined));
  expect(values.size).toBe(1);
  return Number([...values][0]);
}

describe('clusters', () => {
  test('neither clusterIdentifiers nor clusterTag', () => {
    expect(() => build({ clusterIdentifiers: undefined })).toThrow(/clusterIdentifiers.*clusterTag.*neither was given/);
  });

  test('an empty clusterIdentifiers list without clusterTag says the list is empty and what to give', () => {
    expect(() => build({ clusterIdentifiers: [] })).toThrow(
      /clusterIdentifiers is an empty list and no clusterTag is given, so there is nothing to snapshot\. List at least one DB cluster identifier, or select the clusters by tag with clusterTag$/m,
    );
  });

  test.each([
    ['Orders_DB', 'an underscore'],
    ['1abc', 'a leading digit'],
    ['a--b', 'a double hyphen'],
    ['abc-', 'a trailing hyphen'],
    ['a'.repeat(64), '64 characters'],
  ])('malformed cluster identifier %s (%s)', (id) => {
    expect(() => build({ clusterIdentifiers: ['orders-db', id] }))
      .toThrow(new RegExp(`clusterIdentifiers contains '${id}'.*not a DB cluster identifier: 1-63 letters, digits or hyphens`));
  });

  test('a 63-character cluster identifier is valid', () => {
    expect(() => build({ clusterIdentifiers: ['a'.repeat(63)] })).not.toThrow();
  });

  test('duplicate cluster identifier', () => {
    expect(() => build({ clusterIdentifiers: ['orders-db', 'billing-db', 'orders-db'] }))
      .toThrow(/clusterIdentifiers contains 'orders-db' twice/);
  });

  test('duplicate cluster identifier that differs only in case (RDS stores identifiers lowercase)', () => {
    expect(() => build({ clusterIdentifiers: ['orders-db', 'Orders-DB'] }))
      .toThrow(/clusterIdentifiers contains 'Orders-DB' twice/);
  });

  test.each([
    ['', 'empty'],
    ['aws:foo', "starting with 'aws:'"],
    ['AWS:foo', "starting with 'AWS:'"],
    ['rds:foo', "starting with 'rds:'"],
  ])("clusterTag key '%s' (%s)", (key) => {
    expect(() => build({ clusterIdentifiers: undefined, clusterTag: { key, value: 'true' } }))
      .toThrow(new RegExp(`clusterTag\\.key must be 1-128 characters and not start with 'aws:' or 'rds:' \\(reserved\\), got '${key}'`));
  });

  test('clusterTag key of 129 characters', () => {
    expect(() => build({ clusterTag: { key: 'k'.repeat(129), value: 'true' } }))
      .toThrow(/clusterTag\.key must be 1-128 characters.*got 'k{129}'/);
  });

  test('clusterTag value of 257 characters', () => {
    expect(() => build({ clusterTag: { key: 'share', value: 'v'.repeat(257) } }))
      .toThrow(/clusterTag\.value must be at most 256 characters, got 257/);
  });
});

describe('clusterIdentifiers past what IAM holds', () => {
  // Each cluster is listed by ARN in the CreateSnapshot role's managed policies: 10 of 6,144
  // characters. Measured in test/iam/limits.test.ts: 520 ARNs of 63-character ids fit.
  test.each([
    [63, 521, 520],
    [8, 1100, 980],
  ])('%i-character ids: %i fail at synth, naming clusterIdentifiers, the count, the limit and clusterTag', (length, count, limit) => {
    expect(() => build({ clusterIdentifiers: clusterIds(count, length) })).toThrow(new RegExp(
      `^- clusterIdentifiers lists ${count} clusters, but only the first ${limit} fit the CreateSnapshot role's IAM policies `
      + '\\(10 managed policies of 6,144 characters, listing each cluster by ARN\\)\\. Tag the clusters and select them with clusterTag instead',
      'm',
    ));
  });

  test('the error carries the construct path, like the props errors', () => {
    expect(() => build({ clusterIdentifiers: clusterIds(521, 63) }))
      .toThrow(/^SharedClusterSnapshots at path \[TestStack\/Snapshots\] has invalid props:\n- clusterIdentifiers lists 521 clusters/);
  });

  test('the ids that fit synthesize', () => {
    expect(() => build({ clusterIdentifiers: clusterIds(520, 63) })).not.toThrow();
  });
});

describe('encryptionKey', () => {
  const KEY_ARN = `arn:aws:kms:eu-west-1:${OWN_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const ALIAS_MESSAGE = /encryptionKey is the KMS alias '(alias\/shared-snapshots|an alias)', not a key.*Pass kms\.Key\.fromKeyArn\(this, 'SharingKey', '<key ARN>'\) with the ARN of the key the alias points to instead/;

  test.each([
    ['kms.Alias.fromAliasName', (stack: Stack) => kms.Alias.fromAliasName(stack, 'Alias', 'alias/shared-snapshots')],
    ['kms.Alias.fromAliasAttributes', (stack: Stack) => kms.Alias.fromAliasAttributes(stack, 'Alias', {
      aliasName: 'alias/shared-snapshots', aliasTargetKey: kms.Key.fromKeyArn(stack, 'Target', KEY_ARN),
    })],
    ['an alias ARN in kms.Key.fromKeyArn', (stack: Stack) => kms.Key.fromKeyArn(stack, 'Key', `arn:aws:kms:eu-west-1:${OWN_ACCOUNT}:alias/shared-snapshots`)],
    ['an alias ARN with a token partition', (stack: Stack) => kms.Key.fromKeyArn(stack, 'Key', `arn:${Aws.PARTITION}:kms:eu-west-1:${OWN_ACCOUNT}:alias/shared-snapshots`)],
    ['a new kms.Alias', (stack: Stack) => new kms.Alias(stack, 'Alias', { aliasName: 'alias/shared-snapshots', targetKey: new kms.Key(stack, 'Key') })],
  ])('%s is rejected, saying what to pass instead', (_, key) => {
    const stack = newStack();
    expect(() => build({ encryptionKey: key(stack) }, stack)).toThrow(ALIAS_MESSAGE);
  });

  test('a key ARN, a token key ARN and a key of this stack are accepted', () => {
    for (const key of [
      (stack: Stack) => kms.Key.fromKeyArn(stack, 'Key', KEY_ARN),
      (stack: Stack) => kms.Key.fromKeyArn(stack, 'Key', Fn.importValue('SharingKeyArn')),
      (stack: Stack) => kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:333333333333:key/mrk-1234abcd12ab34cd56ef1234567890ab'),
      (stack: Stack) => new kms.Key(stack, 'Key'),
    ]) {
      const stack = newStack();
      expect(() => build({ encryptionKey: key(stack) }, stack)).not.toThrow();
    }
  });

  test('a key of another Region is rejected, naming both Regions', () => {
    const stack = newStack();
    const encryptionKey = kms.Key.fromKeyArn(stack, 'Key', KEY_ARN.replace('eu-west-1', 'us-east-1'));
    expect(() => build({ encryptionKey }, stack))
      .toThrow(/^- encryptionKey is in us-east-1, but this stack deploys to eu-west-1: RDS encrypts a snapshot copy only with a key of the copy's own Region/m);
  });

  test('the Region is not checked when the stack\'s Region is unknown', () => {
    const stack = newStack({ withEnv: false });
    expect(() => build({ encryptionKey: kms.Key.fromKeyArn(stack, 'Key', KEY_ARN.replace('eu-west-1', 'us-east-1')) }, stack)).not.toThrow();
  });

  test('the imported-key warning says what the key policy must allow the copy role, under its id', () => {
    const stack = newStack();
    build({ encryptionKey: kms.Key.fromKeyArn(stack, 'Key', KEY_ARN) }, stack);
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('encryptionKey is imported'));
    expect(warnings).toHaveLength(1);
    const text = String(warnings[0].entry.data);
    expect(text).toContain('[ack: cdk-shared-cluster-snapshots:importedKey]');
    expect(text).toContain('kms:Decrypt, kms:DescribeKey, kms:Encrypt, kms:ReEncrypt*, kms:GenerateDataKey*');
    expect(text).toContain(`It must also allow kms:CreateGrant and kms:DescribeKey for the principals of account ${OWN_ACCOUNT}, `
      + "by delegating to IAM (a statement for the account's root) or by naming the CopySnapshot handler's role");
  });
});

describe('targetAccountIds', () => {
  test.each([0, 21])('%d target accounts', (count) => {
    expect(() => build({ targetAccountIds: accounts(count) }))
      .toThrow(new RegExp(`targetAccountIds must list 1 to 20 account ids.*got ${count}`));
  });

  test('20 target accounts are allowed', () => {
    expect(() => build({ targetAccountIds: accounts(20) })).not.toThrow();
  });

  test.each(['12345', '1234567890123', '22222222222a', ' 222222222222'])("non-12-digit account '%s'", (account) => {
    expect(() => build({ targetAccountIds: [TARGET, account] }))
      .toThrow(new RegExp(`targetAccountIds contains '${account}', which is not a 12-digit AWS account id`));
  });

  test('duplicate account', () => {
    expect(() => build({ targetAccountIds: [TARGET, '333333333333', TARGET] }))
      .toThrow(/targetAccountIds contains '222222222222' twice/);
  });

  test("the stack's own account", () => {
    expect(() => build({ targetAccountIds: [TARGET, OWN_ACCOUNT] }))
      .toThrow(/targetAccountIds contains '111111111111', which is this stack's own account/);
  });
});

describe('timing', () => {
  test('waitInterval of 0.5 seconds', () => {
    expect(() => build({ waitInterval: Duration.millis(500) }))
      .toThrow(/waitInterval must be a whole number of seconds, got 0\.5 seconds/);
  });

  test('snapshotTimeout of 90.5 seconds', () => {
    expect(() => build({ snapshotTimeout: Duration.millis(90_500) }))
      .toThrow(/snapshotTimeout must be a whole number of seconds, got 90\.5 seconds/);
  });

  test('waitInterval of 2 hours', () => {
    expect(() => build({ waitInterval: Duration.hours(2) }))
      .toThrow(/waitInterval must be between 1 second and 1 hour, got 7200 seconds/);
  });

  test.each([Duration.seconds(1), Duration.hours(1)])('waitInterval at the bound %s is valid', (waitInterval) => {
    expect(() => build({ waitInterval })).not.toThrow();
  });

  test('snapshotTimeout shorter than waitInterval', () => {
    expect(() => build({ waitInterval: Duration.minutes(5), snapshotTimeout: Duration.minutes(4) }))
      .toThrow(/snapshotTimeout \(240 seconds\) must be at least waitInterval \(300 seconds\)/);
  });

  test('snapshotTimeout needing more than 2000 checks', () => {
    expect(() => build({ waitInterval: Duration.seconds(10), snapshotTimeout: Duration.seconds(20001) }))
      .toThrow(/snapshotTimeout \(20001 seconds\) needs 2001 checks at waitInterval \(10 seconds\); at most 2000 are allowed/);
  });

  test('snapshotTimeout of exactly 2000 checks is valid', () => {
    expect(() => build({ waitInterval: Duration.seconds(10), snapshotTimeout: Duration.seconds(20000) })).not.toThrow();
  });

  test.each([
    [undefined, 21600],
    [Duration.seconds(1), 2000],
    [Duration.seconds(5), 10000],
    [Duration.seconds(10), 20000],
    [Duration.seconds(11), 21600],
    [Duration.minutes(5), 21600],
  ])('default snapshotTimeout with waitInterval %s is min(6 h, 2000 × waitInterval) = %d s', (waitInterval, expected) => {
    const stack = newStack();
    build({ waitInterval }, stack);
    expect(snapshotTimeoutSeconds(stack)).toBe(expected);
  });

  test('an explicit snapshotTimeout reaches the handlers', () => {
    const stack = newStack();
    build({ snapshotTimeout: Duration.hours(12) }, stack);
    expect(snapshotTimeoutSeconds(stack)).toBe(43200);
  });
});

describe('retainSnapshots', () => {
  test.each([0, 1.5, -1])('%p', (retainSnapshots) => {
    expect(() => build({ retainSnapshots }))
      .toThrow(new RegExp(`retainSnapshots must be a whole number of at least 1, got ${retainSnapshots}`));
  });
});

describe('snapshotPrefix', () => {
  test.each([
    ['Shared', 'uppercase'],
    ['1x', 'a leading digit'],
    ['a--b', 'a double hyphen'],
    ['a'.repeat(25), '25 characters'],
    ['x-', 'a trailing hyphen'],
    ['', 'empty'],
  ])("'%s' (%s)", (snapshotPrefix) => {
    expect(() => build({ snapshotPrefix }))
      .toThrow(new RegExp(`snapshotPrefix must be 1-24 lowercase letters, digits or hyphens, starting with a letter.*got '${snapshotPrefix}'`));
  });

  test('a 24-character prefix is valid', () => {
    expect(() => build({ snapshotPrefix: 'a'.repeat(24) })).not.toThrow();
  });
});

describe('unresolved tokens are not validated', () => {
  test('a Lazy.string cluster identifier', () => {
    expect(() => build({ clusterIdentifiers: [Lazy.string({ produce: () => 'Not_Valid' })] })).not.toThrow();
  });

  test('a Token.asString cluster identifier', () => {
    expect(() => build({ clusterIdentifiers: [Token.asString({ Ref: 'ClusterParameter' })] })).not.toThrow();
  });

  test('an imported cluster identifier', () => {
    expect(() => build({ clusterIdentifiers: [Fn.importValue('OrdersClusterId'), Fn.importValue('BillingClusterId')] })).not.toThrow();
  });

  test('a token target account, next to a literal one', () => {
    expect(() => build({ targetAccountIds: [Aws.ACCOUNT_ID, TARGET] })).not.toThrow();
  });

  test('a token clusterTag key and value', () => {
    expect(() => build({
      clusterIdentifiers: undefined,
      clusterTag: { key: Fn.importValue('TagKey'), value: Lazy.string({ produce: () => 'v'.repeat(300) }) },
    })).not.toThrow();
  });

  test('a token retainSnapshots', () => {
    expect(() => build({ retainSnapshots: Token.asNumber(Fn.importValue('Retain')) })).not.toThrow();
  });

  test('a stack without env: the own account is unknown, so any literal account is accepted', () => {
    expect(() => build({ targetAccountIds: [OWN_ACCOUNT] }, newStack({ withEnv: false }))).not.toThrow();
  });
});

describe('valid props', () => {
  test('explicit clusters only', () => {
    expect(() => build()).not.toThrow();
  });

  test('clusterTag only', () => {
    expect(() => build({ clusterIdentifiers: undefined, clusterTag: { key: 'share-snapshots', value: 'true' } })).not.toThrow();
  });

  test('every option set', () => {
    expect(() => build({
      clusterIdentifiers: ['orders-db', 'billing-db'],
      clusterTag: { key: 'share-snapshots', value: 'true' },
      targetAccountIds: [TARGET, '333333333333'],
      waitInterval: Duration.seconds(30),
      snapshotTimeout: Duration.hours(2),
      retainSnapshots: 3,
      snapshotPrefix: 'nightly-share',
      allowUnencrypted: true,
    })).not.toThrow();
  });
});

describe('the error: every problem at once, with the construct path', () => {
  function thrown(props: Partial<SharedClusterSnapshotsProps>, stack: Stack = newStack()): Error & { constructPath?: string; problems?: string[] } {
    try {
      build(props, stack);
    } catch (error) {
      return error as Error;
    }
    throw new Error('expected the construct to throw');
  }

  test('names the construct and its path in the message, and as constructPath, like aws-cdk-lib\'s ValidationError', () => {
    const error = thrown({ retainSnapshots: 0 });
    expect(error.name).toBe('ValidationError');
    expect(error.constructPath).toBe('TestStack/Snapshots');
    expect(error.message).toBe('SharedClusterSnapshots at path [TestStack/Snapshots] has invalid props:\n'
      + '- retainSnapshots must be a whole number of at least 1, got 0');
  });

  test('the stack trace starts at the caller\'s new, not inside the library', () => {
    const frames = (thrown({ retainSnapshots: 0 }).stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
    expect(frames[0]).toMatch(/test\/sharing\/construct\/helpers\.ts/);
    expect(frames.join('\n')).not.toMatch(/src\/(sharing|shared)\//);
  });

  test('printed, as Node prints an uncaught error, it reads ValidationError and lists the problems once', () => {
    const printed = inspect(thrown({ retainSnapshots: 0 }));
    expect(printed).toMatch(/^ValidationError: SharedClusterSnapshots at path \[TestStack\/Snapshots\] has invalid props:\n- retainSnapshots/);
    expect(printed.match(/retainSnapshots must be/g)).toHaveLength(1);
  });

  test('independent problems are all reported in one error, one line each', () => {
    const error = thrown({
      clusterIdentifiers: ['orders_db', 'billing-db', 'billing-db'],
      targetAccountIds: [TARGET, '12345', OWN_ACCOUNT],
      retainSnapshots: 0,
      snapshotPrefix: 'Shared',
      rdsRequestsPerSecond: 0,
      waitInterval: Duration.hours(2),
    });
    expect(error.problems).toEqual([
      expect.stringMatching(/^clusterIdentifiers contains 'orders_db', which is not a DB cluster identifier/),
      "clusterIdentifiers contains 'billing-db' twice",
      "targetAccountIds contains '12345', which is not a 12-digit AWS account id",
      expect.stringMatching(/^targetAccountIds contains '111111111111', which is this stack's own account/),
      'waitInterval must be between 1 second and 1 hour, got 7200 seconds',
      'retainSnapshots must be a whole number of at least 1, got 0',
      'rdsRequestsPerSecond must be a whole number from 1 to 100, got 0',
      expect.stringMatching(/^snapshotPrefix must be .*got 'Shared'$/),
    ]);
    expect(error.message.split('\n')).toEqual([
      'SharedClusterSnapshots at path [TestStack/Snapshots] has invalid props:',
      ...error.problems!.map((problem) => `- ${problem}`),
    ]);
  });

  test('a check that depends on an invalid prop is skipped: snapshotTimeout is not compared with an invalid waitInterval', () => {
    expect(thrown({ waitInterval: Duration.millis(500), snapshotTimeout: Duration.seconds(1) }).problems)
      .toEqual(['waitInterval must be a whole number of seconds, got 0.5 seconds']);
  });

  test('a nested construct\'s path is the full path below the app', () => {
    const stack = newStack();
    const parent = new Construct(stack, 'Platform');
    let error: (Error & { constructPath?: string }) | undefined;
    try {
      new SharedClusterSnapshots(parent, 'Nightly', { targetAccountIds: [TARGET] });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.constructPath).toBe('TestStack/Platform/Nightly');
    expect(error?.message).toMatch(/^SharedClusterSnapshots at path \[TestStack\/Platform\/Nightly\] has invalid props:\n- Give clusterIdentifiers, clusterTag or both/);
  });
});

describe('encryptionKey Region, beyond imported ARNs', () => {
  test('a key created in a stack of another Region is rejected', () => {
    const app = new App();
    const keyStack = new Stack(app, 'KeyStack', { env: { account: OWN_ACCOUNT, region: 'us-east-1' } });
    const stack = new Stack(app, 'TestStack', { env: { account: OWN_ACCOUNT, region: 'eu-west-1' } });
    expect(() => build({ encryptionKey: new kms.Key(keyStack, 'Key') }, stack))
      .toThrow(/encryptionKey is in us-east-1, but this stack deploys to eu-west-1/);
  });

  test('an imported key ARN with a token partition is still checked by its literal Region', () => {
    const stack = newStack();
    const encryptionKey = kms.Key.fromKeyArn(stack, 'Key', `arn:${Aws.PARTITION}:kms:us-east-1:${OWN_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`);
    expect(() => build({ encryptionKey }, stack)).toThrow(/encryptionKey is in us-east-1, but this stack deploys to eu-west-1/);
  });
});

describe('retainSnapshots against the default manual snapshot quota (100 per Region)', () => {
  const QUOTA_WARNING = Match.stringLikeRegexp('manual DB cluster snapshots');
  const quotaWarnings = (stack: Stack) => Annotations.fromStack(stack).findWarning('*', QUOTA_WARNING).map((w) => String(w.entry.data));

  test('warns with the numbers, the formula and what to do, under an id to acknowledge', () => {
    const stack = newStack();
    build({ clusterIdentifiers: ['orders-db', 'billing-db', 'users-db'], retainSnapshots: 40 }, stack);
    expect(quotaWarnings(stack)).toEqual([
      'retainSnapshots 40 with 3 clusters holds up to 126 manual DB cluster snapshots during a run '
      + '(3 × (40 retained + 2 in progress: the temporary snapshot and its copy)), more than the default quota of 100 per account '
      + 'and Region, which other manual cluster snapshots share. Once the quota is full the starter refuses the run '
      + '(SnapshotQuotaExceeded) and nothing is snapshotted. Raise the quota "Manual DB cluster snapshots" in Service Quotas to at '
      + 'least 126, or lower retainSnapshots to 31 or less. [ack: cdk-shared-cluster-snapshots:snapshotQuota]',
    ]);
  });

  test('with retainUntilCopied, every run within maxRetention may be kept: the warning counts them (one run a day unless the schedule is a rate)', () => {
    const fits = newStack();
    build({ clusterIdentifiers: clusterIds(11, 10), retainUntilCopied: true }, fits);
    expect(quotaWarnings(fits)).toEqual([]); // 11 × (7 + 2) = 99
    const daily = newStack();
    build({ clusterIdentifiers: clusterIds(12, 10), retainUntilCopied: true }, daily);
    expect(quotaWarnings(daily)).toEqual([expect.stringContaining(
      'retainUntilCopied with 12 clusters holds up to 108 manual DB cluster snapshots during a run (12 × (up to 7 retained until copied: one per run within maxRetention + 2 in progress',
    )]);
    const twice = newStack();
    const twiceADay = scheduler.ScheduleExpression.rate(Duration.hours(12));
    build({ clusterIdentifiers: clusterIds(10, 10), retainUntilCopied: true, schedule: twiceADay }, twice);
    expect(quotaWarnings(twice)).toEqual([expect.stringContaining(
      'retainUntilCopied with 10 clusters holds up to 160 manual DB cluster snapshots during a run (10 × (up to 14 retained until copied: one per run within maxRetention + 2 in progress',
    )]);
    expect(quotaWarnings(twice)[0]).toContain('or shorten maxRetention so that at most 8 runs fall within it');
    const short = newStack();
    build({ clusterIdentifiers: clusterIds(10, 10), retainUntilCopied: true, maxRetention: Duration.days(2), schedule: twiceADay }, short);
    expect(quotaWarnings(short)).toEqual([]);
  });

  test('with retainUntilCopied, snapshotTags leave room for one copy confirmation tag per target account', () => {
    const tags = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`team-${i}`, 'x']));
    const targetAccountIds = ['222222222222', '333333333333', '444444444444'];
    expect(() => build({ targetAccountIds, retainUntilCopied: true, snapshotTags: tags(43) })).not.toThrow();
    expect(() => build({ targetAccountIds, retainUntilCopied: true, snapshotTags: tags(44) })).toThrow(
      /snapshotTags has 44 tags; at most 43 fit \(RDS allows 50 tags per snapshot, and this construct sets 4 and, with retainUntilCopied, up to 3 copy confirmations \(one per target account\)\)/,
    );
    expect(() => build({ targetAccountIds, snapshotTags: tags(46) })).not.toThrow();
  });

  test('the warning can be acknowledged', () => {
    const stack = newStack();
    const construct = build({ retainSnapshots: 1000 }, stack);
    CoreAnnotations.of(construct).acknowledgeWarning('cdk-shared-cluster-snapshots:snapshotQuota', 'quota raised to 5000');
    expect(quotaWarnings(stack)).toEqual([]);
  });

  test.each([
    [20, 3, false],
    [20, 4, true],
    [25, 2, false],
    [33, undefined, false],
    [34, undefined, true],
  ])('%i clusters, retainSnapshots %p: warns %p (peak = clusters × (retainSnapshots + 2))', (count, retainSnapshots, warns) => {
    const stack = newStack();
    build({ clusterIdentifiers: clusterIds(count, 10), retainSnapshots }, stack);
    expect(quotaWarnings(stack)).toHaveLength(warns ? 1 : 0);
  });

  test('when even retainSnapshots 1 cannot fit, it says how many clusters fit', () => {
    const stack = newStack();
    build({ clusterIdentifiers: clusterIds(40, 10) }, stack);
    expect(quotaWarnings(stack)[0]).toContain('holds up to 120 manual DB cluster snapshots');
    expect(quotaWarnings(stack)[0]).toContain('or snapshot fewer clusters per account and Region (at most 33 fit with retainSnapshots 1)');
  });

  test('no warning when the cluster count is unknown (clusterTag) or retainSnapshots is a token', () => {
    for (const props of [
      { clusterTag: { key: 'share', value: 'true' }, retainSnapshots: 1000 },
      { retainSnapshots: Token.asNumber(Fn.importValue('Retain')) },
    ]) {
      const stack = newStack();
      build(props, stack);
      expect(quotaWarnings(stack)).toEqual([]);
    }
  });
});

describe('the own account in an environment-agnostic stack', () => {
  test('passes synth, and the starter receives the targets to refuse it at run time', () => {
    const stack = newStack({ withEnv: false });
    const construct = build({ targetAccountIds: [OWN_ACCOUNT] }, stack);
    const starter = Template.fromStack(stack).findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: { STATE_MACHINE_ARN: Match.anyValue() } } },
    });
    expect(Object.values(starter)).toHaveLength(1);
    expect(Object.values(starter)[0].Properties.Environment.Variables.TARGET_ACCOUNT_IDS).toBe(OWN_ACCOUNT);
    expect(construct.starterFunction).toBeDefined();
  });
});
