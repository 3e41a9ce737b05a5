import { gzipSync } from 'zlib';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import fc from 'fast-check';
import { clusterIdentifier, identifier, snapshotPrefix } from './arbitraries';
import { SharedClusterSnapshots, SharedClusterSnapshotsProps } from '../../src';

// Random props, each field either valid or broken on purpose, against an oracle written from the
// documented rules: all valid ⇒ the construct builds; any broken ⇒ it throws one ValidationError with
// the construct path that names every broken prop, each problem led by a broken prop (never a
// TypeError, RangeError or a CDK-internal message).

const SEED = 424242;
const OWN_ACCOUNT = '111111111111';

const PROPS = [
  'clusterIdentifiers',
  'clusterTag',
  'targetAccountIds',
  'waitInterval',
  'snapshotTimeout',
  'retainSnapshots',
  'snapshotPrefix',
  'rdsRequestsPerSecond',
] as const;
type PropName = (typeof PROPS)[number];

const MESSAGE = /^(clusterIdentifiers|clusterTag|targetAccountIds|waitInterval|snapshotTimeout|retainSnapshots|snapshotPrefix|rdsRequestsPerSecond|Give clusterIdentifiers, clusterTag or both)/;

// ---------------------------------------------------------------------------------------------
// Oracles: the documented rules, written independently of src/validation.ts.

/** RDS cluster identifier: ASCII letters, digits and single inner hyphens, starting with a letter. */
const isClusterId = (id: string): boolean => id.length >= 1 && id.length <= 63 && /^[A-Za-z](-?[A-Za-z0-9])*$/.test(id);
const isPrefix = (p: string): boolean => p.length >= 1 && p.length <= 24 && /^[a-z](-?[a-z0-9])*$/.test(p);
const isAccount = (a: string): boolean => /^[0-9]{12}$/.test(a);

