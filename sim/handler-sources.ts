import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

/**
 * Which handler source runs in which of the construct's functions, by the id the construct gives
 * each function (`this.handler('Prepare', PrepareFunction, ...)` in shared-cluster-snapshots.ts).
 * The one place the simulator maps functions to code: a function's logical id is its construct
 * path plus CDK's 8-character hash (`SnapshotsPrepareD4798EBB`), whatever its Description says.
 */
export const HANDLER_SOURCES: Readonly<Record<string, string>> = {
  Starter: 'src/sharing/handlers/start-executions.lambda.ts',
  Prepare: 'src/sharing/handlers/prepare.lambda.ts',
  CreateSnapshot: 'src/sharing/handlers/create-snapshot.lambda.ts',
  CheckSnapshot: 'src/sharing/handlers/check-snapshot.lambda.ts',
  CopySnapshot: 'src/sharing/handlers/copy-snapshot.lambda.ts',
  ShareSnapshot: 'src/sharing/handlers/share-snapshot.lambda.ts',
  CleanUp: 'src/sharing/handlers/clean-up.lambda.ts',
  CleanUpFailedRun: 'src/sharing/handlers/clean-up-failed-run.lambda.ts',
};

/** CDK appends an 8-hex-digit hash of the full construct path to every logical id. */
const CDK_HASH = /[0-9A-F]{8}$/;

/** The construct's handler id of a function's logical id (the longest that ends its path part), if any. */
export function handlerIdOf(logicalId: string): string | undefined {
  const constructPath = logicalId.replace(CDK_HASH, '');
  return Object.keys(HANDLER_SOURCES)
    .filter((id) => constructPath.endsWith(id))
    .sort((a, b) => b.length - a.length)[0];
}

/**
 * A function's handler source: the source side's map above first, else (for the receiver, and for
 * a handler added since) the `src/<side>/handlers/<kebab-case id>.lambda.ts` whose PascalCase name
 * ends the function's path, longest first: projen names each `*-function.ts` after its handler file
 * and the constructs give each function that name as its id.
 */
export function handlerSourceOf(logicalId: string, side: 'sharing' | 'receiving' | 'refreshing' = 'sharing'): string | undefined {
  const id = side === 'sharing' ? handlerIdOf(logicalId) : undefined;
  if (id) return HANDLER_SOURCES[id];
  const constructPath = logicalId.replace(CDK_HASH, '');
  return discoveredHandlers(side).filter((h) => constructPath.endsWith(h.id)).sort((a, b) => b.id.length - a.id.length)[0]?.source;
}

const discovered = new Map<string, { id: string; source: string }[]>();
function discoveredHandlers(side: 'sharing' | 'receiving' | 'refreshing'): { id: string; source: string }[] {
  if (!discovered.has(side)) {
    const dir = `src/${side}/handlers`;
    const files = fs.existsSync(path.join(ROOT, dir)) ? fs.readdirSync(path.join(ROOT, dir)) : [];
    discovered.set(side, files.filter((f) => f.endsWith('.lambda.ts')).map((f) => ({
      id: f.replace(/\.lambda\.ts$/, '').split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(''),
      source: `${dir}/${f}`,
    })));
  }
  return discovered.get(side)!;
}
