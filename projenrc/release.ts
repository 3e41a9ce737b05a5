import { awscdk, JsonPatch, TestFailureBehavior } from 'projen';

/**
 * The pull-request build runs exactly what `.ci/run` runs (build, demo, bench, the examples'
 * synth, the four bindings and the Node 22 test run), instead of `npx projen build` alone.
 * projen's build workflow is kept for everything around it: the self-mutation check, the build
 * artifact, and the package-* jobs that package every language with its real toolchain.
 */
export function runCiScriptInBuildWorkflow(project: awscdk.AwsCdkConstructLibrary): void {
  const build = project.github?.tryFindWorkflow('build');
  if (!build?.file) throw new Error('expected projen to generate the build workflow');
  const step = '/jobs/build/steps/3';
  build.file.patch(
    // Fails the synth if projen ever moves the step, instead of replacing the wrong one.
    JsonPatch.test(`${step}/name`, 'build', TestFailureBehavior.FAIL_SYNTHESIS),
    JsonPatch.test(`${step}/run`, 'npx projen build', TestFailureBehavior.FAIL_SYNTHESIS),
    JsonPatch.replace(`${step}/name`, 'build, demo, bench, examples, bindings, Node 22 tests (.ci/run)'),
    JsonPatch.replace(`${step}/run`, 'bash .ci/run'),
  );
}
