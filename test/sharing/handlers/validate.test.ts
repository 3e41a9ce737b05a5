import { App, Stack } from 'aws-cdk-lib';
import { IDENTIFIER_RULE, identifierRule, PREFIX_RULE } from '../../../src/shared/naming.lambda-shared';
import { optionalRunId, preview, PREVIEW_LENGTH, requireClusterIdentifier } from '../../../src/shared/validate.lambda-shared';
import { validateProps } from '../../../src/sharing/validation';

describe('preview', () => {
  test.each<[unknown, string]>([
    ['orders-db', '"orders-db"'],
    [42, '42'],
    [null, 'null'],
    [undefined, 'undefined'],
    [{ a: [1] }, '{"a":[1]}'],
  ])('quotes %p as its JSON', (value, expected) => {
    expect(preview(value)).toBe(expected);
  });

  test(`cuts a long value to ${PREVIEW_LENGTH} characters`, () => {
    expect(preview('x'.repeat(500))).toBe(`"${'x'.repeat(PREVIEW_LENGTH - 1)}`);
  });

  test('never throws: a BigInt or a cycle falls back to String', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(preview(10n)).toBe('10');
    expect(preview(cycle)).toBe('[object Object]');
  });

  test('is what the input checks quote', () => {
    expect(() => optionalRunId('x'.repeat(500), 'runId')).toThrow(`got ${preview('x'.repeat(500))}`);
    expect(() => requireClusterIdentifier(10n, 'clusterIdentifier')).toThrow(/got 10$/);
  });
});

describe('the identifier rule is stated once', () => {
  test('in words that name the length, the first letter, double and trailing hyphens', () => {
    expect(IDENTIFIER_RULE).toBe("1-63 letters, digits or hyphens, starting with a letter, with no '--' and no trailing hyphen");
    expect(PREFIX_RULE).toBe("1-24 lowercase letters, digits or hyphens, starting with a letter, with no '--' and no trailing hyphen");
    expect(identifierRule(10, true)).toMatch(/^1-10 lowercase letters/);
  });

  test('the handlers\' input check and the construct\'s prop validation quote the same text', () => {
    expect(() => requireClusterIdentifier('orders--db', 'clusterIdentifier')).toThrow(`(${IDENTIFIER_RULE})`);
    const stack = new Stack(new App(), 'S', { env: { account: '111111111111', region: 'eu-west-1' } });
    expect(() => validateProps(stack, { clusterIdentifiers: ['orders--db'], targetAccountIds: ['222222222222'] }))
      .toThrow(`not a DB cluster identifier: ${IDENTIFIER_RULE}`);
    expect(() => validateProps(stack, { clusterIdentifiers: ['orders-db'], targetAccountIds: ['222222222222'], snapshotPrefix: 'Shared' }))
      .toThrow(`snapshotPrefix must be ${PREFIX_RULE}`);
  });
});
