import fc from 'fast-check';

// Generators shared by the property tests. They are written from the RDS rules, not from the code
// under test, so a naming or validation change that breaks a rule shows up as a counterexample.

export const LOWER = 'abcdefghijklmnopqrstuvwxyz'.split('');
export const UPPER = LOWER.map((c) => c.toUpperCase());
export const DIGITS = '0123456789'.split('');

/** RDS identifier rules, written out independently of the code under test (stored lowercase). */
export function isRdsIdentifier(id: string): boolean {
  return id.length >= 1
    && id.length <= 63
    && /^[a-z][a-z0-9-]*$/.test(id)
    && !id.includes('--')
    && !id.endsWith('-')
    && id === id.toLowerCase();
}

export interface IdentifierOptions {
  readonly minLength: number;
  readonly maxLength: number;
  /** Only lowercase letters (a prefix); otherwise each identifier is lowercase or mixed case. */
  readonly lowercaseOnly?: boolean;
}

/**
 * A valid identifier: a letter, then letters, digits and single hyphens, no trailing hyphen.
 * About one character in five becomes a hyphen where the rules allow one.
 */
export function identifier(options: IdentifierOptions): fc.Arbitrary<string> {
  const letters = options.lowercaseOnly ? LOWER : [...LOWER, ...UPPER];
  const alnum = [...letters, ...DIGITS];
  return fc
    .integer({ min: options.minLength, max: options.maxLength })
    .chain((length) =>
      fc.tuple(
        fc.constantFrom(...letters),
        fc.array(fc.constantFrom(...alnum), { minLength: length - 1, maxLength: length - 1 }),
        fc.array(fc.integer({ min: 0, max: 4 }).map((n) => n === 0), { minLength: length - 1, maxLength: length - 1 }),
        options.lowercaseOnly ? fc.constant(true) : fc.boolean(),
      ),
    )
    .map(([first, rest, hyphens, lowercase]) => {
      const chars = [first, ...rest];
      // Position 0 is the letter and the last position never a hyphen; never two hyphens in a row.
      for (let i = 1; i < chars.length - 1; i++) {
        if (hyphens[i - 1] && chars[i - 1] !== '-') chars[i] = '-';
      }
      const id = chars.join('');
      return lowercase ? id.toLowerCase() : id;
    });
}

/** Valid cluster identifiers, short ones (kept whole) and long ones (shortened with a hash) alike. */
export const clusterIdentifier: fc.Arbitrary<string> = fc.oneof(
  identifier({ minLength: 1, maxLength: 20 }),
  identifier({ minLength: 21, maxLength: 45 }),
  identifier({ minLength: 46, maxLength: 63 }),
  identifier({ minLength: 63, maxLength: 63 }),
);

/** Valid snapshot prefixes: 1-24 lowercase characters. */
export const snapshotPrefix: fc.Arbitrary<string> = fc.oneof(
  fc.constant('shared'),
  identifier({ minLength: 1, maxLength: 24, lowercaseOnly: true }),
  identifier({ minLength: 24, maxLength: 24, lowercaseOnly: true }),
);

/** Times whose run ids are valid: 2000 to 2199, so the ISO year has four digits. */
export const runTime: fc.Arbitrary<Date> = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2199-12-31T23:59:59Z'),
  noInvalidDate: true,
});

/** A random 12-digit run id (any digits, not necessarily a real minute). */
export const twelveDigits: fc.Arbitrary<string> = fc.array(fc.constantFrom(...DIGITS), { minLength: 12, maxLength: 12 }).map((d) => d.join(''));

/** Owner ids as the construct derives them: `<stack name>/<construct path below the stack>`. */
export const ownerId: fc.Arbitrary<string> = fc
  .tuple(
    fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,127}$/),
    fc.array(fc.stringMatching(/^[A-Za-z0-9_.:=+@ -]{1,30}$/), { minLength: 1, maxLength: 4 }),
  )
  .map(([stack, path]) => `${stack}/${path.join('/')}`);
