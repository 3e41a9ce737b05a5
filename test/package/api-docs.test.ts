/**
 * API.md as a user reads it: every summary is a whole sentence, and every member it documents exists
 * at the declared minimum versions of `constructs` and `aws-cdk-lib` (the peer dependency ranges'
 * lower bounds, which projen installs as the dev dependencies). The member check needs the jsii
 * assembly (`.jsii`), which the build's compile step makes before it runs the tests.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
// jsii-reflect is jsii-docgen's and jsii-pacmak's reader of assemblies, installed with them.
// eslint-disable-next-line import/no-extraneous-dependencies
import * as reflect from 'jsii-reflect';

const ROOT = path.resolve(__dirname, '..', '..');
const apiMd = fs.readFileSync(path.join(ROOT, 'API.md'), 'utf8');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const NAME = manifest.name as string;
const COMPILED = fs.existsSync(path.join(ROOT, '.jsii'));

/** The lower bound of a `^x.y.z` / `~x.y.z` / `>=x.y.z` range, as projen writes the peer dependencies. */
function minimumOf(range: string): string {
  const match = /^(?:\^|~|>=)?\s*(\d+\.\d+\.\d+)$/.exec(range.trim());
  if (!match) throw new Error(`unexpected peer dependency range ${JSON.stringify(range)}: expected ^x.y.z, ~x.y.z or >=x.y.z`);
  return match[1];
}

/** The description cell of every member table row (`| <code><a href="#…">name</a></code> | … |`). */
function tableSummaries(markdown: string): { anchor: string; summary: string }[] {
  const rows = markdown.split('\n').filter((line) => line.startsWith('| <code><a href="#'));
  return rows.map((row) => {
    const cells = row.split(' | ');
    return { anchor: /href="#([^"]+)"/.exec(row)![1], summary: cells[cells.length - 1].replace(/ \|$/, '').trim() };
  });
}

/** What API.md documents per type: `<Type>.<member>` anchors, properties as `<Type>.property.<name>`. */
function documentedMembers(markdown: string): Map<string, Set<string>> {
  const members = new Map<string, Set<string>>();
  for (const [, id] of markdown.matchAll(/id="([^"]+)"/g)) {
    const parts = id.split('.');
    if (parts[0] !== NAME || parts.includes('parameter') || parts.includes('Initializer') || parts.length < 3) continue;
    const type = parts[1];
    const member = parts[2] === 'property' ? parts[3] : parts[2];
    if (!members.has(type)) members.set(type, new Set());
    members.get(type)!.add(member);
  }
  return members;
}

describe('API.md summaries', () => {
  // jsii takes the first sentence as the summary and ends it at the first `.`, `!`, `?` or `;`
  // followed by a space: a `;` in a first sentence cuts the summary there.
  test('every summary is a whole sentence, ending in a full stop, a question or an exclamation mark', () => {
    const summaries = tableSummaries(apiMd);
    expect(summaries.length).toBeGreaterThan(20);
    const cut = summaries.filter(({ summary }) => summary !== '*No description.*' && !/[.!?]$/.test(summary));
    expect(cut).toEqual([]);
  });

  test('the check recognises a summary cut at a semicolon', () => {
    const row = `| <code><a href="#${NAME}.X.property.y">y</a></code> | <code>number</code> | How many to keep per cluster; |`;
    expect(tableSummaries(row)).toEqual([{ anchor: `${NAME}.X.property.y`, summary: 'How many to keep per cluster;' }]);
  });
});

(COMPILED ? describe : describe.skip)('API.md members at the declared minimum versions', () => {
  test('the installed constructs and aws-cdk-lib are the peer dependency ranges\' minimums', () => {
    for (const dependency of ['constructs', 'aws-cdk-lib']) {
      const installed = JSON.parse(fs.readFileSync(require.resolve(`${dependency}/package.json`, { paths: [ROOT] }), 'utf8')).version;
      expect(`${dependency}@${installed}`).toBe(`${dependency}@${minimumOf(manifest.peerDependencies[dependency])}`);
    }
  });

  test('every member API.md documents exists on its type, inherited members as the minimums declare them', async () => {
    const typeSystem = new reflect.TypeSystem();
    // Loads the assembly and its dependencies as Node.js resolves them from here: the minimums.
    const assembly = await typeSystem.load(ROOT, { validate: false });
    const documented = documentedMembers(apiMd);
    expect(documented.size).toBeGreaterThan(3);
    const missing: string[] = [];
    for (const [typeName, members] of documented) {
      const type = assembly.tryFindType(`${NAME}.${typeName}`);
      if (!type) {
        missing.push(`${typeName} (no such type)`);
        continue;
      }
      const known = new Set<string>();
      if (type.isClassType() || type.isInterfaceType()) {
        for (const member of type.allMembers) known.add(member.name);
      }
      if (type.isClassType()) {
        // Static methods of the bases (e.g. `isConstruct`) are documented on the subclass too.
        for (let base = type.base; base; base = base.base) for (const method of base.ownMethods) known.add(method.name);
      }
      if (type.isEnumType()) for (const member of type.members) known.add(member.name);
      for (const member of members) if (!known.has(member)) missing.push(`${typeName}.${member}`);
    }
    expect(missing).toEqual([]);
  });
});
