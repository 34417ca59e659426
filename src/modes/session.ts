/**
 * Opening the engine session for an exchange: the route's ruleset, with the
 * same fail-open rule as the engine itself (tx-adapter.ts) when it cannot be had.
 */
import type { Waf } from '../engine/api.ts';
import { EngineSession } from '../proxy/tx-adapter.ts';
import type { ConnectionInfo } from '../proxy/tx-adapter.ts';
import type { ExchangeBase, SocketAddress } from './types.ts';

export function openSession(exchange: ExchangeBase): EngineSession {
  const { services, id } = exchange;
  let waf: Waf | undefined;
  try {
    waf = services.wafFor(exchange.route?.route);
  } catch (error) {
    services.observer.engineError(error, id);
    services.logger.error({ err: error, txId: id }, 'no ruleset for this request: passed uninspected (fail-open)');
  }
  return new EngineSession(waf, id, services.observer, services.logger);
}

export function connectionInfo(client: SocketAddress, local: SocketAddress): ConnectionInfo {
  return { clientAddress: client.address, clientPort: client.port, serverAddress: local.address, serverPort: local.port };
}
