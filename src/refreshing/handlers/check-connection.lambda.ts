import { createConnection } from 'net';
import { RestoreTestFailed } from './errors.lambda-shared';
import { REFRESH_ENV } from '../../shared/constants';
import { InvalidInput } from '../../shared/errors.lambda-shared';
import { log } from '../../shared/log.lambda-shared';
import { preview, requireObject } from '../../shared/validate.lambda-shared';

/** What the check gets: the restored database, as the post-restore step would. */
export interface CheckConnectionEvent {
  readonly endpoint: string;
  readonly port: number;
}

export interface ConnectionCheck {
  /** False when the functions run outside a VPC: only the database's status was checked. */
  readonly connected: boolean;
  readonly endpoint: string;
  readonly port: number;
  readonly milliseconds?: number;
}

/** How long the check waits for the database to accept the connection. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The built-in restore-test check, after the database, its instances and secret are available: from
 * a function in the VPC (`vpc`), the database accepts a TCP connection on its port. Outside a VPC
 * the database's endpoint is not reachable, and the check is that it is available (CheckReady).
 */
export async function handler(event: CheckConnectionEvent): Promise<ConnectionCheck> {
  const obj = requireObject(event, 'The CheckConnection input');
  if (typeof obj.endpoint !== 'string' || obj.endpoint.length === 0 || !Number.isInteger(obj.port)) {
    throw new InvalidInput(`The CheckConnection input needs the database's endpoint and port, got ${preview(obj)}`);
  }
  const { endpoint, port } = event;
  if (process.env[REFRESH_ENV.CONNECT] !== 'true') return { connected: false, endpoint, port };
  const started = Date.now();
  await connect(endpoint, port);
  const milliseconds = Date.now() - started;
  log('info', 'The restored database accepted a connection', { endpoint, port, milliseconds });
  return { connected: true, endpoint, port, milliseconds };
}

function connect(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host, port });
    const fail = (why: string) => {
      socket.destroy();
      reject(new RestoreTestFailed(`The restored database at ${host}:${port} did not accept a connection: ${why}`));
    };
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => fail(`no answer within ${CONNECT_TIMEOUT_MS / 1000} s`));
    socket.once('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
    socket.once('connect', () => {
      socket.end();
      resolve();
    });
  });
}
