// Set-up both sides' handler tests share (test/sharing/handlers/helpers.ts, test/receiving/helpers.ts).

/** An SDK v3 exception as the handlers see it: only `name` matters. */
export function awsError(name: string, message = `${name} (simulated)`): Error {
  return Object.assign(new Error(message), { name });
}

/** Fake timers that move only the clock: awaited SDK mocks still resolve. */
export function freezeTime(now: Date): void {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'], now });
}

/** Registers, for each test, the handler environment `env` and a frozen clock at `now`, both restored after it. */
export function useEnvironment(env: NodeJS.ProcessEnv, now: Date): void {
  const original = process.env;
  beforeEach(() => {
    process.env = { ...original, ...env };
    freezeTime(now);
  });
  afterEach(() => {
    jest.useRealTimers();
    process.env = original;
  });
}
