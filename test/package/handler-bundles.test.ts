/**
 * The handlers of a side share one bundle (build-tools/bundle-handlers.ts), so the AWS SDK is
 * bundled once per side and a new handler costs only its own code: bundled in memory here with the
 * bundler's own options. The constructs deploy that bundle as one asset per side; the template
 * checks need the bundles in `assets/` (`npx projen bundle`), since synthesis stages them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as cxapi from 'aws-cdk-lib/cx-api';
import * as esbuild from 'esbuild';
import { entrySource, handlerSides, sideBuildOptions, type HandlerSide } from '../../build-tools/bundle-handlers';
import { ReceivedClusterSnapshots, RefreshedDatabase, SharedClusterSnapshots } from '../../src';
import { handlerBundleFile, lambdaHandler } from '../../src/shared/constants';

const ROOT = path.resolve(__dirname, '..', '..');
const SIDES = handlerSides(ROOT);

/** What one more handler may add to its side's bundle (minified bytes). */
const MORE_HANDLER_BUDGET_BYTES = 20_000;
/** A handler bundled on its own carries the SDK: at least ten times that budget. */
const ALONE_MIN_BYTES = 10 * MORE_HANDLER_BUDGET_BYTES;

/**
 * A handler written as the others are: the shared RDS client and log, calling an RDS API no
 * handler calls yet, so its command's code is new to every bundle.
 */
const SYNTHETIC_HANDLER = `
import { DescribeDBClusterEndpointsCommand } from '@aws-sdk/client-rds';
import { rds } from '../../shared/clients.lambda-shared';
import { log } from '../../shared/log.lambda-shared';

export async function handler(event: { clusterIdentifier: string }): Promise<number> {
  const { DBClusterEndpoints = [] } = await rds.send(new DescribeDBClusterEndpointsCommand({ DBClusterIdentifier: event.clusterIdentifier }));
  log('info', 'Listed the endpoints', { clusterIdentifier: event.clusterIdentifier, count: DBClusterEndpoints.length });
  return DBClusterEndpoints.length;
}
`;
const SYNTHETIC = 'synthetic-handler';

/** Resolves `synthetic-handler` to SYNTHETIC_HANDLER, as if it were a file of the side's handlers folder. */
function syntheticHandler(side: HandlerSide): esbuild.Plugin {
  return {
    name: SYNTHETIC,
    setup(build) {
      build.onResolve({ filter: new RegExp(`^${SYNTHETIC}$`) }, () => ({ path: SYNTHETIC, namespace: SYNTHETIC }));
      build.onLoad({ filter: /.*/, namespace: SYNTHETIC }, () => ({
        contents: SYNTHETIC_HANDLER,
        loader: 'ts',
        resolveDir: path.join(ROOT, 'src', side.side, 'handlers'),
      }));
    },
  };
}

/** The minified size of `entry` bundled as the side's module. */
async function bundledBytes(side: HandlerSide, entry: string): Promise<number> {
  const result = await esbuild.build({ ...sideBuildOptions(ROOT, side, entry), plugins: [syntheticHandler(side)], write: false });
  return result.outputFiles[0].contents.length;
}

describe('one bundle per side', () => {
  it('finds the sides with handlers, each handler exported under its own name', () => {
    expect(SIDES.map(({ side }) => side)).toEqual(expect.arrayContaining(['receiving', 'sharing']));
    for (const { side, handlers } of SIDES) {
      const onDisk = fs.readdirSync(path.join(ROOT, 'src', side, 'handlers')).filter((f) => f.endsWith('.lambda.ts'));
      expect(handlers.map(({ source }) => path.basename(source)).sort()).toEqual(onDisk.sort());
      expect(new Set(handlers.map(({ exportName }) => exportName)).size).toBe(handlers.length);
      expect(entrySource({ side, handlers }).trim().split('\n')).toHaveLength(handlers.length);
    }
    const receiving = SIDES.find(({ side }) => side === 'receiving')!;
    expect(receiving.handlers).toContainEqual({ source: 'src/receiving/handlers/copy-shared-snapshot.lambda.ts', exportName: 'copySharedSnapshot' });
  });

  it.each(SIDES.map((side) => [side.side, side] as const))(
    'one more %s handler that uses the RDS client adds under 20 KB; bundled alone, as one bundle per handler would, it carries the SDK',
    async (_, side) => {
      const entry = entrySource(side);
      const base = await bundledBytes(side, entry);
      const withOneMore = await bundledBytes(side, `${entry}export { handler as synthetic } from '${SYNTHETIC}';\n`);
      const alone = await bundledBytes(side, `export { handler } from '${SYNTHETIC}';\n`);
      const growth = withOneMore - base;
      expect(growth).toBeGreaterThan(0);
      expect(growth).toBeLessThan(MORE_HANDLER_BUDGET_BYTES);
      expect(alone).toBeGreaterThan(ALONE_MIN_BYTES);
    },
  );
});

const BUNDLED = SIDES.every(({ side }) => fs.existsSync(path.join(ROOT, handlerBundleFile(side))));

