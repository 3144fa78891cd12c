// A TCP proxy in front of a shared service (PostgreSQL, Redis) that a test can
// cut and restore, without stopping the service other engineers use:
// - 'refuse': open connections are reset and the port stops listening
//   (a stopped server: ECONNREFUSED);
// - 'hang': open connections and new ones stay up but no byte passes in
//   either direction (a network partition: only timeouts notice).
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export type Cut = 'refuse' | 'hang';

export interface TcpProxy {
  port: number;
  /** Replaces host:port in a URL with the proxy's. */
  url(target: string): string;
  cut(mode: Cut): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let mode: Cut | null = null;
  const sockets = new Set<Socket>();
  const track = (s: Socket): void => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const onConnection = (client: Socket): void => {
    track(client);
    if (mode === 'hang') return; // accepted, never answered
    const upstream = createConnection({ host: targetHost, port: targetPort });
    track(upstream);
    const pipe = (from: Socket, to: Socket): void => {
      from.on('data', (chunk) => { if (mode !== 'hang') to.write(chunk); });
      from.on('close', () => to.destroy());
    };
    pipe(client, upstream);
    pipe(upstream, client);
  };
  let server: Server = createServer(onConnection);
  const listen = (port: number): Promise<number> => new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : port);
    });
  });
  const port = await listen(0);
  const closeServer = (): Promise<void> => new Promise((resolve) => server.close(() => resolve()));
  const dropAll = (): void => { for (const s of sockets) s.destroy(); };
  return {
    port,
    url: (target) => { const u = new URL(target); u.hostname = '127.0.0.1'; u.port = String(port); return u.toString(); },
    async cut(m) {
      mode = m;
      if (m === 'refuse') {
        const closed = closeServer();
        dropAll();
        await closed;
      }
    },
    async restore() {
      const was = mode;
      mode = null;
      // Hung connections are dead for their clients anyway (they saw timeouts): end them as a partition's TCP would.
      dropAll();
      if (was === 'refuse') {
        server = createServer(onConnection);
        await listen(port);
      }
    },
    async close() {
      mode = 'refuse';
      const closed = server.listening ? closeServer() : Promise.resolve();
      dropAll();
      await closed;
    },
  };
}
