/**
 * Writes API.md from the jsii assembly, documenting the dependencies at the versions Node.js resolves
 * from this project (the declared minimums: `constructs` 10.0.5 and `aws-cdk-lib` at `cdkVersion`).
 *
 * Plain `jsii-docgen` globs every `.jsii` file under the project, `node_modules` included, and picks
 * the highest version that satisfies each dependency range. A newer copy nested in a dev tool (such
 * as projen's own `constructs`) then wins, and API.md documents inherited members the declared
 * minimum lacks (`Construct.with()`, added in constructs 10.4). So this script hands jsii-docgen a
 * directory holding only this project's assembly and, recursively, the assemblies Node.js resolves
 * for its jsii dependencies. `test/package/api-docs.test.ts` checks the result.
 *
 * Usage: `ts-node build-tools/docgen.ts` (the `docgen` task).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Documentation, Language } from 'jsii-docgen';

const ROOT = path.resolve(__dirname, '..');
const ASSEMBLIES_DIR = path.join(ROOT, '.tmp', 'docgen-assemblies');
const OUTPUT = path.join(ROOT, 'API.md');

/**
 * Copies the assembly of `packageDir` (`.jsii`, and `.jsii.gz` where `.jsii` redirects to it) into
 * `into`. Copies, not links: jsii-reflect refuses a redirect that resolves outside the link's folder.
 */
function copyAssembly(packageDir: string, into: string): void {
  fs.mkdirSync(into, { recursive: true });
  for (const file of ['.jsii', '.jsii.gz'].filter((name) => fs.existsSync(path.join(packageDir, name)))) {
    fs.copyFileSync(path.join(packageDir, file), path.join(into, file));
  }
}

/** The jsii dependencies of the package in `packageDir`, as Node.js resolves them from there. */
function jsiiDependencyDirs(packageDir: string): Map<string, string> {
  const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  const names = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies });
  const dirs = new Map<string, string>();
  for (const name of names) {
    let dir: string;
    try {
      dir = path.dirname(require.resolve(`${name}/package.json`, { paths: [packageDir] }));
    } catch {
      continue; // not installed: not a jsii dependency the API can expose
    }
    if (fs.existsSync(path.join(dir, '.jsii'))) dirs.set(name, dir);
  }
  return dirs;
}

export function collectAssemblies(root: string, into: string): string[] {
  fs.rmSync(into, { recursive: true, force: true });
  const self = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).name as string;
  copyAssembly(root, path.join(into, self));
  const copied = [self];
  const pending = [...jsiiDependencyDirs(root)];
  while (pending.length > 0) {
    const [name, dir] = pending.shift()!;
    if (copied.includes(name)) continue;
    copyAssembly(dir, path.join(into, name));
    copied.push(name);
    pending.push(...jsiiDependencyDirs(dir));
  }
  return copied;
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, '.jsii'))) throw new Error('no .jsii assembly: run `npx jsii` (the compile task) first');
  collectAssemblies(ROOT, ASSEMBLIES_DIR);
  const name = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).name as string;
  const docs = await Documentation.forAssembly(name, ASSEMBLIES_DIR);
  const markdown = await docs.toMarkdown({ language: Language.TYPESCRIPT, allSubmodules: true });
  fs.writeFileSync(OUTPUT, markdown.render());
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
