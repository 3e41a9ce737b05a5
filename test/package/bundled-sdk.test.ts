/**
 * The handlers ship with the AWS SDK bundled in, at the version pinned in package.json, so they run
 * the SDK the tests ran. A runtime-provided SDK older than the model would silently drop response
 * fields it does not know, such as `StorageEncryptionType` (added for Aurora's default encryption
 * with an AWS-owned key). The handlers of a side share one bundle, which carries the SDK once.
 * Needs the bundles in `assets/` (`npx projen bundle`, part of the build).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { handlerSides } from '../../build-tools/bundle-handlers';
import { handlerBundleFile } from '../../src/shared/constants';

const ROOT = path.resolve(__dirname, '..', '..');
const SIDES = handlerSides(ROOT);
/** Each side's bundle, by side. */
const BUNDLES = new Map(SIDES.map(({ side }) => [side, handlerBundleFile(side)]));
const BUNDLED = [...BUNDLES.values()].every((bundle) => fs.existsSync(path.join(ROOT, bundle)));
const run = promisify(execFile);

/** The only @aws-sdk package a bundle may still require: the optional CRT signer (SigV4a only), loaded inside a try. */
const OPTIONAL_REQUIRES = ['@aws-sdk/signature-v4-crt'];

/** The RDS client class, whose name esbuild's `keepNames` keeps once per copy: `static{__name(this,"RDSClient")}`. */
const RDS_CLIENT_CLASS = /\(this,"RDSClient"\)/g;

function pinned(client: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return manifest.devDependencies[`@aws-sdk/${client}`];
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [path.relative(ROOT, full).split(path.sep).join('/')];
  });
}

/** Node.js with only what a Lambda function of no particular handler has: no function environment. */
const BARE_ENV: NodeJS.ProcessEnv = { PATH: process.env.PATH, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

if (!BUNDLED) {
  describe('bundled AWS SDK', () => {
    it.skip('SKIPPED: assets/ is absent; run `npx projen bundle` (or the whole build) first', () => undefined);
  });
} else {
  describe('bundled AWS SDK', () => {
    it('is pinned to an exact version in package.json, the one installed for the tests', () => {
      for (const client of ['client-rds', 'client-sfn']) {
        const installed = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', '@aws-sdk', client, 'package.json'), 'utf8')).version;
        expect({ client, pinned: pinned(client) }).toEqual({ client, pinned: installed });
      }
    });

    it('assets/ holds one bundle per side and nothing else: no handler has a bundle, and an SDK copy, of its own', () => {
      expect(filesUnder(path.join(ROOT, 'assets')).sort()).toEqual([...BUNDLES.values()].sort());
    });

    it.each([...BUNDLES])('the %s bundle carries the pinned RDS client exactly once and loads no SDK from the runtime', (_, bundle) => {
      const code = fs.readFileSync(path.join(ROOT, bundle), 'utf8');
      // One copy of the client: its class once, and its package version (in its user agent) once.
      expect(code.split(`"${pinned('client-rds')}"`).length - 1).toBe(1);
      expect(code.match(RDS_CLIENT_CLASS)).toHaveLength(1);
      const required = [...code.matchAll(/require\("(@aws-sdk\/[^"]+)"\)/g)].map((m) => m[1]);
      expect(required.filter((r) => !OPTIONAL_REQUIRES.includes(r))).toEqual([]);
    });

    it.each(SIDES.map((side) => [side.side, side] as const))('the %s bundle loads with no function environment and exports every handler of its side', async (side, { handlers }) => {
      const script = `const m = require(${JSON.stringify(path.join(ROOT, BUNDLES.get(side)!))});` +
        'console.log(JSON.stringify(Object.keys(m).filter((k) => typeof m[k] === "function").sort()))';
      const { stdout } = await run(process.execPath, ['-e', script], { env: BARE_ENV });
      expect(JSON.parse(stdout)).toEqual(handlers.map(({ exportName }) => exportName).sort());
    });

    it('the bundled Prepare reads StorageEncryptionType from a real RDS response: an AWS-owned-key cluster is copied, not refused', async () => {
      const server = http.createServer((req, res) => {
        let body = '';
        req.on('data', (chunk) => (body += chunk));
        req.on('end', () => {
          const action = new URLSearchParams(body).get('Action') ?? '';
          res.setHeader('content-type', 'text/xml');
          res.end(RESPONSES[action] ?? '');
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      try {
        const script = `require(${JSON.stringify(path.join(ROOT, BUNDLES.get('sharing')!))}).prepare(${JSON.stringify(EVENT)})` +
          '.then((r) => console.log(JSON.stringify(r)), (e) => { console.log(JSON.stringify({ error: e.name, message: e.message })); })';
        const { stdout } = await run(process.execPath, ['-e', script], { env: { ...BUNDLE_ENV, AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` } });
        const result = JSON.parse(stdout.trim().split('\n').pop()!);
        expect(result).toMatchObject({ clusterIdentifier: 'orders-db', copyRequired: true });
      } finally {
        server.close();
      }
    });
  });
}

const EVENT = { input: { clusterIdentifier: 'orders-db', runId: '202611270300' }, executionStartTime: '2026-11-27T03:00:00Z' };

/** What the construct sets on the Prepare function, with fake credentials for the local endpoint. */
const BUNDLE_ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_MAX_ATTEMPTS: '1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  SHARED_CLUSTER_SNAPSHOTS_SILENT: 'true',
  OWNER_ID: 'owner',
  SNAPSHOT_PREFIX: 'shared',
  SHARING_KEY_ARN: 'arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555',
  TARGET_ACCOUNT_IDS: '222222222222',
  RETAIN_SNAPSHOTS: '1',
  ALLOW_UNENCRYPTED: 'false',
  SNAPSHOT_TIMEOUT_SECONDS: '3600',
  WAIT_INTERVAL_SECONDS: '60',
  CLUSTER_IDENTIFIERS: 'orders-db',
};

/**
 * RDS Query-protocol responses (XML, namespace of API version 2014-10-31), as RDS sends them for an
 * Aurora cluster created with the default encryption since 2026-02-18: `StorageEncrypted` false,
 * `StorageEncryptionType` sse-rds, no `KmsKeyId` (DBCluster shape in @aws-sdk/client-rds).
 */
const RESPONSES: Record<string, string> = {
  DescribeDBClusters: `<DescribeDBClustersResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/">
  <DescribeDBClustersResult><DBClusters><DBCluster>
    <DBClusterIdentifier>orders-db</DBClusterIdentifier>
    <DBClusterArn>arn:aws:rds:eu-west-1:111111111111:cluster:orders-db</DBClusterArn>
    <Engine>aurora-postgresql</Engine>
    <Status>available</Status>
    <StorageEncrypted>false</StorageEncrypted>
    <StorageEncryptionType>sse-rds</StorageEncryptionType>
    <TagList/>
  </DBCluster></DBClusters></DescribeDBClustersResult>
  <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000001</RequestId></ResponseMetadata>
</DescribeDBClustersResponse>`,
  DescribeDBClusterSnapshots: `<DescribeDBClusterSnapshotsResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/">
  <DescribeDBClusterSnapshotsResult><DBClusterSnapshots/></DescribeDBClusterSnapshotsResult>
  <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000002</RequestId></ResponseMetadata>
</DescribeDBClusterSnapshotsResponse>`,
};
