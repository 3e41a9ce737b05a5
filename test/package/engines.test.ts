/**
 * `npm ci` prints no EBADENGINE warning on any Node.js version `engines` allows: every package in the
 * lock file accepts the lowest Node.js 22 and 24 versions in the range (projen's `minNodeVersion`).
 * When an upgrade brings in a package that needs more, this fails naming it: raise `minNodeVersion`
 * in .projenrc.ts (and the README) or keep the older package.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

// semver is npm's own range checker, installed with the toolchain (jsii, projen); it has no types here.
// eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
const { satisfies } = require('semver') as { satisfies: (version: string, range: string) => boolean };

const ROOT = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));

/** `>= 22.13.0` as projen writes it from `minNodeVersion`. */
const minimum = /^>=\s*(\d+\.\d+\.\d+)$/.exec(manifest.engines.node)?.[1];

test('engines states the minimum Node.js 22 as projen writes it, and the lock file agrees', () => {
  expect(minimum).toMatch(/^22\./);
  expect(lock.packages[''].engines).toEqual(manifest.engines);
});

test.each([minimum!, '24.0.0'])('every locked package accepts Node.js %s (no EBADENGINE from npm ci)', (version) => {
  const refusing = Object.entries(lock.packages as Record<string, { engines?: { node?: unknown } }>)
    .filter(([, info]) => typeof info.engines?.node === 'string' && !satisfies(version, info.engines.node as string))
    .map(([name, info]) => `${name.replace(/^node_modules\//, '')} needs node ${info.engines!.node}`);
  expect(refusing).toEqual([]);
});
