import { awscdk } from 'projen';

/**
 * Where `.ci/run` and the local checks put generated things that are never committed: the four
 * language bindings, the Node 22 toolchain, scratch copies of the examples.
 */
export const SCRATCH_DIR = '.tmp';

/**
 * What ships in the npm package: `lib/` (without source maps), the pre-bundled handlers in
 * `assets/`, the jsii assembly, README, API.md and LICENSE. `test/package/tarball.test.ts` checks it.
 * CHANGELOG.md and MIGRATING.md stay in the repository (npm's page links the README's relative links there).
 */
export function configurePackageContents(project: awscdk.AwsCdkConstructLibrary): void {
  for (const pattern of [
    '/sim/', '/examples/', '/.ci/', '/BENCHMARKS.md', `/${SCRATCH_DIR}/`, '/projenrc/', '/sim-out/',
    '/rosetta/', '/CONTRIBUTING.md', '/CHANGELOG.md', '/MIGRATING.md', '/cdk.out/', '*.tgz', '/coverage/',
  ]) {
    project.addPackageIgnore(pattern);
  }

  // The compiled library ships without source maps: inline maps with their sources were about twice
  // the size of the code. Tests and tools run from the TypeScript sources and keep their maps.
  project.tsconfig!.file.addOverride('compilerOptions.inlineSourceMap', false);
  project.tsconfig!.file.addOverride('compilerOptions.inlineSources', false);
  project.tsconfigDev.file.addOverride('compilerOptions.inlineSourceMap', true);
  project.tsconfigDev.file.addOverride('compilerOptions.inlineSources', true);
}

/**
 * README and JSDoc `@example` snippets compile, or the build fails: jsii-rosetta compiles every
 * TypeScript snippet of the assembly (the README is part of it) against the fixtures in `rosetta/`.
 */
export function addRosettaCheck(project: awscdk.AwsCdkConstructLibrary): void {
  const rosetta = project.addTask('rosetta:extract', {
    description: 'Compiles every TypeScript example in README.md and the JSDoc @example blocks (fails on any error)',
    exec: 'jsii-rosetta extract --strict',
  });
  project.postCompileTask.spawn(rosetta);
  // The tablet is a build output (and what jsii-pacmak translates the examples with).
  project.gitignore.exclude('/.jsii.tabl.json');
  project.addPackageIgnore('/.jsii.tabl.json');
}

/**
 * `bindings`: generates the Python, Java, .NET and Go sources with jsii-pacmak, offline (no
 * toolchains, no registries), into `.tmp/bindings/<language>`. `.ci/run` runs it after the build.
 */
export function addBindingsTask(project: awscdk.AwsCdkConstructLibrary): void {
  project.addTask('bindings', {
    description: `Generates the Python, Java, .NET and Go bindings (code only) into ${SCRATCH_DIR}/bindings`,
    steps: [
      { exec: `rm -rf ${SCRATCH_DIR}/bindings` },
      {
        exec: `jsii-pacmak --code-only --target python --target java --target dotnet --target go --outdir ${SCRATCH_DIR}/bindings`,
      },
    ],
  });
}

/**
 * `docgen` writes API.md with `build-tools/docgen.ts`, which documents the dependencies at the versions
 * Node.js resolves here (the declared minimums). Plain `jsii-docgen` picks the newest `.jsii` it finds
 * anywhere under `node_modules`, such as projen's own newer `constructs`, and so documented
 * `Construct.with()`, which constructs 10.0.5 lacks. `test/package/api-docs.test.ts` checks API.md.
 */
export function documentDeclaredMinimums(project: awscdk.AwsCdkConstructLibrary): void {
  const docgen = project.tasks.tryFind('docgen');
  if (!docgen) throw new Error('expected projen to generate the docgen task');
  docgen.reset('ts-node -P tsconfig.dev.json build-tools/docgen.ts');
  docgen.env('TS_NODE_TRANSPILE_ONLY', 'true');
}
