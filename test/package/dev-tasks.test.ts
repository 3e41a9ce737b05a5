/**
 * The developer commands the README and CONTRIBUTING.md document, as projen generated them: the build
 * lints without rewriting sources, `eslint:fix` and `test:quick` exist and are documented, and the
 * README's demo command runs the demo without projen's banners. (`.ci/run` runs the demo and checks
 * that its first line is its title.)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

interface Step {
  readonly exec?: string;
  readonly execArgs?: string[];
  readonly spawn?: string;
  readonly args?: string[];
}
const tasks = JSON.parse(read('.projen/tasks.json')).tasks as Record<string, { steps?: Step[] }>;
const stepsOf = (name: string): Step[] => tasks[name]?.steps ?? [];
const commandsOf = (name: string): string[] => stepsOf(name).map((step) => step.exec ?? (step.execArgs ?? []).join(' '));
const spawnsOf = (name: string): string[] => stepsOf(name).flatMap((step) => (step.spawn ? [step.spawn] : []));

test('the build lints without --fix, and lint errors fail it (eslint is a step of test, which build spawns)', () => {
  expect(commandsOf('eslint').join(' ')).toMatch(/^eslint /);
  expect(commandsOf('eslint').join(' ')).not.toContain('--fix');
  expect(spawnsOf('test')).toContain('eslint');
  expect(spawnsOf('build')).toContain('test');
});

test('eslint:fix runs the same lint with --fix', () => {
  expect(stepsOf('eslint:fix')).toEqual([expect.objectContaining({ spawn: 'eslint', args: ['--fix'] })]);
});

test('test:quick bundles the handlers and runs jest without coverage, lint or jsii', () => {
  expect(spawnsOf('test:quick')).toEqual(['bundle']);
  const commands = commandsOf('test:quick').filter(Boolean);
  expect(commands).toEqual([expect.stringMatching(/^jest .*--coverage=false/)]);
  expect(commands.join(' ')).not.toMatch(/eslint|jsii|tsc/);
});

test('the README and CONTRIBUTING.md document test:quick, eslint:fix and what CI=true does', () => {
  for (const file of ['README.md', 'CONTRIBUTING.md']) {
    expect({ file, quick: read(file).includes('npx projen test:quick') }).toEqual({ file, quick: true });
  }
  expect(read('CONTRIBUTING.md')).toContain('npx projen eslint:fix');
  expect(read('CONTRIBUTING.md')).toMatch(/`CI=true`[^\n]*package/);
});

test('the README\'s demo command runs the demo script directly (no projen banners), on Node.js 22 from npm', () => {
  const script = JSON.parse(read('package.json')).scripts.demo as string;
  expect(script).toBe('sh build-tools/demo.sh');
  expect(commandsOf('demo')).toEqual([script]);
  expect(read('README.md')).toContain("npx -y -p node@22 -- sh -c 'npm ci && npm run --silent demo'");
});
