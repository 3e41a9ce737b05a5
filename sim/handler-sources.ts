import * as path from 'path';
import { handlerSides } from '../build-tools/bundle-handlers';
import { lambdaHandler } from '../src/shared/constants';

const ROOT = path.resolve(__dirname, '..');

let sources: Map<string, string> | undefined;

/**
 * The handler source a function runs, by its `Handler` property: `<side>.<exportName>` names one
 * handler of a side's bundle (src/shared/facts/bundles.ts), and the bundler's own discovery says
 * which `src/<side>/handlers/*.lambda.ts` it exports under that name. The one place the simulator
 * maps functions to code, whatever their construct ids or descriptions say.
 */
export function handlerSourceOf(handler: string): string | undefined {
  sources ??= new Map(handlerSides(ROOT).flatMap(({ side, handlers }) =>
    handlers.map(({ exportName, source }) => [lambdaHandler(side, exportName), source] as const)));
  return sources.get(handler);
}
