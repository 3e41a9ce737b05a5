import { awscdk } from 'projen';

/**
 * The `bundle` task (run before jsii, and by `demo`, `bench` and `test:quick`) bundles the handlers
 * one module per side with `build-tools/bundle-handlers.ts`: the handlers of `src/<side>/handlers/`
 * share `assets/<side>/handlers/<side>.js`, so each side carries the AWS SDK clients once (the
 * package ships `assets/`; test/package/ holds its size budget and checks the sharing).
 *
 * projen's lambda auto-discovery is off (`.projenrc.ts`): it bundles each handler on its own, with
 * its own copy of the SDK, and generates a `*-function.ts` class per handler. The script finds the
 * sides and their handlers when it runs, so a new `*.lambda.ts` needs no change here; the constructs
 * name its export (`src/shared/bundled-handler.ts`).
 */
export function bundleHandlersPerSide(project: awscdk.AwsCdkConstructLibrary): void {
  const bundle = project.bundler.bundleTask;
  if (bundle.steps.length > 0) throw new Error(`expected an empty bundle task (lambda auto-discovery off), found ${JSON.stringify(bundle.steps)}`);
  bundle.env('TS_NODE_TRANSPILE_ONLY', 'true');
  bundle.exec('ts-node -P tsconfig.dev.json build-tools/bundle-handlers.ts');
}
