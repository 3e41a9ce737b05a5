import { spawnSync } from 'child_process';
import * as path from 'path';
import { projectFixtures } from './fixtures';
import { checkImports, RULES } from '../../build-tools/check-imports';

const PROJECT_ROOT = path.resolve(__dirname, '../..');
const SCRIPT = path.join(PROJECT_ROOT, 'build-tools/check-imports.ts');

/** A project root in a temporary folder holding `files` (project path → content). */
const fixture = projectFixtures('check-imports-');

/** Every rule broken at once, next to imports that are allowed. */
const BROKEN = {
  'src/shared/constants.ts': "import { hostname } from 'os';\nexport const HOST = hostname();\n",
  'src/shared/log.lambda-shared.ts': [
    "import { ENV } from './constants';",
    "import { Duration } from 'aws-cdk-lib';",
    "import type { IConstruct } from 'constructs';",
    'export const x = [ENV, Duration] as unknown as IConstruct;',
  ].join('\n'),
  'src/sharing/handlers/copy.lambda.ts': [
    "import { RDSClient } from '@aws-sdk/client-rds';",
    "import { log } from '../../shared/log.lambda-shared';",
    "import { SharedClusterSnapshots } from '../shared-cluster-snapshots';",
    "const lambda = require('aws-cdk-lib/aws-lambda');",
    'export const handler = async () => [RDSClient, log, SharedClusterSnapshots, lambda];',
  ].join('\n'),
  'src/sharing/handlers/copy-function.ts': "import * as lambda from 'aws-cdk-lib/aws-lambda';\nexport const fn = lambda;\n",
  'src/sharing/shared-cluster-snapshots.ts': [
    "import { Stack } from 'aws-cdk-lib';",
    "import { fn } from './handlers/copy-function';",
    "import { ACCOUNT } from '../../sim/fake-rds';",
    "export * from '../../test/sharing/construct/helpers';",
    'export class SharedClusterSnapshots { s = [Stack, fn, ACCOUNT]; }',
  ].join('\n'),
  'sim/fake-rds.ts': "import { SharedClusterSnapshots } from '../src/sharing/shared-cluster-snapshots';\nexport const ACCOUNT = SharedClusterSnapshots;\n",
  'src/receiving/nag-suppressions.ts': "import { helper } from '../sharing/nag-suppressions';\nimport { NAG } from '../shared/nag';\nexport const x = [helper, NAG];\n",
  'src/sharing/nag-suppressions.ts': 'export const helper = 1;\n',
  'src/shared/nag.ts': 'export const NAG = 1;\n',
};