if (!BUNDLED) {
  describe('one asset per side in the templates', () => {
    it.skip('SKIPPED: assets/ is absent; run `npx projen bundle` (or the whole build) first', () => undefined);
  });
} else {
  describe('one asset per side in the templates', () => {
    interface Synthesized {
      readonly functions: { handler: string; s3Key: string }[];
      /** The ids (source hashes) of the zip assets in the stack's asset manifest. */
      readonly zipAssets: string[];
      /** What Lambda's Node.js runtime would load for a function's Handler from the staged asset. */
      loadHandler(fn: { handler: string; s3Key: string }): unknown;
    }

    /**
     * Lambda's Node.js runtime splits a Handler at its first dot into the module (a file of the
     * asset's root, `.js`) and the path of the function in its exports (aws-lambda-nodejs-runtime-interface-client,
     * src/UserFunction.js: FUNCTION_EXPR = /^([^.]*)\.(.*)$/).
     */
    const LAMBDA_HANDLER = /^([^.]*)\.(.*)$/;

    function synthesize(add: (stack: Stack) => void): Synthesized {
      const app = new App();
      const stack = new Stack(app, 'BundleStack', { env: { account: '111111111111', region: 'eu-west-1' } });
      add(stack);
      const assembly = app.synth();
      const template = assembly.getStackByName(stack.stackName).template;
      const functions = Object.values(template.Resources as Record<string, any>)
        .filter((r) => r.Type === 'AWS::Lambda::Function')
        .map((r) => ({ handler: r.Properties.Handler, s3Key: r.Properties.Code.S3Key }));
      const manifest = assembly.artifacts.find((a): a is cxapi.AssetManifestArtifact => a instanceof cxapi.AssetManifestArtifact)!;
      const files = JSON.parse(fs.readFileSync(manifest.file, 'utf8')).files as Record<string, { source: { packaging?: string } }>;
      const loadHandler = ({ handler, s3Key }: { handler: string; s3Key: string }) => {
        const [, module, exportPath] = LAMBDA_HANDLER.exec(handler)!;
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const exported = require(path.join(assembly.directory, `asset.${s3Key.replace(/\.zip$/, '')}`, `${module}.js`));
        return exportPath.split('.').reduce((value, key) => value?.[key], exported);
      };
      return { functions, zipAssets: Object.keys(files).filter((id) => files[id].source.packaging === 'zip'), loadHandler };
    }

    const exportsOf = (side: string) => SIDES.find((s) => s.side === side)!.handlers.map(({ exportName }) => lambdaHandler(side, exportName));

    it('SharedClusterSnapshots, with every optional function, deploys the sharing bundle once, where Lambda finds each handler', () => {
      const { functions, zipAssets, loadHandler } = synthesize((stack) => new SharedClusterSnapshots(stack, 'Snapshots', {
        clusterIdentifiers: ['orders-db'], targetAccountIds: ['222222222222'], notifyTargetAccounts: true, retainUntilCopied: true,
      }));
      expect(functions.length).toBeGreaterThanOrEqual(10);
      expect(exportsOf('sharing')).toEqual(expect.arrayContaining(functions.map(({ handler }) => handler)));
      expect(new Set(functions.map(({ s3Key }) => s3Key)).size).toBe(1);
      expect(zipAssets).toEqual([functions[0].s3Key.replace(/\.zip$/, '')]);
      expect(functions.filter((fn) => typeof loadHandler(fn) !== 'function')).toEqual([]);
    });

    it('ReceivedClusterSnapshots deploys the receiving bundle once, where Lambda finds each handler', () => {
      const { functions, zipAssets, loadHandler } = synthesize((stack) => new ReceivedClusterSnapshots(stack, 'Received', { sourceAccountIds: ['333333333333'] }));
      expect(functions.length).toBeGreaterThanOrEqual(5);
      expect(exportsOf('receiving')).toEqual(expect.arrayContaining(functions.map(({ handler }) => handler)));
      expect(new Set(functions.map(({ s3Key }) => s3Key)).size).toBe(1);
      expect(zipAssets).toEqual([functions[0].s3Key.replace(/\.zip$/, '')]);
      expect(functions.filter((fn) => typeof loadHandler(fn) !== 'function')).toEqual([]);
    });

    it('RefreshedDatabase deploys the refreshing bundle once, where Lambda finds each handler', () => {
      const { functions, zipAssets, loadHandler } = synthesize((stack) => {
        const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
        new RefreshedDatabase(stack, 'Refreshed', {
          source: new ReceivedClusterSnapshots(stack, 'Received', { sourceAccountIds: ['333333333333'] }),
          sourceClusterIdentifier: 'orders-db',
          databaseIdentifier: 'orders-staging',
          subnetGroup: new rds.SubnetGroup(stack, 'Subnets', { vpc, description: 'db', vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }),
          databaseSecurityGroups: [new ec2.SecurityGroup(stack, 'Group', { vpc })],
        });
      });
      const refreshing = functions.filter(({ handler }) => handler.startsWith('refreshing.'));
      expect(refreshing).toHaveLength(9);
      expect(exportsOf('refreshing')).toEqual(expect.arrayContaining(refreshing.map(({ handler }) => handler)));
      expect(new Set(refreshing.map(({ s3Key }) => s3Key)).size).toBe(1);
      expect(zipAssets).toHaveLength(2);
      expect(functions.filter((fn) => typeof loadHandler(fn) !== 'function')).toEqual([]);
    });
  });
}
