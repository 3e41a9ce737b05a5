import * as cdk from 'aws-cdk-lib';
import { App, CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { IConstruct } from 'constructs';
import { ReceivedClusterSnapshots, SharedClusterSnapshots } from '../../src';
import { addCdkNagSuppressions, toAcknowledgments } from '../../src/shared/nag';
import { Acknowledgment, acknowledgeFindings, NativeValidations, nativeValidations } from '../../src/shared/nag-acknowledgments';
import { CfnRule, nagRules, runNag } from '../nag-helpers';

/*
 * The cdk-nag 3 path on the aws-cdk-lib the tests run (2.186, which has no `Validations`): a fake
 * `Validations` with the shape aws-cdk-lib 2.257+ has records each acknowledgment, so the ids and
 * reasons are checked here; .ci/nag3.sh runs the real cdk-nag 3 on a current aws-cdk-lib.
 */

/** aws-cdk-lib's metadata type for acknowledgments (`Validations.ACKNOWLEDGED_RULES_METADATA_KEY`, 2.257+). */
const ACK_KEY = 'aws:cdk:acknowledged-rules';

interface Recorded { readonly path: string; readonly id: string; readonly reason: string }

/** A `Validations` that records what is acknowledged where; `refuse` makes `acknowledge` throw for an id, as older versions do. */
function fakeValidations(refuse: (id: string) => boolean = () => false): NativeValidations & { recorded: Recorded[] } {
  const recorded: Recorded[] = [];
  return {
    recorded,
    ACKNOWLEDGED_RULES_METADATA_KEY: ACK_KEY,
    of: (scope: IConstruct) => ({
      acknowledge: (...rules: Acknowledgment[]) => {
        for (const rule of rules) {
          // aws-cdk-lib 2.257.0 and 2.268.0 (tried): "Invalid validation rule ID '...'. The '::' delimiter is reserved ..."
          if (refuse(rule.id)) throw new Error(`InvalidValidationId: Invalid validation rule ID '${rule.id}'.`);
          recorded.push({ path: scope.node.path, id: rule.id, reason: rule.reason });
        }
      },
    }),
  };
}

/** Installs `fake` as aws-cdk-lib's `Validations` while `body` runs, as aws-cdk-lib 2.257+ exports it. */
function withValidations<T>(fake: NativeValidations, body: () => T): T {
  Object.defineProperty(cdk, 'Validations', { value: fake, configurable: true });
  try {
    return body();
  } finally {
    delete (cdk as Record<string, unknown>).Validations;
  }
}

function sourceStack(): Stack {
  const stack = new Stack(new App(), 'Source', { env: { account: '111111111111', region: 'eu-west-1' } });
  new SharedClusterSnapshots(stack, 'Shared', {
    clusterIdentifiers: ['orders-db'],
    clusterTag: { key: 'share-snapshots', value: 'true' },
    targetAccountIds: ['222222222222'],
    encryptionKey: kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:111111111111:key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee'),
    notifyTargetAccounts: true,
    retainUntilCopied: true,
  });
  return stack;
}

function receiverStack(): Stack {
  const stack = new Stack(new App(), 'Receiver', { env: { account: '222222222222', region: 'eu-west-1' } });
  new ReceivedClusterSnapshots(stack, 'Received', {
    sourceAccountIds: ['111111111111', '333333333333'],
    sourceSnapshotPrefix: 'shared',
    confirmCopies: true,
    maxCopyAge: Duration.hours(30),
    alarmTopic: new sns.Topic(stack, 'Alarms', { enforceSSL: true }),
  });
  return stack;
}

/** The cdk-nag 3 ids the `cdk_nag` rules of each resource stand for, by construct path. */
function expectedFromMetadata(stack: Stack): Recorded[] {
  return [...nagRules(stack)].flatMap(([path, rules]) => rules.flatMap((rule: CfnRule) =>
    (rule.applies_to ?? [undefined]).map((finding) => ({ path, id: finding === undefined ? rule.id : `${rule.id}[${String(finding)}]`, reason: rule.reason }))));
}

const sortRecords = (records: Recorded[]) => [...records].sort((a, b) => `${a.path} ${a.id} ${a.reason}`.localeCompare(`${b.path} ${b.id} ${b.reason}`));

describe('feature detection of aws-cdk-lib\'s Validations', () => {
  test('found on a module that exports it, absent on one that does not', () => {
    const fake = fakeValidations();
    expect(nativeValidations({ Validations: fake })).toBe(fake);
    expect(nativeValidations({})).toBeUndefined();
    expect(nativeValidations({ Validations: { of: () => undefined } })).toBeUndefined(); // no metadata key: not the 2.257+ class
  });

  test('on the aws-cdk-lib the tests run, the one loaded decides', () => {
    expect(nativeValidations()).toBe((cdk as Record<string, unknown>).Validations);
  });

  test('without Validations, both constructs synthesize with only the cdk_nag metadata', () => {
    for (const stack of [sourceStack(), receiverStack()]) {
      Template.fromStack(stack);
      expect(nagRules(stack).size).toBeGreaterThan(0);
      expect(stack.node.findAll().filter((c) => c.node.metadata.some((entry) => entry.type === ACK_KEY))).toEqual([]);
    }
  });
});

describe.each([
  ['SharedClusterSnapshots', sourceStack],
  ['ReceivedClusterSnapshots', receiverStack],
])('%s with Validations (aws-cdk-lib 2.257+)', (_name, build) => {
  test('acknowledges exactly what its cdk_nag metadata suppresses, on the same resources, with the same reasons', () => {
    const fake = fakeValidations();
    const stack = withValidations(fake, build);
    const expected = expectedFromMetadata(stack);
    expect(expected.length).toBeGreaterThan(10);
    expect(sortRecords(fake.recorded)).toEqual(sortRecords(expected));
    for (const { path } of fake.recorded) expect(stack.node.findAll().find((c) => c.node.path === path)).toBeInstanceOf(CfnResource);
  });

  test('each acknowledged id is one cdk-nag reports and suppresses on that resource: <rule>[<finding>]', () => {
    const fake = fakeValidations();
    const stack = withValidations(fake, build);
    const logger = runNag(stack); // cdk-nag 2, whose finding ids cdk-nag 3 puts in brackets
    Template.fromStack(stack);
    const reported = new Set(logger.suppressed.map((s) => `${s.path} ${s.findingId ? `${s.ruleId}[${s.findingId}]` : s.ruleId}`));
    expect(fake.recorded.map((r) => `${r.path} ${r.id}`).filter((key) => !reported.has(key))).toEqual([]);
    expect(fake.recorded.map((r) => r.id)).toContain('AwsSolutions-IAM5[Resource::*]');
  });

  test('an id the Validations refuses (two "::", as 2.257 to 2.268 do) is recorded as the metadata cdk-nag 3 reads, on the same resource', () => {
    const twoSeparators = (id: string) => id.split('::').length > 2;
    const fake = fakeValidations(twoSeparators);
    const stack = withValidations(fake, build);
    const recordedDirectly = stack.node.findAll().flatMap((c) => c.node.metadata
      .filter((entry) => entry.type === ACK_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id, reason }))));
    const expected = expectedFromMetadata(stack);
    expect(recordedDirectly.length).toBeGreaterThan(0);
    expect(recordedDirectly.every((r) => twoSeparators(r.id))).toBe(true);
    expect(sortRecords([...fake.recorded, ...recordedDirectly])).toEqual(sortRecords(expected));
  });
});

