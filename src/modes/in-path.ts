/**
 * The in-path pipeline shared by inline and detect: phases 1-2 before
 * anything reaches the upstream (the body is read first when the engine
 * inspects it), then forwarding, with phases 3-4 on the response.
 *
 * The two modes differ only in `enforce`: inline answers an interruption
 * itself (deny/redirect/drop) and never forwards the request; detect records
 * it as 'would-block' and forwards as if nothing matched.
 */
import type { Interruption } from '../engine/api.ts';
import type { Verdict } from '../observability/types.ts';
import { clientFromForwarded } from '../proxy/addresses.ts';
import type { Endpoint } from '../proxy/balancer.ts';
import { answeredByFrontStatus, enforceInterruption, sendRawStatus, sendStatus } from '../proxy/block-response.ts';
import { forwardToRoute } from '../proxy/forward.ts';
import type { ForwardOutcome, ResponseGate } from '../proxy/forward.ts';
import { upstreamRequestHeaders } from '../proxy/headers.ts';
import type { ForwardedInfo } from '../proxy/headers.ts';
import { hasRequestBody, readRequestBody, withoutRequestBody } from '../proxy/tx-adapter.ts';
import type { EngineSession } from '../proxy/tx-adapter.ts';
import { forwardUpgrade } from '../proxy/websocket.ts';
import type { UpgradeOutcome } from '../proxy/websocket.ts';
import { buildReport, emitReport } from './report.ts';
import { connectionInfo, openSession } from './session.ts';
import type { Exchange, ExchangeBase, Mode, SocketAddress, UpgradeExchange } from './types.ts';

/** nginx's convention for "the client went away before the answer". */
const CLIENT_CLOSED = 499;

/** The client behind a trusted proxy (X-Forwarded-For), else the peer itself. */
function resolveClient(exchange: ExchangeBase): { client: SocketAddress; trusted: boolean } {
  const { peer, services, req } = exchange;
  if (!services.trustedProxies.has(peer.address)) return { client: peer, trusted: false };
  const forwarded = clientFromForwarded(req.headers['x-forwarded-for'], services.trustedProxies);
  return { client: forwarded ? { address: forwarded, port: 0 } : peer, trusted: true };
}

function forwardedInfo(exchange: ExchangeBase, client: SocketAddress, trusted: boolean): ForwardedInfo {
  return {
    requestId: exchange.id,
    peerAddress: exchange.peer.address,
    clientAddress: client.address,
    trustedPeer: trusted,
    proto: 'http',
    host: exchange.absoluteHost ?? exchange.req.headers.host ?? '',
    replaceHost: exchange.absoluteHost,
  };
}

/** The engine's view of the response (phases 3-4); one object per request, no closures. */
class SessionGate implements ResponseGate {
  readonly #session: EngineSession;
  readonly #enforce: boolean;

  constructor(session: EngineSession, enforce: boolean) {
    this.#session = session;
    this.#enforce = enforce;
  }

  head(status: number, raw: readonly string[]): Interruption | null {
    const interruption = this.#session.responseHead(status, 'HTTP/1.1', raw);
    return this.#enforce ? interruption : null;
  }

  // inline holds the inspected part of the body so phase 4 can still replace
  // the response; detect streams at once and shows the engine a copy (one
  // byte past the limit, so Reject still notices an oversized body).
  bodyHold(): number {
    return this.#enforce && this.#session.responseBodyAccess ? Math.max(1, this.#session.responseBodyLimit) : 0;
  }

  bodyTee(): number {
    return !this.#enforce && this.#session.responseBodyAccess ? this.#session.responseBodyLimit + 1 : 0;
  }

  chunk(chunk: Buffer): Interruption | null {
    const interruption = this.#session.appendResponseBody(chunk);
    return this.#enforce ? interruption : null;
  }

  end(): Interruption | null {
    const interruption = this.#session.processResponseBody();
    return this.#enforce ? interruption : null;
  }
}

