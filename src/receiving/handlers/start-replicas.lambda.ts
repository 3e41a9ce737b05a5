import { CopyState, parseCopyState } from './copy-state.lambda-shared';
import { replicaExecutionName, replicaRegions } from './replicas.lambda-shared';
import { receiverSettings } from './settings.lambda-shared';
import { startReplica, StartOutcome } from './start-copy.lambda-shared';
import { InvalidInput } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';

/** One replica execution per replica Region: its name and whether it was started now or before. */
export interface StartedReplica {
  readonly region: string;
  readonly executionName: string;
  readonly outcome: StartOutcome;
}

/**
 * Once the copy is available (and retention applied), starts one replica execution per replica
 * Region. Each Region's replica runs apart: a slow or failed one holds up neither the copy nor the
 * other Regions. Step Functions' own integrations call only its Region, so each replica execution
 * copies through a handler with a client of the destination Region.
 */
export async function handler(event: CopyState): Promise<StartedReplica[]> {
  const settings = receiverSettings();
  const { state, ref } = parseCopyState(event, settings);
  if (!state.copyArn) throw new InvalidInput(`Copy '${state.copyIdentifier}' is not available yet; nothing to replicate`);
  const started: StartedReplica[] = [];
  for (const { region } of replicaRegions()) {
    const executionName = replicaExecutionName(state.copyIdentifier, region, ref.kind);
    const input = { copyIdentifier: state.copyIdentifier, region, ...(ref.kind === 'instance' ? { kind: ref.kind } : {}) };
    started.push({ region, executionName, outcome: await startReplica(input, executionName) });
  }
  log('info', 'Started replicas', { copyIdentifier: state.copyIdentifier, started });
  return started;
}
