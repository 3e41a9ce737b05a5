import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// The repository's shape: small source files (split by concern), and no folder with a name that
// tools treat as build output (many global gitignores and tools skip `target/`, `build/`, `out/`
// and `dist/`, so a contributor's commit could silently lose what such a folder holds).

const PROJECT_ROOT = path.resolve(__dirname, '../..');
const MAX_SOURCE_LINES = 300;
const BUILD_OUTPUT_NAMES = ['target', 'build', 'out', 'dist'];

/** The number of lines of `text`, as `wc -l` counts them for a file that ends with a newline. */
function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** Every file below `dir`, as paths relative to `root`, in sorted order. */
function filesBelow(root: string, dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** `path (N lines)` for each file of `files` (project paths) longer than `max` lines. */
function oversized(root: string, files: string[], max: number): string[] {
  return files
    .map((file) => ({ file, lines: lineCount(fs.readFileSync(path.join(root, file), 'utf8')) }))
    .filter(({ lines }) => lines > max)
    .map(({ file, lines }) => `${file} (${lines} lines)`);
}

/** The folders of `files` (project paths) named like build output, each once. */
function buildOutputFolders(files: string[]): string[] {
  const folders = new Set<string>();
  for (const file of files) {
    const parts = file.split('/').slice(0, -1);
    parts.forEach((part, i) => {
      if (BUILD_OUTPUT_NAMES.includes(part)) folders.add(parts.slice(0, i + 1).join('/'));
    });
  }
  return [...folders].sort();
}

/** The files git tracks in the project, as project paths. */
function trackedFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z'], { cwd: PROJECT_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return out.split('\0').filter((file) => file !== '');
}

describe('source files stay small', () => {
  test(`no file in src/ is over ${MAX_SOURCE_LINES} lines (split a longer one by concern)`, () => {
    const files = filesBelow(PROJECT_ROOT, 'src');
    expect(files.length).toBeGreaterThan(50);
    expect(oversized(PROJECT_ROOT, files, MAX_SOURCE_LINES)).toEqual([]);
  });

  test('the check names each file over the limit, with its length', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'structure-'));
    try {
      const write = (file: string, lines: number) => {
        fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        fs.writeFileSync(path.join(root, file), 'export {};\n'.repeat(lines));
      };
      write('src/a.ts', MAX_SOURCE_LINES);
      write('src/sharing/b.ts', MAX_SOURCE_LINES + 1);
      write('src/receiving/handlers/c.lambda.ts', 400);
      expect(oversized(root, filesBelow(root, 'src'), MAX_SOURCE_LINES)).toEqual([
        'src/receiving/handlers/c.lambda.ts (400 lines)',
        'src/sharing/b.ts (301 lines)',
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('lines are counted as wc -l counts them', () => {
    expect(lineCount('')).toBe(0);
    expect(lineCount('a\n')).toBe(1);
    expect(lineCount('a\nb')).toBe(2);
    expect(lineCount('a\n\nb\n')).toBe(3);
  });
});

describe('no folder is named like build output', () => {
  test(`no tracked folder is named ${BUILD_OUTPUT_NAMES.join(', ')}`, () => {
    const files = trackedFiles();
    expect(files).toContain('src/index.ts');
    expect(buildOutputFolders(files)).toEqual([]);
  });

  test('the check names each such folder once, at any depth, and only whole folder names', () => {
    expect(buildOutputFolders([
      'src/target/index.ts',
      'src/target/handlers/copy.lambda.ts',
      'test/build/a.test.ts',
      'out/x.json',
      'sim/dist/deep/out/y.ts',
      'src/targets.ts',
      'test/integ.snapshot/cdk.out/manifest.json',
      'docs/build',
      'src/receiving/target-settings.ts',
    ])).toEqual(['out', 'sim/dist', 'sim/dist/deep/out', 'src/target', 'test/build']);
  });
});
