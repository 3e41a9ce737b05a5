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
}

