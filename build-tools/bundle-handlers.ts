/**
 * Bundles the Lambda handlers, one module per side: the handlers of `src/<side>/handlers/*.lambda.ts`
 * share `assets/<side>/handlers/<side>.js`, so the AWS SDK clients they use are bundled once per side,
 * not once per handler (src/shared/facts/bundles.ts describes the layout the constructs deploy).
 * The sides and their handlers are found here, at bundle time: a new `*.lambda.ts` in any
 * `src/<folder>/handlers/` is bundled and exported without a change to the project configuration.
 *
 * Usage: `ts-node build-tools/bundle-handlers.ts [project root]` (the `bundle` task).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as esbuild from 'esbuild';
import { handlerBundleFile, handlerExportName } from '../src/shared/constants';

/** A handler of a side: its source file (project path, `/` separators) and its export in the side's bundle. */
export interface HandlerSource {
  readonly source: string;
  readonly exportName: string;
}

/** A folder of `src/` with handlers, bundled together. */
export interface HandlerSide {
  readonly side: string;
  readonly handlers: readonly HandlerSource[];
}

const HANDLER_FILE = /\.lambda\.ts$/;
/** Kebab case, so each file has its own camel-case export name. */
const HANDLER_STEM = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
/** The bundle's module name: Lambda's Node.js runtime reads a `Handler` up to its first dot. */
const SIDE_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * The esbuild options of every bundle, the SDK bundled in (no externals): an older runtime-provided
 * SDK silently drops response fields it does not know (such as `StorageEncryptionType`), so the
 * handlers run the exact SDK the tests ran. Minified to keep the package small, the SDK's ES module
 * builds preferred (they tree-shake to about 60% of the CommonJS size), names kept so error classes
 * and stack traces stay readable, and only warnings logged.
 */
export const BUNDLE_OPTIONS: esbuild.BuildOptions & { readonly tsconfig: string } = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  tsconfig: 'tsconfig.dev.json',
  minify: true,
  keepNames: true,
  mainFields: ['module', 'main'],
  sourcemap: false,
  logLevel: 'warning',
};

/** Every folder of `src/` whose `handlers/` holds a `*.lambda.ts`, by name, each with its handlers by file name. */
export function handlerSides(root: string): HandlerSide[] {
  const src = path.join(root, 'src');
  return fs.readdirSync(src, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => ({ side: entry.name, handlers: handlersOf(root, entry.name) }))
    .filter(({ handlers }) => handlers.length > 0)
    .sort((a, b) => a.side.localeCompare(b.side));
}

function handlersOf(root: string, side: string): HandlerSource[] {
  const dir = path.join(root, 'src', side, 'handlers');
  if (!fs.existsSync(dir)) return [];
  const files = fs.readdirSync(dir).filter((file) => HANDLER_FILE.test(file)).sort();
  if (files.length > 0 && !SIDE_NAME.test(side)) {
    throw new Error(`src/${side}/handlers holds handlers, but '${side}' cannot name its bundle: a side folder is lower case letters, digits and dashes (${SIDE_NAME})`);
  }
  return files.map((file) => {
    if (!HANDLER_STEM.test(file.replace(HANDLER_FILE, ''))) {
      throw new Error(`src/${side}/handlers/${file}: a handler file is named in kebab case (${HANDLER_STEM}.lambda.ts), so its export name is its own`);
    }
    return { source: `src/${side}/handlers/${file}`, exportName: handlerExportName(file) };
  });
}

/** The side's entry module: every handler's `handler`, re-exported under its export name. */
export function entrySource(side: HandlerSide): string {
  return side.handlers.map(({ source, exportName }) =>
    `export { handler as ${exportName} } from './${path.posix.basename(source, '.ts')}';\n`).join('');
}

/** The options that bundle `entry` (the side's entry module unless given) as the side's module. */
export function sideBuildOptions(root: string, side: HandlerSide, entry = entrySource(side)): esbuild.BuildOptions {
  return {
    ...BUNDLE_OPTIONS,
    absWorkingDir: root,
    tsconfig: path.join(root, BUNDLE_OPTIONS.tsconfig),
    stdin: { contents: entry, resolveDir: path.join(root, 'src', side.side, 'handlers'), sourcefile: `${side.side}.ts`, loader: 'ts' },
  };
}

/**
 * Writes one bundle per side under `assets/`, after removing what was there: a bundle of a removed
 * handler or side, or of an older layout, would otherwise ship inside a side's asset.
 */
export async function bundleHandlers(root: string): Promise<string[]> {
  fs.rmSync(path.join(root, 'assets'), { recursive: true, force: true });
  const written: string[] = [];
  for (const side of handlerSides(root)) {
    const outfile = handlerBundleFile(side.side);
    await esbuild.build({ ...sideBuildOptions(root, side), outfile: path.join(root, outfile) });
    written.push(outfile);
  }
  return written;
}

if (require.main === module) {
  bundleHandlers(path.resolve(process.argv[2] ?? process.cwd())).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