/** A duration as a test spells it: amount = numerator / denominator of a unit, or a non-finite amount. */
interface DurationSpec {
  readonly unit: 'millis' | 'seconds' | 'minutes' | 'hours' | 'days';
  readonly numerator: number;
  readonly denominator: 1 | 4;
  readonly special?: 'NaN' | 'Infinity';
}
const UNIT_MS = { millis: 1, seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

function toDuration(spec: DurationSpec): Duration {
  const amount = spec.special ? Number(spec.special) : spec.numerator / spec.denominator;
  return Duration[spec.unit](amount);
}

/** Whole seconds of the spec, computed in exact integer arithmetic; undefined when not whole or not finite. */
function wholeSecondsOf(spec: DurationSpec): number | undefined {
  if (spec.special) return undefined;
  const scaledMs = spec.numerator * UNIT_MS[spec.unit]; // ms × denominator, exact below 2^53
  return scaledMs % (spec.denominator * 1000) === 0 ? scaledMs / (spec.denominator * 1000) : undefined;
}

/** The props the oracle says are broken (empty when all is valid). */
function brokenProps(props: SharedClusterSnapshotsProps): Set<PropName> {
  const broken = new Set<PropName>();
  const ids = props.clusterIdentifiers ?? [];
  if (ids.length === 0 && !props.clusterTag) {
    broken.add('clusterIdentifiers');
    broken.add('clusterTag');
  }
  if (!ids.every(isClusterId) || new Set(ids.map((id) => id.toLowerCase())).size !== ids.length) broken.add('clusterIdentifiers');
  const tag = props.clusterTag;
  if (tag && (tag.key.length < 1 || tag.key.length > 128 || /^(aws|rds):/i.test(tag.key) || tag.value.length > 256)) broken.add('clusterTag');

  const targets = props.targetAccountIds;
  const targetsOk = targets.length >= 1 && targets.length <= 20 && targets.every(isAccount)
    && new Set(targets).size === targets.length && !targets.includes(OWN_ACCOUNT);
  if (!targetsOk) {
    broken.add('targetAccountIds');
  }

  const retain = props.retainSnapshots;
  if (retain !== undefined && !(Number.isInteger(retain) && retain >= 1)) broken.add('retainSnapshots');
  const prefix = props.snapshotPrefix;
  if (prefix !== undefined && !isPrefix(prefix)) broken.add('snapshotPrefix');
  const rate = props.rdsRequestsPerSecond;
  if (rate !== undefined && !(Number.isInteger(rate) && rate >= 1 && rate <= 100)) broken.add('rdsRequestsPerSecond');
  return broken;
}

/** Timing rules: waitInterval 1 s-1 h in whole seconds; snapshotTimeout whole seconds, ≥ interval, ≤ 2,000 checks. */
function brokenTiming(wait: DurationSpec | undefined, timeout: DurationSpec | undefined): Set<PropName> {
  const broken = new Set<PropName>();
  const interval = wait ? wholeSecondsOf(wait) : 60;
  if (interval === undefined || interval < 1 || interval > 3600) {
    broken.add('waitInterval');
    // Nothing to compare the timeout with; whole seconds it must still be.
    if (timeout && wholeSecondsOf(timeout) === undefined) broken.add('snapshotTimeout');
    return broken;
  }
  if (!timeout) return broken;
  const t = wholeSecondsOf(timeout);
  if (t === undefined) {
    broken.add('snapshotTimeout');
  } else if (t < interval || Math.ceil(t / interval) > 2000) {
    broken.add('snapshotTimeout');
    broken.add('waitInterval');
  }
  return broken;
}

// ---------------------------------------------------------------------------------------------
// Generators: for every field a valid and a broken value; a run breaks a random subset of fields.

/** Strings that look like identifiers but break a rule (including non-ASCII look-alikes). */
const badClusterId = fc.oneof(
  fc.constantFrom('', '1abc', 'a--b', 'abc-', '-abc', 'Orders_DB', 'orders db', 'orders.db', 'a'.repeat(64), 'ördersdb', 'orders-db\n', 'ﬁle', '\u212Aafka-db', 'orders-\u212A8s'),
  fc.string({ maxLength: 70 }).filter((s) => !isClusterId(s)),
  clusterIdentifier.map((id) => `${id}-`),
  clusterIdentifier.filter((id) => id.length > 1).map((id) => `${id[0]}--${id.slice(1)}`),
);

const clusterIdsValid = fc.option(fc.uniqueArray(clusterIdentifier, { maxLength: 5, selector: (id) => id.toLowerCase() }), { nil: undefined });
const clusterIdsBroken = fc.oneof(
  fc.tuple(fc.uniqueArray(clusterIdentifier, { maxLength: 3, selector: (id) => id.toLowerCase() }), badClusterId, fc.nat()).map(([ids, bad, at]) => {
    const out = [...ids];
    out.splice(at % (ids.length + 1), 0, bad);
    return out;
  }),
  // The same cluster twice, spelled differently.
  clusterIdentifier.map((id) => ['orders-db', id, id.toUpperCase()]),
);

const tagKeyValid = fc.oneof(
  fc.constantFrom('share-snapshots', 'Team', 'a', 'k'.repeat(128), 'awsome', 'rds-clusters', 'x:aws:y', 'project/tier'),
  fc.string({ minLength: 1, maxLength: 128 }).filter((k) => !/^(aws|rds):/i.test(k)),
);
const tagValueValid = fc.oneof(fc.constantFrom('true', '', 'v'.repeat(256)), fc.string({ maxLength: 256 }));
const clusterTagValid = fc.option(fc.record({ key: tagKeyValid, value: tagValueValid }), { nil: undefined });
const clusterTagBroken = fc.oneof(
  fc.record({ key: fc.constantFrom('', 'aws:x', 'AWS:team', 'rds:cluster', 'Rds:', 'k'.repeat(129)), value: tagValueValid }),
  fc.record({ key: fc.constant('share'), value: fc.string({ minLength: 257, maxLength: 300 }) }),
);

const account = fc.stringMatching(/^[0-9]{12}$/).filter((a) => a !== OWN_ACCOUNT);
const targetsValid = fc.uniqueArray(account, { minLength: 1, maxLength: 20 });
const badAccount = fc.oneof(
  fc.constantFrom(OWN_ACCOUNT, '22222222222', '2222222222222', 'abcdefghijkl', ' 222222222222', '２２２２２２２２２２２２', '', '222222222222\n', '-22222222222'),
  fc.string({ maxLength: 14 }).filter((a) => !isAccount(a)),
);
const targetsBroken = fc.oneof(
  fc.constant([] as string[]),
  fc.uniqueArray(account, { minLength: 21, maxLength: 25 }),
  fc.tuple(fc.uniqueArray(account, { maxLength: 5 }), badAccount, fc.nat()).map(([ids, bad, at]) => {
    const out = [...ids];
    out.splice(at % (ids.length + 1), 0, bad);
    return out;
  }),
  account.map((a) => ['333333333333', a, a]),
);

const durationSpec: fc.Arbitrary<DurationSpec> = fc.oneof(
  fc.record({ unit: fc.constant('seconds' as const), numerator: fc.integer({ min: 0, max: 8_000_000 }), denominator: fc.constant(1 as const) }),
  fc.record({ unit: fc.constant('seconds' as const), numerator: fc.constantFrom(0, 1, 59, 60, 3599, 3600, 3601, 7200, 21600), denominator: fc.constant(1 as const) }),
  fc.record({ unit: fc.constant('millis' as const), numerator: fc.oneof(fc.integer({ min: 0, max: 4_000_000 }), fc.integer({ min: 0, max: 4000 }).map((n) => n * 1000)), denominator: fc.constant(1 as const) }),
  fc.record({ unit: fc.constantFrom('minutes' as const, 'hours' as const, 'days' as const), numerator: fc.integer({ min: 0, max: 400 }), denominator: fc.constantFrom(1 as const, 4 as const) }),
  fc.record({ unit: fc.constantFrom('seconds' as const, 'minutes' as const), numerator: fc.constant(0), denominator: fc.constant(1 as const), special: fc.constantFrom('NaN' as const, 'Infinity' as const) }),
);

/** A waitInterval and snapshotTimeout pair, near the boundaries (timeout ≈ interval and ≈ 2,000 × interval) as often as anywhere. */
const timing: fc.Arbitrary<[DurationSpec | undefined, DurationSpec | undefined]> = fc.oneof(
  fc.tuple(fc.option(durationSpec, { nil: undefined }), fc.option(durationSpec, { nil: undefined })),
  fc.tuple(fc.integer({ min: 1, max: 3600 }), fc.constantFrom(-1, 0, 1), fc.constantFrom(1, 2000)).map(([interval, delta, checks]): [
    DurationSpec,
    DurationSpec,
  ] => [
    { unit: 'seconds', numerator: interval, denominator: 1 },
    { unit: 'seconds', numerator: Math.max(0, interval * checks + delta), denominator: 1 },
  ]),
);

const retainValid = fc.option(fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constantFrom(1, 2, Number.MAX_SAFE_INTEGER)), { nil: undefined });
const retainBroken = fc.oneof(
  fc.constantFrom(0, -1, 1.5, 0.5, NaN, Infinity, -Infinity, Number.EPSILON),
  fc.double({ noInteger: true }),
  fc.integer({ max: 0 }),
);

