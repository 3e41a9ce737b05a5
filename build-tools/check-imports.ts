/**
 * Checks the import rules of CONTRIBUTING.md ("What may import what") over every TypeScript file
 * in `src/`, and fails naming each file, line and import that breaks one:
 * - handler code (`*.lambda.ts`, `*.lambda-shared.ts` and the shared fact modules) imports only
 *   handler code, the AWS SDK and Node built-ins: never `aws-cdk-lib`, `constructs` or a construct file;
 * - the shared fact modules (`src/shared/constants.ts`, `src/shared/events.ts`, `src/shared/facts/*.ts`)
 *   import only each other: the constructs and the handlers of both sides import them;
 * - `src/` never imports `sim/` or `test/` (nor anything else outside `src/`, which is not shipped);
 * - the sides, `src/sharing/`, `src/receiving/` and `src/refreshing/`, never import each other: what
 *   they share lives in `src/shared/`;
 * - no file in `src/` imports itself through a chain of imports (a cycle), type-only imports included:
 *   a cycle makes the load order decide what is still undefined at run time, and ties the files together.
 *
 * Imports are read with TypeScript's own scanner (`ts.preProcessFile`): static and type-only
 * imports, `export ... from`, `import()` and `require()`.
 *
 * Usage: `ts-node build-tools/check-imports.ts [project root]` (the `check-imports` task).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

export interface ImportViolation {
  /** The importing file, relative to the project root, with `/` separators. */
  readonly file: string;
  readonly line: number;
  /** The import exactly as written. */
  readonly specifier: string;
  /** The rule it breaks. */
  readonly rule: string;
  /** For an import cycle: the files in import order, back to the first. */
  readonly cycle?: string[];
}

/** Facts both sides and the constructs share: defaults, names, limits, event shapes. */
const SHARED_FACTS = ['src/shared/constants.ts', 'src/shared/events.ts'];
/** The fact modules `src/shared/constants.ts` gathers, one per concern. */
const FACTS_FOLDER = 'src/shared/facts/';
const FRAMEWORK_PACKAGES = ['aws-cdk-lib', 'constructs'];

export const RULES = {
  handlerFramework: 'handler code never imports aws-cdk-lib or constructs',
  handlerConstruct: 'handler code imports only handler code (*.lambda.ts, *.lambda-shared.ts, src/shared/constants.ts, src/shared/events.ts), never a construct file',
  constants: `${SHARED_FACTS.join(', ')} and ${FACTS_FOLDER}*.ts import only each other: the constructs and the handlers both import them`,
  outsideSrc: 'src/ never imports sim/ or test/ (nor anything outside src/, which is not shipped)',
  otherSide: 'src/sharing/, src/receiving/ and src/refreshing/ never import each other: what they share lives in src/shared/',
  cycle: 'src/ has no import cycle, type-only imports included: move what both sides need into a module of its own, or pass it as an interface',
} as const;

/** The sides: the handoff's two, and the refresh; each a folder of `src/`. */
const SIDES = ['src/sharing/', 'src/receiving/', 'src/refreshing/'];

/** Handler code: bundled into the Lambda assets, so it must not pull in the CDK. */
export function isHandlerCode(file: string): boolean {
  return /\.lambda(-shared)?\.ts$/.test(file) || isFactModule(file);
}

/** The shared fact modules, which import only each other. */
function isFactModule(file: string): boolean {
  return SHARED_FACTS.includes(file) || file.startsWith(FACTS_FOLDER);
}

/** One import as written: where, and the project file it names (for a relative import). */
interface ImportEdge {
  readonly file: string;
  readonly line: number;
  readonly specifier: string;
  readonly target?: string;
}

/** Every violation of the import rules under `<root>/src`, in file order, then each import cycle. */
export function checkImports(root: string): ImportViolation[] {
  const edges = sourceFiles(path.join(root, 'src')).flatMap((absolute): ImportEdge[] => {
    const file = toProjectPath(root, absolute);
    const text = fs.readFileSync(absolute, 'utf8');
    return ts.preProcessFile(text, true, true).importedFiles.map(({ fileName: specifier, pos }) => ({
      file,
      line: text.slice(0, pos).split('\n').length,
      specifier,
      target: specifier.startsWith('.') ? resolveRelative(root, file, specifier) : undefined,
    }));
  });
  return [
    ...edges.flatMap(({ file, line, specifier }) => rulesBroken(root, file, specifier).map((rule) => ({ file, line, specifier, rule }))),
    ...importCycles(edges),
  ];
}

