import { awscdk } from 'projen';

/** Quiet toolchain output in every task. */
const QUIET_ENV = {
  CDK_DISABLE_CLI_TELEMETRY: 'true',
  JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20',
  // The handlers run on nodejs22.x; the SDK's notice about Node 20 is noise in local tools and tests.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

export function configureTypeScript(project: awscdk.AwsCdkConstructLibrary): void {
  for (const [name, value] of Object.entries(QUIET_ENV)) {
    project.tasks.addEnvironment(name, value);
  }
  // aws-local-stepfunctions ships ESM-typed declarations; nodenext lets CommonJS tests import them.
  const dev = project.tsconfigDev.file;
  dev.addOverride('compilerOptions.module', 'nodenext');
  dev.addOverride('compilerOptions.moduleResolution', 'nodenext');
  dev.addToArray('include', '.projenrc.ts');
  dev.addOverride('exclude', ['node_modules', 'lib', 'cdk.out', 'examples', 'dist', '.tmp', 'test/*.snapshot']);

  // Lint everything the dev tsconfig covers (tests and the simulator too), with its settings.
  const eslint = project.eslint!;
  eslint.addLintPattern('sim');
  // Handlers bundle their SDK clients from devDependencies; the simulator never ships.
  for (const pattern of ['sim/**', 'src/**/*.lambda.ts', 'src/**/*.lambda-shared.ts']) eslint.allowDevDeps(pattern);
  eslint.file.addOverride('parserOptions.projectService', false);
  eslint.file.addOverride('parserOptions.project', './tsconfig.dev.json');
  addEslintFixTask(project);
}

/**
 * `eslint:fix`: the lint task with `--fix` (its `$@`), for developers. The `eslint` task the build
 * runs has no `--fix` (.projenrc.ts), so a build never rewrites sources.
 */
function addEslintFixTask(project: awscdk.AwsCdkConstructLibrary): void {
  const lint = project.eslint!.eslintTask;
  if (lint.steps.some((step) => step.execArgs?.includes('--fix'))) {
    throw new Error('the eslint task the build runs must not have --fix: set eslintOptions.commandOptions.fix to false');
  }
  project.addTask('eslint:fix', {
    description: 'Runs eslint with --fix: rewrites sources to fix what it can (the build only lints)',
    steps: [{ spawn: lint.name, args: ['--fix'], receiveArgs: true }],
  });
}


/**
 * The import rules of CONTRIBUTING.md ("What may import what"), checked by
 * `build-tools/check-imports.ts` at the start of every `test` run (and so of every build and of
 * `.ci/run`): a violation fails the build, naming the file, the line and the import.
 */
export function addImportRulesCheck(project: awscdk.AwsCdkConstructLibrary): void {
  const check = project.addTask('check-imports', {
    description: 'Checks that handlers never import aws-cdk-lib, constructs or a construct file, and that src/ never imports sim/ or test/',
    env: { TS_NODE_TRANSPILE_ONLY: 'true' },
    exec: 'ts-node -P tsconfig.dev.json build-tools/check-imports.ts',
  });
  project.testTask.prependSpawn(check);
  project.addPackageIgnore('/build-tools/');
}