function verdictFor(enforced: boolean, session: EngineSession, engineInterrupted: boolean, rejected = false): Verdict {
  if (enforced) return 'blocked';
  if (rejected) return 'rejected';
  if (engineInterrupted) return 'would-block';
  return session.failed ? 'error' : 'allowed';
}

/** No route, or a route without endpoints. */
function noUpstreamStatus(exchange: ExchangeBase): number {
  return exchange.route ? 503 : 404;
}

export function createInPathMode(name: 'inline' | 'detect', enforce: boolean): Mode {
  async function handle(exchange: Exchange): Promise<void> {
    const { req, res, id, services } = exchange;
    const { client, trusted } = resolveClient(exchange);
    const session = openSession(exchange);
    let status: number | undefined;
    let upstream: string | undefined;
    let enforced = false;
    let rejected = false;
    let releaseBody = (): void => undefined;
    const accept = req.headers.accept;
    const block = (interruption: Interruption, bodyPending: boolean): void => {
      enforced = true;
      status = interruption.action === 'drop' ? undefined : interruption.status || (interruption.action === 'redirect' ? 302 : 403);
      enforceInterruption(res, interruption, id, bodyPending);
    };
    try {
      const phase1 = session.requestHead(connectionInfo(client, exchange.local), req.url ?? '/', req.method ?? 'GET', `HTTP/${req.httpVersion}`, req.rawHeaders);
      if (phase1 && enforce) {
        block(phase1, hasRequestBody(req));
        return;
      }
      if (exchange.expectContinue) res.writeContinue();
      // Most requests have no body: phase 2 then runs without a promise or a tick.
      const body = hasRequestBody(req) ? await readRequestBody(session, req, services.bodyBudget) : withoutRequestBody(session);
      releaseBody = body.release;
      if (body.aborted) {
        status = answeredByFrontStatus(req) ?? CLIENT_CLOSED;
        return;
      }
      if (body.interruption && enforce) {
        block(body.interruption, body.pending);
        return;
      }
      if (body.overBudget && enforce) {
        // Forwarding a body that could not be inspected would let a flood of
        // uploads switch the WAF off; detect only records and forwards.
        rejected = true;
        status = 503;
        services.logger.warn({ txId: id, budget: services.bodyBudget.capacity }, 'request body budget exhausted: 503');
        sendStatus(res, status, id, { accept, close: true, retryAfter: 1 });
        return;
      }
      if (!exchange.route || exchange.route.balancer.endpoints.length === 0) {
        status = noUpstreamStatus(exchange);
        sendStatus(res, status, id, { accept, close: body.pending });
        return;
      }
      const result = await forwardToRoute(
        exchange.route,
        {
          requestId: id,
          method: req.method ?? 'GET',
          path: exchange.forwardPath,
          headers: upstreamRequestHeaders(req.rawHeaders, forwardedInfo(exchange, client, trusted)),
          body: body.forwardBody(),
          res,
          gate: new SessionGate(session, enforce),
          enforce: (interruption) => block(interruption, !req.complete),
        },
        services.observer,
      );
      upstream = result?.upstream;
      status = statusAfter(result?.outcome, exchange, body.pending, status);
    } catch (error) {
      services.logger.error({ err: error, txId: id }, 'request handling failed');
      status = 502;
      sendStatus(res, status, id, { accept, close: true });
    } finally {
      releaseBody();
      const engine = session.finish();
      emitReport(exchange, buildReport(exchange, {
        mode: name,
        verdict: verdictFor(enforced, session, engine.interruption !== null, rejected),
        client,
        engine,
        status,
        upstream,
      }));
    }
  }

  /** The status the client got; writes 502/504 when the upstream failed before answering. */
  function statusAfter(outcome: ForwardOutcome | undefined, exchange: Exchange, bodyPending: boolean, blockedStatus: number | undefined): number | undefined {
    const { res, id, req } = exchange;
    if (!outcome) {
      const status = noUpstreamStatus(exchange);
      sendStatus(res, status, id, { accept: req.headers.accept, close: bodyPending });
      return status;
    }
    switch (outcome.kind) {
      case 'done':
        return outcome.status;
      case 'blocked':
        return blockedStatus;
      case 'client-gone':
        return answeredByFrontStatus(req) ?? CLIENT_CLOSED;
      case 'failed': {
        if (outcome.responseStarted) return res.statusCode;
        // The client's body broke while streaming: the front has answered already.
        const front = answeredByFrontStatus(req);
        if (front !== undefined) return front;
        const status = outcome.error === 'timeout' ? 504 : 502;
        exchange.services.logger.warn({ txId: id, err: outcome.cause, kind: outcome.error }, 'upstream failed');
        sendStatus(res, status, id, { accept: req.headers.accept, close: bodyPending || !req.complete });
        return status;
      }
    }
  }

  async function handleUpgrade(exchange: UpgradeExchange): Promise<void> {
    const { req, socket, id, services } = exchange;
    const { client, trusted } = resolveClient(exchange);
    const session = openSession(exchange);
    let status: number | undefined;
    let upstream: string | undefined;
    let enforced = false;
    const accept = req.headers.accept;
    const block = (interruption: Interruption): void => {
      enforced = true;
      if (interruption.action === 'drop') {
        socket.destroy();
        return;
      }
      status = interruption.status || 403;
      sendRawStatus(socket, status, id, accept, interruption.action === 'redirect' ? interruption.url : undefined);
    };
    try {
      const phase1 = session.requestHead(connectionInfo(client, exchange.local), req.url ?? '/', req.method ?? 'GET', `HTTP/${req.httpVersion}`, req.rawHeaders);
      const phase2 = phase1 ?? session.processRequestBody();
      if (phase2 && enforce) {
        block(phase2);
        return;
      }
      const entry = exchange.route;
      let outcome: UpgradeOutcome | undefined;
      const tried = new Set<Endpoint>();
      for (let attempt = 0; attempt < 2 && entry; attempt++) {
        const endpoint = entry.balancer.pick(tried);
        if (!endpoint) break;
        tried.add(endpoint);
        upstream = endpoint.origin;
        outcome = await forwardUpgrade(endpoint, {
          requestId: id,
          method: req.method ?? 'GET',
          path: exchange.forwardPath,
          headers: upstreamRequestHeaders(req.rawHeaders, forwardedInfo(exchange, client, trusted), true),
          head: exchange.head,
          client: socket,
          timeoutMs: services.config.limits.upstreamTimeoutMs,
          gate: (responseStatus, raw) => {
            const interruption = session.responseHead(responseStatus, 'HTTP/1.1', raw);
            return enforce ? interruption : null;
          },
          enforce: block,
        });
        if (outcome.kind !== 'failed') {
          endpoint.ejectedUntil = 0;
          break;
        }
        services.observer.upstreamError(outcome.error, endpoint.origin);
        if (outcome.error !== 'connect') break;
        entry.balancer.eject(endpoint);
      }
      if (!outcome) {
        status = noUpstreamStatus(exchange);
        sendRawStatus(socket, status, id, accept);
      } else if (outcome.kind === 'done') {
        status = outcome.status;
      } else if (outcome.kind === 'failed') {
        status = outcome.error === 'timeout' ? 504 : 502;
        sendRawStatus(socket, status, id, accept);
      } else if (outcome.kind === 'client-gone') {
        status = CLIENT_CLOSED;
      }
    } catch (error) {
      services.logger.error({ err: error, txId: id }, 'upgrade handling failed');
      status = 502;
      sendRawStatus(socket, status, id, accept);
    } finally {
      const engine = session.finish();
      emitReport(exchange, buildReport(exchange, {
        mode: name,
        verdict: verdictFor(enforced, session, engine.interruption !== null),
        client,
        engine,
        status,
        upstream,
      }));
    }
  }

  return { name, handle, handleUpgrade };
}
