import { awscdk } from 'projen';

/**
 * esbuild flags added to every handler bundle.
 * `externals` and `sourcemap`, so the bundle tasks it generates are extended here: minified to keep
 * the package small with the SDK bundled in, the SDK's ES module builds preferred (they tree-shake
 * to about 60% of the CommonJS size), names kept so error classes and stack traces stay readable,
 * and esbuild's per-file size report silenced (it is noise before the demo's output).
 */
const EXTRA_ESBUILD_FLAGS = ['--minify', '--keep-names', '--main-fields=module,main', '--log-level=warning'];

export function minifyHandlerBundles(project: awscdk.AwsCdkConstructLibrary): void {
  const bundles = project.tasks.all.filter((task) => /^bundle:.+\.lambda$/.test(task.name));
  if (bundles.length === 0) throw new Error('expected projen to generate the handler bundle tasks');
  for (const task of bundles) {
    const [step, ...rest] = task.steps;
    if (!step?.execArgs || step.execArgs[0] !== 'esbuild' || rest.length > 0) {
      throw new Error(`unexpected steps in ${task.name}: ${JSON.stringify(task.steps)}`);
    }
    task.reset();
    task.addSteps({ ...step, execArgs: [...step.execArgs, ...EXTRA_ESBUILD_FLAGS] });
  }
}
