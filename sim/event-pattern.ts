/**
 * EventBridge event patterns (EventBridge User Guide, "Event patterns"): every field of the pattern
 * must match; a list of values matches when any matches the event's value (or any element of an
 * array value); a nested object matches the nested field. Supported value filters: literals,
 * `prefix`, `exists`, `anything-but` (literal or list). Any other filter throws, so a pattern the
 * simulator does not understand is never guessed at.
 */
export function matchesPattern(pattern: Record<string, unknown>, value: any): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = value?.[key];
    if (Array.isArray(expected)) return expected.some((filter) => matchesValue(filter, actual));
    if (expected && typeof expected === 'object') return actual !== null && typeof actual === 'object' && matchesPattern(expected as Record<string, unknown>, actual);
    throw new Error(`Event pattern field ${key} must be a list or an object, got ${JSON.stringify(expected)}`);
  });
}

function matchesValue(filter: unknown, actual: unknown): boolean {
  const values = Array.isArray(actual) ? actual : [actual];
  if (filter === null || typeof filter !== 'object') return actual !== undefined && values.some((v) => v === filter);
  const [[name, arg]] = Object.entries(filter as Record<string, unknown>);
  switch (name) {
    case 'exists': return (actual !== undefined) === arg;
    case 'prefix': return values.some((v) => typeof v === 'string' && v.startsWith(String(arg)));
    case 'anything-but': {
      const excluded = Array.isArray(arg) ? arg : [arg];
      return actual !== undefined && values.every((v) => !excluded.includes(v));
    }
    default: throw new Error(`The simulator does not support the event pattern filter ${name}`);
  }
}
