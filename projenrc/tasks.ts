import { awscdk } from 'projen';

/** Simulator runs: ts-node, transpile-only (type-checking is the test task's job). */
const SIM_ENV = {
  TS_NODE_TRANSPILE_ONLY: 'true',
};

/**
 * The demo prints only its own output: `build-tools/demo.sh` bundles the handlers with their output
 * held back (shown only when bundling fails), then runs the simulator. The README runs it as
 * `npm run --silent demo`, which prints nothing else; `npx projen demo` adds one projen banner line
 * (projen logs every step it runs, on stderr). `.ci/run` checks that the demo's first line is its title.
 */
const DEMO_COMMAND = 'sh build-tools/demo.sh';

/** `demo` and `bench` run the local simulator from `sim/`; neither ships in the package. */
export function addSimulatorTasks(project: awscdk.AwsCdkConstructLibrary): void {
  const run = (script: string) => `ts-node -P tsconfig.dev.json -r ./test/setup/jest.setup.ts ${script}`;
  const bundle = project.tasks.tryFind('bundle')!;

  project.addTask('demo', {
    description: 'Simulates one scheduled run of an example app locally, with no AWS account',
    exec: DEMO_COMMAND,
  });
  // npm runs the script itself rather than `projen demo`, so the README's command has no banner.
  project.package.setScript('demo', DEMO_COMMAND);

  const bench = project.addTask('bench', {
    description: 'Benchmarks the construct against the original pattern in the simulator and writes BENCHMARKS.md',
    env: SIM_ENV,
  });
  bench.spawn(bundle);
  bench.exec(run('sim/bench.ts'));
}

/**
 * `changelog`: writes CHANGELOG.md from the Conventional Commits in `git log` (build-tools/changelog.ts),
 * with a link from each breaking change to its note in MIGRATING.md. Run it and commit the result;
 * the build does not, as a shallow clone has no history to read.
 */
export function addChangelogTask(project: awscdk.AwsCdkConstructLibrary): void {
  project.addTask('changelog', {
    description: 'Writes CHANGELOG.md from the conventional commits (breaking changes, features, fixes) since each release tag',
    exec: 'ts-node -P tsconfig.dev.json build-tools/changelog.ts',
  });
}

/**
 * `test:quick`: the handler bundles and the jest suite, without coverage, the type-check of the
 * tests, lint, jsii, rosetta or the integ snapshot, for a fast loop while developing. Arguments go to
 * jest (`npx projen test:quick test/receiving`). The build runs the full `test` task.
 */
export function addQuickTestTask(project: awscdk.AwsCdkConstructLibrary): void {
  const quick = project.addTask('test:quick', {
    description: 'Bundles the handlers and runs jest without coverage (no type-check, lint, jsii or integ); args go to jest',
  });
  quick.spawn(project.tasks.tryFind('bundle')!);
  quick.exec('jest --passWithNoTests --ci --coverage=false', { receiveArgs: true });
}
