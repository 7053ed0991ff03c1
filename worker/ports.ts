/** Loopback port helpers for `npm start`'s embedded services. */
import net from 'node:net';

/** Resolves true if the port can be bound on the host right now. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** A port the OS reports free on the host. */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Holds a port from now until `release()`: the preferred one if free, else (or when it is 0) any free one. For a
 * service that must be named before it can listen (the web service, named to Temporal's UI as its codec), so
 * that another process cannot take the port meanwhile.
 */
export async function reservePort(
  preferred: number,
  host = '127.0.0.1',
): Promise<{ readonly port: number; release(): Promise<void> }> {
  const listen = (port: number) =>
    new Promise<net.Server>((resolve, reject) => {
      const server = net.createServer();
      server.once('error', reject);
      server.listen(port, host, () => resolve(server));
    });
  const server = preferred === 0 ? await listen(0) : await listen(preferred).catch(() => listen(0));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : preferred,
    release: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The preferred port if free, else (or when it is 0) any free port. */
export async function preferredOrFreePort(preferred: number, host = '127.0.0.1'): Promise<number> {
  return preferred !== 0 && (await isPortFree(preferred, host)) ? preferred : findFreePort(host);
}
