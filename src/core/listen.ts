import type http from 'node:http';

/**
 * Listens on `port`, or fails with one sentence saying why. While listening starts, the
 * server's other 'error' listeners are set aside: the graphql-ws server re-emits the http
 * server's errors and would print a stack for a port in use, then leave the process hanging.
 */
export function listen(server: http.Server, port: number, host: string): Promise<void> {
  const others = server.listeners('error') as Array<(err: Error) => void>;
  server.removeAllListeners('error');
  const restore = () => {
    for (const l of others) server.on('error', l);
  };
  return new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      restore();
      reject(new Error(listenFailure(err, port, host)));
    });
    server.listen(port, host, () => {
      server.removeAllListeners('error');
      restore();
      resolve();
    });
  });
}

function listenFailure(err: NodeJS.ErrnoException, port: number, host: string): string {
  switch (err.code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use by another program; stop it or set PORT to a free port`;
    case 'EACCES':
      return `not permitted to listen on port ${port} on ${host} (ports below 1024 need privileges); set PORT to a port above 1023`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `cannot listen on ${host}: no such address on this machine; set HOST to one of its addresses (e.g. 127.0.0.1)`;
    default:
      return `cannot listen on ${host}:${port}: ${err.message}`;
  }
}