const rateValid = fc.option(fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constantFrom(1, 100)), { nil: undefined });
const rateBroken = fc.oneof(fc.constantFrom(0, 101, -1, 1.5, NaN, Infinity, 1e9), fc.double({ noInteger: true }), fc.integer({ min: 101 }));

const prefixValid = fc.option(snapshotPrefix, { nil: undefined });
const prefixBroken = fc.oneof(
  fc.constantFrom('', 'Shared', 'a'.repeat(25), '1a', 'a--b', 'a-', 'a_b', 'sh ared', 'shäred', '-a'),
  fc.string({ maxLength: 30 }).filter((p) => !isPrefix(p)),
  identifier({ minLength: 25, maxLength: 40, lowercaseOnly: true }),
);

interface Case {
  readonly props: SharedClusterSnapshotsProps;
  readonly timing: [DurationSpec | undefined, DurationSpec | undefined];
}

/** Valid props with a random subset of fields broken (the empty subset a quarter of the time). */
const cases: fc.Arbitrary<Case> = fc
  .record({
    breaks: fc.oneof({ weight: 1, arbitrary: fc.constant([] as string[]) }, { weight: 3, arbitrary: fc.subarray(['clusterIdentifiers', 'clusterTag', 'targetAccountIds', 'retainSnapshots', 'snapshotPrefix', 'rdsRequestsPerSecond']) }),
    ids: fc.tuple(clusterIdsValid, clusterIdsBroken),
    tag: fc.tuple(clusterTagValid, clusterTagBroken),
    targets: fc.tuple(targetsValid, targetsBroken),
    timing,
    retain: fc.tuple(retainValid, retainBroken),
    prefix: fc.tuple(prefixValid, prefixBroken),
    rate: fc.tuple(rateValid, rateBroken),
    allowUnencrypted: fc.option(fc.boolean(), { nil: undefined }),
  })
  .map((c) => {
    const pick = <T>(name: string, [valid, broken]: [T, T]): T => (c.breaks.includes(name) ? broken : valid);
    let clusterIdentifiers = pick('clusterIdentifiers', c.ids);
    const clusterTag = pick('clusterTag', c.tag);
    // Keep "all valid" valid: give a cluster when the valid choices happen to give neither.
    if (!c.breaks.includes('clusterIdentifiers') && (clusterIdentifiers ?? []).length === 0 && !clusterTag) clusterIdentifiers = ['orders-db'];
    const [wait, timeout] = c.timing;
    return {
      timing: c.timing,
      props: {
        clusterIdentifiers,
        clusterTag,
        targetAccountIds: pick('targetAccountIds', c.targets),
        waitInterval: wait && toDuration(wait),
        snapshotTimeout: timeout && toDuration(timeout),
        retainSnapshots: pick('retainSnapshots', c.retain),
        snapshotPrefix: pick('snapshotPrefix', c.prefix),
        rdsRequestsPerSecond: pick('rdsRequestsPerSecond', c.rate),
        allowUnencrypted: c.allowUnencrypted,
      },
    };
  });

