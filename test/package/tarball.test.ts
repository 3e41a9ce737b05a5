/**
 * What `npm publish` would ship, from `npm pack --dry-run`: the compiled library, the pre-bundled
 * handlers and the docs, and nothing a user does not need. Needs a compiled tree (`lib/`,
 * `assets/`), which `npx projen build` makes before it runs the tests.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { handlerSides } from '../../build-tools/bundle-handlers';
import { handlerBundleFile } from '../../src/shared/constants';

const ROOT = path.resolve(__dirname, '..', '..');
const COMPILED = fs.existsSync(path.join(ROOT, 'lib', 'index.js')) && fs.existsSync(path.join(ROOT, 'assets'));

interface PackedFile {
  readonly path: string;
  readonly size: number;
}

interface Pack {
  /** The tarball's size, gzipped. */
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: PackedFile[];
}

/**
 * The size budget of the npm package: 476,821 bytes packed when it was set, with 15 handlers. Most
 * of it is one pre-bundled module per side, each carrying the minified AWS SDK clients once (about
 * 130 KB gzipped), then the jsii assembly and the compiled library. One more handler adds its own
 * code only (test/package/handler-bundles.test.ts); one bundle per handler was 2,093,529 bytes.
 */
const PACKED_BUDGET_BYTES = 1_000_000;
const UNPACKED_BUDGET_BYTES = 4 * 1024 * 1024;

function pack(): Pack {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const [result] = JSON.parse(out) as Pack[];
  return result;
}

/** One bundle per folder of `src/` with handlers: `assets/<side>/handlers/<side>.js`. */
const BUNDLES = handlerSides(ROOT).map(({ side }) => handlerBundleFile(side));

const INLINE_MAP = /\n\/\/# sourceMappingURL=data:[^\n]*\n?$/;

if (!COMPILED) {
  describe('npm package contents', () => {
    it.skip('SKIPPED: lib/ or assets/ is absent; run `npx projen compile` (or the whole build) first', () => undefined);
  });
} else {
  describe('npm package contents', () => {
    const packed = pack();
    const files = packed.files;
    const paths = files.map((file) => file.path);
    const has = (p: string) => paths.includes(p);

    it('ships the compiled library, its types and the jsii assembly', () => {
      for (const p of ['lib/index.js', 'lib/index.d.ts', 'lib/sharing/shared-cluster-snapshots.js', 'lib/sharing/props.d.ts', 'lib/receiving/received-cluster-snapshots.js', '.jsii', 'package.json']) {
        expect({ p, shipped: has(p) }).toEqual({ p, shipped: true });
      }
    });

    it('ships the pre-bundled handlers as one module per side, and no other asset', () => {
      expect(paths.filter((p) => p.startsWith('assets/')).sort()).toEqual([...BUNDLES].sort());
    });

    it('ships README.md, API.md and LICENSE', () => {
      expect(paths).toEqual(expect.arrayContaining(['README.md', 'API.md', 'LICENSE']));
    });

    it('ships no tests, CI scripts, simulator, examples, TypeScript sources or build tooling', () => {
      const forbidden = paths.filter((p) =>
        /^(test|\.ci|sim|sim-out|examples|src|rosetta|projenrc|\.projen|\.github|\.tmp|coverage|test-reports|cdk\.out|dist)\//.test(p)
        || /^(\.projenrc\.ts|BENCHMARKS\.md|CONTRIBUTING\.md|tsconfig(\.dev)?\.json|\.eslintrc\.json|\.jsii\.tabl\.json)$/.test(p)
        || (p.endsWith('.ts') && !p.endsWith('.d.ts'))
        || p.endsWith('.tgz'));
      expect(forbidden).toEqual([]);
    });

    it('ships no source map larger than the code it maps', () => {
      const tooLarge: string[] = [];
      for (const file of files) {
        const full = path.join(ROOT, file.path);
        if (file.path.endsWith('.map')) {
          const code = path.join(ROOT, file.path.replace(/\.map$/, ''));
          const codeSize = fs.existsSync(code) ? fs.statSync(code).size : 0;
          if (file.size > codeSize) tooLarge.push(`${file.path} (${file.size} bytes for ${codeSize} bytes of code)`);
        } else if (file.path.endsWith('.js')) {
          const text = fs.readFileSync(full, 'utf8');
          const map = INLINE_MAP.exec(text)?.[0] ?? '';
          if (map.length > text.length - map.length) tooLarge.push(`${file.path} (inline map of ${map.length} characters)`);
        }
      }
      expect(tooLarge).toEqual([]);
    });

    it('resolves every relative require of the shipped library inside the package', () => {
      const missing: string[] = [];
      for (const p of paths.filter((f) => f.startsWith('lib/') && f.endsWith('.js'))) {
        const text = fs.readFileSync(path.join(ROOT, p), 'utf8');
        for (const [, spec] of text.matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
          const target = path.posix.normalize(path.posix.join(path.posix.dirname(p), spec));
          if (![target, `${target}.js`, `${target}/index.js`, `${target}.json`].some(has)) missing.push(`${p} -> ${spec}`);
        }
      }
      expect(missing).toEqual([]);
    });

    it('stays within its size budget: 1 MB (1,000,000 bytes) packed, 4 MiB unpacked', () => {
      expect(packed.size).toBeLessThanOrEqual(PACKED_BUDGET_BYTES);
      expect(packed.unpackedSize).toBeLessThan(UNPACKED_BUDGET_BYTES);
    });
  });
}
