import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A TCP proxy on 127.0.0.1 in front of a port, whose connections the test can cut (a network drop). */
export interface TcpProxy {
  readonly port: number;
  /** Destroys every proxied connection, both sides. */
  dropAll(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  const server = createServer((inbound) => {
    const outbound = connect(targetPort, '127.0.0.1');
    const pair: [Socket, Socket] = [inbound, outbound];
    pairs.add(pair);
    const cut = () => {
      pairs.delete(pair);
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', cut).on('close', cut).pipe(outbound);
    outbound.on('error', cut).on('close', cut).pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const dropAll = () => {
    for (const [inbound, outbound] of [...pairs]) {
      inbound.destroy();
      outbound.destroy();
    }
  };
  return {
    port: (server.address() as AddressInfo).port,
    dropAll,
    close: () => {
      dropAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
