/**
 * The changelog generator (build-tools/changelog.ts) on fixture commit lists: what it keeps, how it
 * groups, what counts as breaking, and the links to the migration notes.
 */
import { Commit, entryOf, LOG_FORMAT, migrationNotes, parseLog, renderChangelog, slug } from '../../build-tools/changelog';

const URL = 'https://github.com/example/repo';
const hash = (n: number) => `${String(n).padStart(7, '0')}${'a'.repeat(33)}`;
const commit = (n: number, subject: string, body = ''): Commit => ({ hash: hash(n), subject, body });

describe('parseLog', () => {
  test('reads the records `git log --format=LOG_FORMAT` writes, bodies with several lines included', () => {
    const record = (h: string, s: string, b: string) => LOG_FORMAT.replace('%H', h).replace('%s', s).replace('%b', b);
    const text = `${record(hash(1), 'feat: one', '')}\n${record(hash(2), 'fix!: two', 'line one\n\nBREAKING CHANGE: gone')}\n`;
    expect(parseLog(text)).toEqual([
      { hash: hash(1), subject: 'feat: one', body: '' },
      { hash: hash(2), subject: 'fix!: two', body: 'line one\n\nBREAKING CHANGE: gone' },
    ]);
  });
});

describe('entryOf', () => {
  const none = new Set<string>();

  test.each([
    ['feat: a feature', { type: 'feat', scope: undefined, description: 'a feature', breaking: false }],
    ['fix(receiving): a fix', { type: 'fix', scope: 'receiving', description: 'a fix', breaking: false }],
    ['refactor!: renamed folders', { type: 'refactor', scope: undefined, description: 'renamed folders', breaking: true }],
    ['feat(api)!: a new name', { type: 'feat', scope: 'api', description: 'a new name', breaking: true }],
  ])('%s', (subject, expected) => {
    expect(entryOf(commit(1, subject), none)).toEqual({ hash: hash(1), ...expected });
  });

  test.each([
    'docs: a section', 'test: more', 'chore: tidy', 'refactor: moved', 'merge: main into x', 'Merge branch main', 'feat(sim): a demo', 'fix(build): a task',
  ])('leaves out %s', (subject) => {
    expect(entryOf(commit(1, subject), none)).toBeUndefined();
  });

  test('a BREAKING CHANGE footer (or BREAKING-CHANGE) makes any type breaking', () => {
    expect(entryOf(commit(1, 'refactor: x', 'why\n\nBREAKING CHANGE: the props moved'), none)?.breaking).toBe(true);
    expect(entryOf(commit(1, 'chore: x', 'BREAKING-CHANGE: y'), none)?.breaking).toBe(true);
    expect(entryOf(commit(1, 'fix: x', 'mentions breaking change in prose'), none)?.breaking).toBe(false);
  });

  test('a commit MIGRATING.md names is breaking, even a fix that did not say so', () => {
    expect(entryOf(commit(7, 'fix: one namespace'), new Set([hash(7).slice(0, 7)]))?.breaking).toBe(true);
    expect(entryOf(commit(7, 'test(sim): x'), new Set([hash(7).slice(0, 7)]))?.breaking).toBe(true);
  });
});

describe('migrationNotes', () => {
  test('maps each hash of a note\'s Commits line to the note\'s anchor; other hex words do not count', () => {
    const markdown = [
      '# Migrating', '', 'Intro naming deadbee.', '',
      '## The metrics namespace is `SharedClusterSnapshots`', '', 'Commits: `27c2341`, `abcdef0123456789abcdef0123456789abcdef01`', '', 'Text with cafe123.',
      '## Folders: src/sharing, src/receiving', '', 'Commit: `a349ffa`',
    ].join('\n');
    expect(migrationNotes(markdown)).toEqual(new Map([
      ['27c2341', 'the-metrics-namespace-is-sharedclustersnapshots'],
      ['abcdef0', 'the-metrics-namespace-is-sharedclustersnapshots'],
      ['a349ffa', 'folders-srcsharing-srcreceiving'],
    ]));
  });

  test('slug follows GitHub\'s anchors', () => {
    expect(slug('Upgrading to 0.3: the `retainCopies` default')).toBe('upgrading-to-03-the-retaincopies-default');
  });
});

describe('renderChangelog', () => {
  const releases = [
    { commits: [commit(5, 'feat: events'), commit(4, 'fix!: a renamed prop'), commit(3, 'docs: more'), commit(2, 'fix: a crash')] },
    { tag: 'v0.2.0', date: '2026-11-01', commits: [commit(1, 'feat(receiving): the receiver')] },
    { tag: 'v0.1.0', date: '2026-10-01', commits: [commit(0, 'chore: init')] },
  ];
  const out = renderChangelog(releases, { repositoryUrl: URL, notes: new Map([[hash(4).slice(0, 7), 'a-renamed-prop']]) });

  test('one section per release, newest first, Unreleased on top; grouped breaking, features, fixes', () => {
    const headings = out.split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual([
      '# Changelog', '## Unreleased', '### Breaking changes', '### Features', '### Fixes',
      '## v0.2.0 (2026-11-01)', '### Features', '## v0.1.0 (2026-10-01)',
    ]);
    expect(out).toContain('## v0.1.0 (2026-10-01)\n\nNo user-facing changes.');
  });

  test('each entry links its commit; a breaking one its migration note, or says it has none', () => {
    expect(out).toContain(`- a renamed prop ([0000004](${URL}/commit/${hash(4)})) ([migration](./MIGRATING.md#a-renamed-prop))`);
    expect(out).toContain(`- **receiving:** the receiver ([0000001](${URL}/commit/${hash(1)}))`);
    expect(out).not.toContain('more');
    const noNote = renderChangelog([{ commits: [commit(9, 'feat!: x')] }], { repositoryUrl: URL, notes: new Map() });
    expect(noNote).toContain('(no migration note yet)');
  });
});
