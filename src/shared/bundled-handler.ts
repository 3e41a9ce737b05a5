import * as path from 'path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { handlerBundleDir, lambdaHandler } from './constants';

/**
 * Lambda's Node.js 22 runtime, pinned: the synthesized runtime does not drift with the newest one
 * the app's aws-cdk-lib knows. Named, so aws-cdk-lib 2.186 (the minimum) synthesizes it too.
 */
const RUNTIME = new lambda.Runtime('nodejs22.x', lambda.RuntimeFamily.NODEJS);

/** The package root: this file is `src/shared/` in the sources, `lib/shared/` once compiled. */
const PACKAGE_ROOT = path.join(__dirname, '..', '..');

/** HTTP keep-alive for the SDK clients, in every function's environment. */
export const CONNECTION_REUSE_ENVIRONMENT: Readonly<Record<string, string>> = { AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1' };

/**
 * One handler of a side's bundle (src/shared/facts/bundles.ts): the side is the folder of `src/`
 * (`sharing`), the export name the camel case of the handler's file name (`copy-snapshot.lambda.ts`
 * exports `copySnapshot`).
 */
export interface BundledHandler {
  readonly side: string;
  readonly exportName: string;
}

/**
 * A function running `handler`: the pre-bundled module of its side as its code (the same folder for
 * every function of a side, so CDK stages and uploads it once), the pinned runtime, and HTTP
 * keep-alive for the SDK clients.
 */
export function bundledFunction(scope: Construct, id: string, handler: BundledHandler, options: lambda.FunctionOptions): lambda.Function {
  const fn = new lambda.Function(scope, id, {
    ...options,
    runtime: RUNTIME,
    code: lambda.Code.fromAsset(path.join(PACKAGE_ROOT, handlerBundleDir(handler.side))),
    handler: lambdaHandler(handler.side, handler.exportName),
  });
  for (const [key, value] of Object.entries(CONNECTION_REUSE_ENVIRONMENT)) fn.addEnvironment(key, value, { removeInEdge: true });
  return fn;
}
