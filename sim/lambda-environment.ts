import { AsyncLocalStorage } from 'async_hooks';

/**
 * Each handler sees only its own function's environment, as in Lambda, although every handler
 * runs in this one process and their invocations interleave: `process.env` is replaced by a view
 * that, inside an invocation, answers from that function's variables and hides every variable any
 * simulated function sets but this one does not. Outside an invocation it is the real environment.
 */
const current = new AsyncLocalStorage<Record<string, string>>();

export class LambdaEnvironments {
  private readonly original: NodeJS.ProcessEnv;

  /** `hidden`: every variable some simulated function sets. */
  constructor(hidden: Iterable<string>) {
    this.original = process.env;
    const base = this.original;
    const hiddenKeys = new Set(hidden);
    const own = (key: string | symbol): { found: boolean; value?: string } => {
      const env = current.getStore();
      if (typeof key !== 'string') return { found: false };
      if (env && key in env) return { found: true, value: env[key] };
      if (env && hiddenKeys.has(key)) return { found: true, value: undefined };
      return { found: false };
    };
    process.env = new Proxy(base, {
      get: (target, key) => {
        const o = own(key);
        return o.found ? o.value : Reflect.get(target, key);
      },
      has: (target, key) => {
        const o = own(key);
        return o.found ? o.value !== undefined : Reflect.has(target, key);
      },
      ownKeys: (target) => {
        const env = current.getStore();
        if (!env) return Reflect.ownKeys(target);
        return [...new Set([...Reflect.ownKeys(target).filter((k) => typeof k !== 'string' || !hiddenKeys.has(k)), ...Object.keys(env)])];
      },
      getOwnPropertyDescriptor: (target, key) => {
        const o = own(key);
        if (!o.found) return Reflect.getOwnPropertyDescriptor(target, key);
        return o.value === undefined ? undefined : { value: o.value, writable: true, enumerable: true, configurable: true };
      },
    });
  }

  /** Runs `fn` (and everything it awaits) with `environment` as the function's environment. */
  public run<T>(environment: Record<string, string>, fn: () => T): T {
    return current.run({ ...environment }, fn);
  }

  public uninstall(): void {
    process.env = this.original;
  }
}