describe('acknowledgments of one suppression', () => {
  test('a granular rule: one id per finding; a rule without findings: its id', () => {
    expect(toAcknowledgments({ id: 'AwsSolutions-IAM5', reason: 'why', appliesTo: ['Resource::*', 'Resource::<Fn.Arn>:*'] })).toEqual([
      { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'why' },
      { id: 'AwsSolutions-IAM5[Resource::<Fn.Arn>:*]', reason: 'why' },
    ]);
    expect(toAcknowledgments({ id: 'AwsSolutions-L1', reason: 'pinned' })).toEqual([{ id: 'AwsSolutions-L1', reason: 'pinned' }]);
  });

  test('a rule already in the metadata is not acknowledged again; an empty appliesTo is dropped for both', () => {
    const fake = fakeValidations();
    const fn = new lambda.CfnFunction(new Stack(), 'Fn', { code: {}, role: 'arn:aws:iam::111111111111:role/r' });
    const rule = { id: 'AwsSolutions-IAM5', reason: 'a specific reason', appliesTo: ['Resource::*'] };
    addCdkNagSuppressions(fn, [rule, { id: 'AwsSolutions-IAM5', reason: 'nothing', appliesTo: [] }], fake);
    addCdkNagSuppressions(fn, [rule, { id: 'AwsSolutions-L1', reason: 'pinned' }], fake);
    expect(fake.recorded).toEqual([
      { path: 'Default/Fn', id: 'AwsSolutions-IAM5[Resource::*]', reason: 'a specific reason' },
      { path: 'Default/Fn', id: 'AwsSolutions-L1', reason: 'pinned' },
    ]);
  });

  test('without Validations nothing is acknowledged and nothing throws', () => {
    const resource = new lambda.CfnFunction(new Stack(), 'Fn', { code: {}, role: 'arn:aws:iam::111111111111:role/r' });
    acknowledgeFindings(resource, [{ id: 'AwsSolutions-L1', reason: 'pinned' }], undefined);
    expect(resource.node.metadata.filter((entry) => entry.type === ACK_KEY)).toEqual([]);
  });
});
