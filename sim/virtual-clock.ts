import * as FakeTimers from '@sinonjs/fake-timers';

/**
 * Virtual time for the whole process: Wait states, Retry pauses, Date.now() in handlers and
 * snapshot progress in the fake RDS all read the same clock, so a day passes in seconds.
 * Promise machinery (nextTick, setImmediate, microtasks) stays real.
 */
export class VirtualClock {
  private readonly clock: ReturnType<typeof FakeTimers.install>;

  constructor(start: Date) {
    this.clock = FakeTimers.install({
      now: start,
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
      loopLimit: 10_000_000,
    });
  }

  public now(): number {
    return this.clock.now;
  }

  /** Runs timers in time order, letting promises settle in between, until `done()` or no timer is left. */
  public async runUntil(done: () => boolean): Promise<void> {
    for (let idle = 0; !done() && idle < 1000;) {
      await flushPromises();
      if (done()) return;
      if (this.clock.countTimers() === 0) {
        idle++;
        continue;
      }
      idle = 0;
      await this.clock.nextAsync();
    }
  }

  /** Advances virtual time by `ms`, firing every timer due on the way. */
  public async advance(ms: number): Promise<void> {
    await this.clock.tickAsync(ms);
  }

  public uninstall(): void {
    this.clock.uninstall();
  }
}

/** Lets every pending promise chain run to its next real wait. */
export async function flushPromises(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
