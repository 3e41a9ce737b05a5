import { awscdk } from 'projen';

/**
 * `@aws-cdk/integ-tests-alpha` is versioned with aws-cdk-lib and needs an aws-cdk-lib at least as
 * new as itself. The registry has no 2.186.0-alpha.0, so this is the newest release not newer than
 * the minimum aws-cdk-lib the library supports (2.186.0): its peer range is `^2.179.0`.
 */
const INTEG_TESTS_VERSION = '2.179.0-alpha.0';
/** The integ-runner CLI is versioned on its own; it reads the cloud assemblies of older aws-cdk-libs. */
const INTEG_RUNNER_VERSION = '^2.197.10';

/**
 * `test/integ.*.ts` are integ-runner tests: CDK apps with `IntegTest` assertions, deployed to a real
 * account only on request (see CONTRIBUTING.md). Their snapshots (`test/integ.*.ts.snapshot/`) are
 * committed without asset bodies and checked offline by the `test` task, so a change that alters the
 * deployed template fails the build until the snapshot is updated on purpose.
 */
export function addIntegTests(project: awscdk.AwsCdkConstructLibrary): void {
  project.addDevDeps(`@aws-cdk/integ-tests-alpha@${INTEG_TESTS_VERSION}`, `@aws-cdk/integ-runner@${INTEG_RUNNER_VERSION}`);

  // The apps run through ts-node; the `test` task type-checks them with tsc already.
  const env = { TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_PROJECT: 'tsconfig.dev.json' };
  const runner = 'integ-runner --language typescript --directory test';

  const check = project.addTask('integ', {
    description: 'Checks the integ test snapshots against a fresh synth (offline, deploys nothing)',
    env,
    exec: runner,
    receiveArgs: true,
  });
  project.addTask('integ:snapshot', {
    description: 'Rewrites the integ test snapshots from a fresh synth, without deploying (review the diff)',
    env,
    exec: `${runner} --update-on-failed --dry-run`,
    receiveArgs: true,
  });
  project.addTask('integ:deploy', {
    description: 'Deploys every integ test to the account of the current AWS credentials, runs its assertions, destroys it and updates the snapshot',
    env,
    exec: `${runner} --update-on-failed --force --disable-update-workflow`,
    receiveArgs: true,
  });
  project.testTask.spawn(check);

  // integ-runner's scratch output, and the snapshots' asset bodies (bundled handlers, large and
  // rebuilt on every synth; the templates reference them by hash, which the check ignores).
  project.gitignore.exclude('/test/cdk-integ.out.*', '/test/*.snapshot/asset.*');
}
