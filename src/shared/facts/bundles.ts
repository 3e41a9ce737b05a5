/**
 * Where the handlers' code ships. The handlers of a side (`src/<side>/handlers/*.lambda.ts`) are
 * bundled together, with the AWS SDK once, into one module of the package,
 * `assets/<side>/handlers/<side>.js` (build-tools/bundle-handlers.ts), which exports each handler
 * under the camel case of its file name (`copy-snapshot.lambda.ts` exports `copySnapshot`). Every
 * function of a side deploys that one asset and runs its handler as `<side>.<exportName>`.
 *
 * A fact module (see ../constants.ts): imported by the constructs, the bundler and the simulator, so
 * it imports only other fact modules.
 */

/** A side's bundle folder, relative to the package root: the one asset every function of the side deploys. */
export function handlerBundleDir(side: string): string {
  return `assets/${side}/handlers`;
}

/** A side's bundle, relative to the package root: the module its functions' `Handler` names. */
export function handlerBundleFile(side: string): string {
  return `${handlerBundleDir(side)}/${side}.js`;
}

/** The name a handler file's `handler` is exported under in its side's bundle. */
export function handlerExportName(fileName: string): string {
  const stem = fileName.replace(/^.*\//, '').replace(/\.lambda\.ts$/, '');
  return stem.replace(/-([a-z0-9])/g, (_, next: string) => next.toUpperCase());
}

/**
 * A function's `Handler`: the side's bundle module (`<side>.js`), then the export. The Lambda
 * Node.js runtime reads the module name up to the first dot, so side folders have no dot.
 */
export function lambdaHandler(side: string, exportName: string): string {
  return `${side}.${exportName}`;
}
