/**
 * The README's install instructions must work as written: before the first release (no version tag,
 * package.json at projen's 0.0.0), registry badges that suggest a published package are out, and the
 * README says how to install from a local build instead.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;
const unreleased = version === '0.0.0';

/** Badges that show a registry's published version: they render "not found" before a release. */
const REGISTRY_VERSION_BADGES = [/shields\.io\/npm\/v\//, /shields\.io\/pypi\/v\//, /shields\.io\/maven-central\/v\//, /shields\.io\/nuget\/v\//];

(unreleased ? describe : describe.skip)('README before the first release', () => {
  test('shows no registry version badges', () => {
    expect(REGISTRY_VERSION_BADGES.filter((badge) => badge.test(readme)).map(String)).toEqual([]);
  });

  test('says it is not released and shows the install from a local build, and the examples command', () => {
    const install = readme.slice(readme.indexOf('## Install'), readme.indexOf('<details>'));
    expect(install).toContain('Not released yet');
    expect(install).toContain('CI=true npx projen build');
    expect(install).toMatch(/npm install \S*dist\/js\/\*\.tgz/);
    expect(install).toContain('bash examples/synth.sh');
    expect(fs.existsSync(path.join(ROOT, 'examples', 'synth.sh'))).toBe(true);
  });
});
