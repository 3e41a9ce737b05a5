import { awscdk, javascript, ReleasableCommits } from 'projen';
import { addIntegTests } from './projenrc/integ';
import { addBindingsTask, addRosettaCheck, configurePackageContents } from './projenrc/packaging';
import { runCiScriptInBuildWorkflow } from './projenrc/release';
import { addSimulatorTasks } from './projenrc/tasks';
import { addImportRulesCheck, configureTypeScript } from './projenrc/testing';

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
  // `engines.node` is `>= 20.0.0`; .ci/run also runs the tests on Node 22.
  minNodeVersion: '20.0.0',
  workflowNodeVersion: '20.x',

  // Pinned so the synthesized runtime does not drift with the newest one known at synth time.
  lambdaOptions: {
    runtime: awscdk.LambdaRuntime.NODEJS_22_X,
    // The Node.js 22 runtime ships SDK v3; keeping it external keeps the assets small.
    bundlingOptions: { externals: ['@aws-sdk/*'], sourcemap: false },
  },

  // SDK v3 clients are bundled-or-external handler dependencies, never runtime deps of the library.
  devDeps: [
    '@aws-sdk/client-rds@^3',
    '@aws-sdk/client-sfn@^3',
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
  ],

  typescriptVersion: '~5.9.0',
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
  gitignore: ['/cdk.out', '/sim-out', '*.tgz', '/.tmp'],
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
addImportRulesCheck(project);
configurePackageContents(project);
addRosettaCheck(project);
addBindingsTask(project);
addIntegTests(project);
addSimulatorTasks(project);
runCiScriptInBuildWorkflow(project);

project.synth();