/**
 * One violation per strongly connected group of files (Tarjan's algorithm): the shortest cycle
 * through its first file, reported at that file's import of the next.
 */
function importCycles(edges: ImportEdge[]): ImportViolation[] {
  const files = [...new Set(edges.map((edge) => edge.file))].sort();
  const inSrc = new Set(files);
  const out = new Map<string, ImportEdge[]>(files.map((file) =>
    [file, edges.filter((edge) => edge.file === file && edge.target !== undefined && inSrc.has(edge.target))]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const groups: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    for (const { target } of out.get(file)!) {
      if (!index.has(target!)) {
        visit(target!);
        low.set(file, Math.min(low.get(file)!, low.get(target!)!));
      } else if (stack.includes(target!)) {
        low.set(file, Math.min(low.get(file)!, index.get(target!)!));
      }
    }
    if (low.get(file) === index.get(file)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        group.push(member);
      } while (member !== file);
      groups.push(group.sort());
    }
  };
  for (const file of files) if (!index.has(file)) visit(file);

  return groups
    .filter((group) => group.length > 1 || out.get(group[0])!.some((edge) => edge.target === group[0]))
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map((group) => {
      const cycle = shortestCycle(group[0], (file) => out.get(file)!.filter((edge) => group.includes(edge.target!)));
      const first = out.get(group[0])!.find((edge) => edge.target === cycle[1])!;
      return { file: first.file, line: first.line, specifier: first.specifier, rule: RULES.cycle, cycle };
    });
}

/** The shortest chain of imports from `start` back to it (breadth first), `start` at both ends. */
function shortestCycle(start: string, next: (file: string) => ImportEdge[]): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const { target } of next(file)) {
      if (target === start) {
        const chain = [file];
        while (chain[0] !== start) chain.unshift(previous.get(chain[0])!);
        return [...chain, start];
      }
      if (!previous.has(target!)) {
        previous.set(target!, file);
        queue.push(target!);
      }
    }
  }
  return [start, start];
}

function rulesBroken(root: string, file: string, specifier: string): string[] {
  const broken: string[] = [];
  const factModule = isFactModule(file);
  if (factModule && !specifier.startsWith('.')) broken.push(RULES.constants);
  if (!specifier.startsWith('.')) {
    const packageName = specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
    if (isHandlerCode(file) && FRAMEWORK_PACKAGES.includes(packageName)) broken.push(RULES.handlerFramework);
    return broken;
  }
  const target = resolveRelative(root, file, specifier);
  if (factModule && !isFactModule(target)) broken.push(RULES.constants);
  if (!target.startsWith('src/')) {
    broken.push(RULES.outsideSrc);
  } else if (isHandlerCode(file) && !isHandlerCode(target)) {
    broken.push(RULES.handlerConstruct);
  }
  const side = SIDES.find((folder) => file.startsWith(folder));
  if (side && SIDES.some((folder) => folder !== side && target.startsWith(folder))) broken.push(RULES.otherSide);
  return broken;
}

/** The project path a relative import names: the `.ts` file, or the folder's `index.ts`. */
function resolveRelative(root: string, file: string, specifier: string): string {
  const base = path.resolve(root, path.dirname(file), specifier);
  const candidates = [`${base}.ts`, path.join(base, 'index.ts'), base];
  const found = candidates.find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
  return toProjectPath(root, found ?? `${base}.ts`);
}

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function toProjectPath(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join('/');
}

export function formatViolation(violation: ImportViolation): string {
  const cycle = violation.cycle ? ` (${violation.cycle.join(' -> ')})` : '';
  return `${violation.file}:${violation.line} imports '${violation.specifier}': ${violation.rule}${cycle}`;
}

if (require.main === module) {
  const root = path.resolve(process.argv[2] ?? process.cwd());
  const violations = checkImports(root);
  if (violations.length > 0) {
    console.error(`Import rules broken (see CONTRIBUTING.md, "What may import what"):\n${violations.map((v) => `  ${formatViolation(v)}`).join('\n')}`);
    process.exit(1);
  }
  console.log(`Import rules hold in ${sourceFiles(path.join(root, 'src')).length} files under src/`);
}
