/**
 * The network between the simulated functions and the restored databases: `net.createConnection`
 * to a cluster endpoint connects when its name resolves (sim/rds-database-names.ts), the cluster is
 * `available` with an `available` writer, and the port is the cluster's; otherwise it fails as a
 * socket does (ENOTFOUND for a name that does not resolve, ECONNREFUSED otherwise). Security groups
 * and routes are not modelled: the functions are taken to be in the database's VPC.
 */
import { EventEmitter } from 'events';
import type { RdsDatabases } from './rds-databases';

// The module object itself (an `import * as` namespace is read-only): the handlers call its createConnection.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const net = require('net') as { createConnection: unknown };

class FakeSocket extends EventEmitter {
  private timer?: ReturnType<typeof setTimeout>;

  public setTimeout(ms: number, onTimeout?: () => void): this {
    if (onTimeout) this.timer = setTimeout(onTimeout, ms);
    return this;
  }

  public end(): this {
    this.destroy();
    return this;
  }

  public destroy(): this {
    if (this.timer) clearTimeout(this.timer);
    return this;
  }
}

/** Connections the network refused or accepted, for tests. */
export interface ConnectionAttempt {
  readonly at: number;
  readonly host: string;
  readonly port: number;
  readonly outcome: 'connect' | 'ENOTFOUND' | 'ECONNREFUSED';
}

/** Installs the network for `databases`; returns the attempts log and a function that uninstalls it. */
export function installDatabaseNetwork(
  databases: RdsDatabases,
  refusedPorts: number[] = [],
): { attempts: ConnectionAttempt[]; uninstall: () => void } {
  const original = net.createConnection;
  const attempts: ConnectionAttempt[] = [];
  net.createConnection = (options: { host: string; port: number }) => {
    const socket = new FakeSocket();
    const outcome = outcomeOf(databases, options.host, options.port, refusedPorts);
    attempts.push({ at: Date.now(), host: options.host, port: options.port, outcome });
    process.nextTick(() => {
      if (outcome === 'connect') socket.emit('connect');
      else socket.emit('error', Object.assign(new Error(`connect ${outcome} ${options.host}:${options.port}`), { code: outcome }));
    });
    return socket;
  };
  return { attempts, uninstall: () => { net.createConnection = original; } };
}

function outcomeOf(databases: RdsDatabases, host: string, port: number, refusedPorts: number[]): ConnectionAttempt['outcome'] {
  const name = host.split('.')[0];
  const resourceId = databases.names.resolve(name);
  const cluster = resourceId ? [...databases.clusters.values()].find((c) => c.resourceId === resourceId) : undefined;
  if (!cluster) return 'ENOTFOUND';
  databases.cluster(cluster.identifier);
  const writer = databases.membersOf(cluster).sort((a, b) => a.createdAt - b.createdAt)[0];
  const serving = cluster.status === 'available' && writer?.status === 'available' && cluster.port === port && !refusedPorts.includes(port);
  return serving ? 'connect' : 'ECONNREFUSED';
}