/** The props' problems one error reports: a ValidationError's list, or a later check's plain Error as one. */
function problemsOf(error: unknown): string[] {
  expect(error).toBeInstanceOf(Error);
  const e = error as Error & { constructPath?: string; problems?: string[] };
  if (e.name === 'ValidationError') {
    expect(e.constructPath).toBe('S/S');
    expect(e.message).toBe(`SharedClusterSnapshots at path [S/S] has invalid props:\n${e.problems!.map((p) => `- ${p}`).join('\n')}`);
    expect(e.problems!.length).toBeGreaterThan(0);
    return e.problems!;
  }
  // The checks after validation (IAM policy and environment sizes) throw a plain Error.
  expect(Object.getPrototypeOf(e)).toBe(Error.prototype);
  return [e.message];
}

/** The prop a problem is about: the one its message starts with. */
function leadingProp(problem: string): string | undefined {
  return /^(?:Give )?([a-zA-Z]+)/.exec(problem)?.[1];
}

function newStack(): Stack {
  return new Stack(new App(), 'S', { env: { account: OWN_ACCOUNT, region: 'eu-west-1' } });
}

function construct(props: SharedClusterSnapshotsProps, stack: Stack = newStack()): unknown {
  try {
    new SharedClusterSnapshots(stack, 'S', props);
    return undefined;
  } catch (error) {
    return error;
  }
}

/**
 * Lambda's limit on a function's environment: 4 KB, measured on the variables as compact JSON
 * (its error reads "...exceeded the 4KB limit. String measured: {"KEY":"value",...}").
 */
const LAMBDA_ENVIRONMENT_LIMIT = 4096;
/** Realistic deploy-time values of the variables that are tokens at synth time. */
const DEPLOY_TIME_VALUES: Record<string, string> = {
  SHARING_KEY_ARN: `arn:aws:kms:eu-west-1:${OWN_ACCOUNT}:key/11111111-2222-3333-4444-555555555555`,
  STATE_MACHINE_ARN: `arn:aws:states:eu-west-1:${OWN_ACCOUNT}:stateMachine:${'S'.repeat(80)}`,
};

