import { awscdk } from 'projen';

/** Simulator runs: ts-node, transpile-only (type-checking is the test task's job). */
const SIM_ENV = {
  TS_NODE_TRANSPILE_ONLY: 'true',
};

/** `demo` and `bench` run the local simulator from `sim/`; neither ships in the package. */
export function addSimulatorTasks(project: awscdk.AwsCdkConstructLibrary): void {
  const run = (script: string) => `ts-node -P tsconfig.dev.json -r ./test/setup/jest.setup.ts ${script}`;
  const bundle = project.tasks.tryFind('bundle')!;

  const demo = project.addTask('demo', {
    description: 'Simulates one scheduled run of an example app locally, with no AWS account',
    env: SIM_ENV,
  });
  demo.spawn(bundle);
  demo.exec(run('sim/demo.ts'));

  const bench = project.addTask('bench', {
    description: 'Benchmarks the construct against the original pattern in the simulator and writes BENCHMARKS.md',
    env: SIM_ENV,
  });
  bench.spawn(bundle);
  bench.exec(run('sim/bench.ts'));
}
