/**
 * The integration test app (test/integ.shared-snapshots.ts) deploys only with a real target account,
 * while integ-runner's offline snapshot synth still runs without one.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../../..');
const APP = path.join(ROOT, 'test/integ.shared-snapshots.ts');
const PLACEHOLDER = '000000000000';

/** Runs the app as the CDK CLI does (CDK_OUTDIR makes it synthesize); returns its result and the main template. */
function runApp(env: Record<string, string | undefined>): { status: number | null; stderr: string; template?: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-app-'));
  try {
    const base: NodeJS.ProcessEnv = { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.dev.json'), CDK_OUTDIR: outdir };
    delete base.TARGET_ACCOUNT_ID;
    delete base.CDK_INTEG_ACCOUNT;
    const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', APP], { cwd: ROOT, encoding: 'utf8', env: { ...base, ...env } });
    const templateFile = path.join(outdir, 'SharedClusterSnapshotsInteg.template.json');
    return { status: result.status, stderr: result.stderr, template: fs.existsSync(templateFile) ? fs.readFileSync(templateFile, 'utf8') : undefined };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe('the integration test app', () => {
  test('refuses to synthesize for a deployment without TARGET_ACCOUNT_ID, saying why and what to set', () => {
    const { status, stderr, template } = runApp({});
    expect(status).not.toBe(0);
    expect(stderr).toContain('TARGET_ACCOUNT_ID is not set');
    expect(stderr).toContain('MalformedPolicyDocumentException');
    expect(template).toBeUndefined();
  });

  test('shares with TARGET_ACCOUNT_ID when deploying, never with the placeholder', () => {
    const { status, template } = runApp({ TARGET_ACCOUNT_ID: '444455556666' });
    expect(status).toBe(0);
    expect(template).toContain(':iam::444455556666:root');
    expect(template).not.toContain(PLACEHOLDER);
  });

  test('uses the placeholder in integ-runner\'s snapshot synth (CDK_INTEG_ACCOUNT=12345678), with or without TARGET_ACCOUNT_ID', () => {
    for (const env of [{ CDK_INTEG_ACCOUNT: '12345678' }, { CDK_INTEG_ACCOUNT: '12345678', TARGET_ACCOUNT_ID: '444455556666' }]) {
      const { status, template } = runApp(env);
      expect(status).toBe(0);
      expect(template).toContain(`:iam::${PLACEHOLDER}:root`);
      expect(template).not.toContain('444455556666');
    }
  });
});