/** The largest environment, in bytes of compact JSON, of any function in the stack, with its path. */
function largestEnvironment(stack: Stack): { bytes: number; path: string } {
  let largest = { bytes: 0, path: '' };
  for (const fn of stack.node.findAll().filter((c): c is CfnFunction => c instanceof CfnFunction)) {
    const variables = (stack.resolve(fn.environment) as { variables?: Record<string, unknown> } | undefined)?.variables ?? {};
    const deployed = Object.fromEntries(Object.entries(variables).map(([key, value]) => {
      if (typeof value === 'string') return [key, value];
      if (!(key in DEPLOY_TIME_VALUES)) throw new Error(`No deploy-time stand-in for token variable ${key}`);
      return [key, DEPLOY_TIME_VALUES[key]];
    }));
    const bytes = Buffer.byteLength(JSON.stringify(deployed));
    if (bytes > largest.bytes) largest = { bytes, path: fn.node.path };
  }
  return largest;
}

describe('SharedClusterSnapshots props', () => {
  test('build when valid; otherwise throw one ValidationError naming every broken prop, and only broken ones lead a problem', () => {
    fc.assert(
      fc.property(cases, ({ props, timing: [wait, timeout] }) => {
        const broken = new Set([...brokenProps(props), ...brokenTiming(wait, timeout)]);
        const error = construct(props);
        if (broken.size === 0) {
          expect(error).toBeUndefined();
          return;
        }
        expect((error as Error).name).toBe('ValidationError');
        const problems = problemsOf(error);
        for (const problem of problems) {
          expect(problem).toMatch(MESSAGE);
          expect(broken).toContain(leadingProp(problem));
        }
        const unnamed = [...broken].filter((prop) => !problems.some((problem) => problem.includes(prop)));
        expect(unnamed).toEqual([]);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  test('a cluster identifier with a non-ASCII character is rejected, even one that lowercases to ASCII', () => {
    // U+212A KELVIN SIGN lowercases to 'k'; the others stay non-ASCII.
    const lookAlike = fc.constantFrom('\u212A', 'ö', 'ß', 'ı', 'ſ', 'İ', 'ﬁ', 'Ａ');
    fc.assert(
      fc.property(identifier({ minLength: 2, maxLength: 40 }), lookAlike, fc.nat(), (id, char, at) => {
        const i = at % id.length;
        const bad = `${id.slice(0, i)}${char}${id.slice(i + 1)}`;
        const error = construct({ clusterIdentifiers: [bad], targetAccountIds: ['222222222222'] });
        expect(problemsOf(error)).toEqual([expect.stringMatching(/^clusterIdentifiers contains/)]);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  test('props it accepts give every function an environment within Lambda\'s 4 KB limit', () => {
    // A stack that builds but cannot deploy should fail at synth instead. The cluster list is cut
    // either anywhere or just below what still fits compressed (3 KB of gzip+base64, where the
    // construct draws the line), with the other settings at or near their longest.
    const longestFitting = (ids: string[]): number => {
      let n = ids.length;
      while (n > 0 && gzipSync(Buffer.from(ids.slice(0, n).join(',')), { level: 9 }).toString('base64').length > 3072) n--;
      return n;
    };
    fc.assert(
      fc.property(
        // Not shrunk: shrinking 80 ids would rebuild the stack thousands of times, and the cut below says how many matter.
        fc.noShrink(fc.uniqueArray(identifier({ minLength: 56, maxLength: 63, lowercaseOnly: true }), { minLength: 80, maxLength: 80 })),
        fc.oneof(
          { weight: 1, arbitrary: fc.nat({ max: 80 }).map((n) => ({ fill: false, n })) },
          { weight: 2, arbitrary: fc.nat({ max: 3 }).map((n) => ({ fill: true, n })) },
        ),
        fc.oneof(
          { weight: 1, arbitrary: fc.option(fc.record({ key: fc.string({ minLength: 1, maxLength: 128 }).filter((k) => !/^(aws|rds):/i.test(k)), value: fc.string({ maxLength: 256 }) }), { nil: undefined }) },
          { weight: 1, arbitrary: fc.record({ key: fc.constant('k'.repeat(128)), value: fc.noShrink(fc.string({ minLength: 256, maxLength: 256, unit: 'grapheme' })) }) },
          { weight: 2, arbitrary: fc.constantFrom({ key: 'k'.repeat(128), value: 'v'.repeat(256) }, { key: 'k'.repeat(128), value: 'é'.repeat(256) }) },
        ),
        fc.oneof(
          { weight: 1, arbitrary: fc.noShrink(targetsValid) },
          { weight: 2, arbitrary: fc.noShrink(fc.uniqueArray(account, { minLength: 20, maxLength: 20 })) },
        ),
        fc.oneof(
          { weight: 1, arbitrary: fc.option(snapshotPrefix, { nil: undefined }) },
          { weight: 2, arbitrary: identifier({ minLength: 24, maxLength: 24, lowercaseOnly: true }) },
        ),
        (pool, cut, clusterTag, targetAccountIds, prefix) => {
          const clusterIdentifiers = pool.slice(0, cut.fill ? Math.max(0, longestFitting(pool) - cut.n) : cut.n);
          fc.pre(clusterIdentifiers.length > 0 || clusterTag !== undefined);
          const stack = newStack();
          const props = { clusterIdentifiers, clusterTag, targetAccountIds, snapshotPrefix: prefix, retainSnapshots: 100, rdsRequestsPerSecond: 100 };
          const error = construct(props, stack);
          if (error !== undefined) {
            for (const problem of problemsOf(error)) expect(problem).toMatch(MESSAGE);
            return;
          }
          const largest = largestEnvironment(stack);
          if (largest.bytes > LAMBDA_ENVIRONMENT_LIMIT) {
            throw new Error(
              `${largest.path}'s environment is ${largest.bytes} bytes; Lambda allows ${LAMBDA_ENVIRONMENT_LIMIT}. ` +
              `${clusterIdentifiers.length} clusters (${clusterIdentifiers.join(',').length} characters), ` +
              `clusterTag key ${clusterTag?.key.length ?? '-'} / value ${clusterTag ? Buffer.byteLength(clusterTag.value) : '-'} bytes, ` +
              `${targetAccountIds.length} target accounts, snapshotPrefix ${prefix === undefined ? 'default' : `of ${prefix.length}`}`,
            );
          }
        },
      ),
      { seed: SEED, numRuns: 40 },
    );
  });

  test('any props at all: construct, or an error whose every problem names a prop', () => {
    // No oracle here: only that whatever goes wrong is reported in this library's words.
    const anyDuration = fc.option(durationSpec.map(toDuration), { nil: undefined });
    const anyProps = fc.record({
      clusterIdentifiers: fc.option(fc.array(fc.oneof(clusterIdentifier, badClusterId), { maxLength: 4 }), { nil: undefined }),
      clusterTag: fc.option(fc.record({ key: fc.string({ maxLength: 140 }), value: fc.string({ maxLength: 300 }) }), { nil: undefined }),
      targetAccountIds: fc.array(fc.oneof(account, badAccount), { maxLength: 22 }),
      waitInterval: anyDuration,
      snapshotTimeout: anyDuration,
      retainSnapshots: fc.option(fc.oneof(fc.integer({ min: -5, max: 10 }), fc.double()), { nil: undefined }),
      snapshotPrefix: fc.option(fc.oneof(snapshotPrefix, prefixBroken), { nil: undefined }),
      rdsRequestsPerSecond: fc.option(fc.oneof(rateValid, rateBroken), { nil: undefined }),
      allowUnencrypted: fc.option(fc.boolean(), { nil: undefined }),
    });
    fc.assert(
      fc.property(anyProps, (props) => {
        const error = construct(props);
        if (error === undefined) return;
        for (const problem of problemsOf(error)) {
          expect(MESSAGE.test(problem) || PROPS.some((p) => problem.includes(p))).toBe(true);
        }
      }),
      { seed: SEED, numRuns: 150 },
    );
  });
});
