import * as fs from 'fs';
import * as path from 'path';
import { projectFixtures } from './fixtures';
import { bundleHandlers, handlerSides } from '../../build-tools/bundle-handlers';

const project = projectFixtures('bundle-handlers-');
/** A project root in a temporary folder holding `files` (project path → content) and an empty tsconfig.dev.json. */
const fixture = (files: Record<string, string>) => project({ 'tsconfig.dev.json': '{}', ...files });

const handler = (result: string) => `import { greet } from './greet.lambda-shared';\nexport async function handler(): Promise<string> { return greet('${result}'); }\n`;
const SHARED = 'export function greet(name: string): string { return `hello ${name}`; }\n';

/** Two sides, one of them new, and what is not a handler. */
const PROJECT = {
  'src/sharing/handlers/copy-snapshot.lambda.ts': handler('copy'),
  'src/sharing/handlers/prepare.lambda.ts': handler('prepare'),
  'src/sharing/handlers/greet.lambda-shared.ts': SHARED,
  'src/refreshing/handlers/restore-cluster.lambda.ts': handler('restore'),
  'src/refreshing/handlers/greet.lambda-shared.ts': SHARED,
  'src/shared/log.lambda-shared.ts': SHARED,
  'src/sharing/props.ts': 'export interface Props {}\n',
};

describe('bundle-handlers', () => {
  it('finds every folder of src/ with handlers, a new one included, each handler by its file name', () => {
    expect(handlerSides(fixture(PROJECT))).toEqual([
      { side: 'refreshing', handlers: [{ source: 'src/refreshing/handlers/restore-cluster.lambda.ts', exportName: 'restoreCluster' }] },
      {
        side: 'sharing',
        handlers: [
          { source: 'src/sharing/handlers/copy-snapshot.lambda.ts', exportName: 'copySnapshot' },
          { source: 'src/sharing/handlers/prepare.lambda.ts', exportName: 'prepare' },
        ],
      },
    ]);
  });

  it('writes one module per side exporting each of its handlers, and removes bundles of an older layout', async () => {
    const root = fixture({ ...PROJECT, 'assets/sharing/handlers/prepare.lambda/index.js': 'stale' });
    expect(await bundleHandlers(root)).toEqual(['assets/refreshing/handlers/refreshing.js', 'assets/sharing/handlers/sharing.js']);
    const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.relative(root, path.join(dir, e.name))]));
    expect(files(path.join(root, 'assets')).sort()).toEqual(['assets/refreshing/handlers/refreshing.js', 'assets/sharing/handlers/sharing.js']);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sharing = require(path.join(root, 'assets/sharing/handlers/sharing.js'));
    expect(Object.keys(sharing).sort()).toEqual(['copySnapshot', 'prepare']);
    expect(await sharing.copySnapshot()).toBe('hello copy');
  });

  it('refuses a handler file not in kebab case, naming it and the rule', () => {
    const root = fixture({ 'src/sharing/handlers/CopySnapshot.lambda.ts': handler('copy') });
    expect(() => handlerSides(root)).toThrow(/src\/sharing\/handlers\/CopySnapshot\.lambda\.ts: a handler file is named in kebab case/);
  });

  it('refuses a side folder whose name cannot be the module of a Lambda Handler', () => {
    const root = fixture({ 'src/my.side/handlers/prepare.lambda.ts': handler('prepare') });
    expect(() => handlerSides(root)).toThrow(/'my\.side' cannot name its bundle: a side folder is lower case letters, digits and dashes/);
  });
});
