/**
 * Which handler source runs in which of the construct's functions, by the id the construct gives
 * each function (`this.handler('Prepare', PrepareFunction, ...)` in shared-cluster-snapshots.ts).
 * The one place the simulator maps functions to code: a function's logical id is its construct
 * path plus CDK's 8-character hash (`SnapshotsPrepareD4798EBB`), whatever its Description says.
 */
export const HANDLER_SOURCES: Readonly<Record<string, string>> = {
  Starter: 'src/source/handlers/start-executions.lambda.ts',
  Prepare: 'src/source/handlers/prepare.lambda.ts',
  CreateSnapshot: 'src/source/handlers/create-snapshot.lambda.ts',
  CheckSnapshot: 'src/source/handlers/check-snapshot.lambda.ts',
  CopySnapshot: 'src/source/handlers/copy-snapshot.lambda.ts',
  ShareSnapshot: 'src/source/handlers/share-snapshot.lambda.ts',
  CleanUp: 'src/source/handlers/clean-up.lambda.ts',
  CleanUpFailedRun: 'src/source/handlers/clean-up-failed-run.lambda.ts',
};

/** CDK appends an 8-hex-digit hash of the full construct path to every logical id. */
const CDK_HASH = /[0-9A-F]{8}$/;

/** The construct's handler id of a function's logical id (the longest that ends its path part), if any. */
export function handlerIdOf(logicalId: string): string | undefined {
  const path = logicalId.replace(CDK_HASH, '');
  return Object.keys(HANDLER_SOURCES)
    .filter((id) => path.endsWith(id))
    .sort((a, b) => b.length - a.length)[0];
}

export function handlerSourceOf(logicalId: string): string | undefined {
  const id = handlerIdOf(logicalId);
  return id && HANDLER_SOURCES[id];
}
