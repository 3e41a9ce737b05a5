import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Project roots in temporary folders, for the build tools' tests: `create(files)` writes each file
 * (project path → content), and every root is removed after the test file's tests.
 */
export function projectFixtures(prefix: string): (files: Record<string, string>) => string {
  const roots: string[] = [];
  afterAll(() => {
    for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
  });
  return (files) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    roots.push(root);
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), content);
    }
    return root;
  };
}