describe('the import rules check', () => {
  test('holds for this project', () => {
    expect(checkImports(PROJECT_ROOT)).toEqual([]);
  });

  test('names each file, line and import that breaks a rule, and nothing that keeps them', () => {
    const found = checkImports(fixture(BROKEN)).map(({ file, line, specifier, rule }) => [file, line, specifier, rule]);
    expect(found).toEqual([
      ['src/receiving/nag-suppressions.ts', 1, '../sharing/nag-suppressions', RULES.otherSide],
      ['src/shared/constants.ts', 1, 'os', RULES.constants],
      ['src/shared/log.lambda-shared.ts', 2, 'aws-cdk-lib', RULES.handlerFramework],
      ['src/shared/log.lambda-shared.ts', 3, 'constructs', RULES.handlerFramework],
      ['src/sharing/handlers/copy.lambda.ts', 3, '../shared-cluster-snapshots', RULES.handlerConstruct],
      ['src/sharing/handlers/copy.lambda.ts', 4, 'aws-cdk-lib/aws-lambda', RULES.handlerFramework],
      ['src/sharing/shared-cluster-snapshots.ts', 3, '../../sim/fake-rds', RULES.outsideSrc],
      ['src/sharing/shared-cluster-snapshots.ts', 4, '../../test/sharing/construct/helpers', RULES.outsideSrc],
    ]);
  });

  test('a handler importing a construct file, even one in a handlers folder, breaks the rule', () => {
    const root = fixture({ 'src/a.lambda-shared.ts': "export { fn } from './sharing/handlers/copy-function';\n", 'src/sharing/handlers/copy-function.ts': '' });
    expect(checkImports(root)).toEqual([{ file: 'src/a.lambda-shared.ts', line: 1, specifier: './sharing/handlers/copy-function', rule: RULES.handlerConstruct }]);
  });

  test('the refresh side imports neither handoff side, and neither imports it', () => {
    const root = fixture({
      'src/refreshing/refreshed-database.ts': "import { R } from '../receiving/received';\nimport { S } from '../shared/snapshot-copies';\nexport const x = [R, S];\n",
      'src/refreshing/handlers/a.lambda.ts': "export { copy } from '../../sharing/handlers/copy.lambda-shared';\n",
      'src/receiving/received.ts': "export { Mode as R } from '../refreshing/props';\n",
      'src/refreshing/props.ts': 'export const Mode = 1;\n',
      'src/sharing/handlers/copy.lambda-shared.ts': 'export const copy = 1;\n',
      'src/shared/snapshot-copies.ts': 'export const S = 1;\n',
    });
    expect(checkImports(root).map(({ file, line, rule }) => [file, line, rule])).toEqual([
      ['src/receiving/received.ts', 1, RULES.otherSide],
      ['src/refreshing/handlers/a.lambda.ts', 1, RULES.otherSide],
      ['src/refreshing/refreshed-database.ts', 1, RULES.otherSide],
    ]);
  });

  test('a fact module imports only other fact modules: constants.ts gathers them, and they import each other', () => {
    const root = fixture({
      'src/shared/constants.ts': "export * from './facts/limits';\n",
      'src/shared/facts/limits.ts': "import { HOUR } from './time';\nimport { log } from '../log.lambda-shared';\nexport const MAX = HOUR;\n",
      'src/shared/facts/time.ts': 'export const HOUR = 3600;\n',
      'src/shared/log.lambda-shared.ts': 'export const log = 1;\n',
    });
    expect(checkImports(root)).toEqual([{ file: 'src/shared/facts/limits.ts', line: 2, specifier: '../log.lambda-shared', rule: RULES.constants }]);
  });

  test('an import cycle fails, type-only imports included, named at the first file\'s import of the next', () => {
    // The cycle issue 15 found: the construct imports its suppressions, which imported the construct's type.
    const root = fixture({
      'src/receiving/received-cluster-snapshots.ts': "import { addReceiverNagSuppressions } from './nag-suppressions';\nexport class ReceivedClusterSnapshots { a = addReceiverNagSuppressions; }\n",
      'src/receiving/nag-suppressions.ts': "import type { ReceivedClusterSnapshots } from './received-cluster-snapshots';\nexport function addReceiverNagSuppressions(c: ReceivedClusterSnapshots) { return c; }\n",
    });
    expect(checkImports(root)).toEqual([{
      file: 'src/receiving/nag-suppressions.ts',
      line: 1,
      specifier: './received-cluster-snapshots',
      rule: RULES.cycle,
      cycle: ['src/receiving/nag-suppressions.ts', 'src/receiving/received-cluster-snapshots.ts', 'src/receiving/nag-suppressions.ts'],
    }]);
  });

  test('a longer cycle is reported once, by its shortest loop; imports that only lead into it are not cycles', () => {
    const root = fixture({
      'src/a.ts': "export * from './b';\n",
      'src/b.ts': "import { c } from './c';\nexport const b = c;\n",
      'src/c.ts': "import type { A } from './a';\nimport { d } from './d';\nexport const c = d as unknown as A;\n",
      'src/d.ts': "import { b } from './b';\nexport const d = b;\n",
      'src/index.ts': "export * from './a';\n",
      'src/self.ts': "import { s } from './self';\nexport const s = 1; export const t = s;\n",
    });
    expect(checkImports(root).map(({ file, cycle }) => [file, cycle])).toEqual([
      ['src/a.ts', ['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/a.ts']],
      ['src/self.ts', ['src/self.ts', 'src/self.ts']],
    ]);
  });

  test('as the build runs it, fails with a message naming the file and the import, and passes a clean tree', () => {
    const run = (root: string) => spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', SCRIPT, root], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      env: { ...process.env, TS_NODE_PROJECT: path.join(PROJECT_ROOT, 'tsconfig.dev.json') },
    });
    const broken = run(fixture(BROKEN));
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain(`src/sharing/handlers/copy.lambda.ts:3 imports '../shared-cluster-snapshots': ${RULES.handlerConstruct}`);
    expect(broken.stderr).toContain(`src/sharing/shared-cluster-snapshots.ts:3 imports '../../sim/fake-rds': ${RULES.outsideSrc}`);

    const cyclic = run(fixture({ 'src/a.ts': "import type { B } from './b';\nexport type A = B;\n", 'src/b.ts': "import type { A } from './a';\nexport type B = A | 1;\n" }));
    expect(cyclic.status).toBe(1);
    expect(cyclic.stderr).toContain(`src/a.ts:1 imports './b': ${RULES.cycle} (src/a.ts -> src/b.ts -> src/a.ts)`);

    const clean = run(fixture({ 'src/shared/constants.ts': 'export const A = 1;\n', 'src/x.lambda.ts': "import { A } from './shared/constants';\nexport const b = A;\n" }));
    expect(clean.stderr).toBe('');
    expect(clean.status).toBe(0);
  });
});
