/**
 * Refuse but inspect: a request picket refuses for protocol reasons is never
 * forwarded, but the engine still sees it first, so the rules run and the
 * audit log records what was tried (docs/http-parsing.md).
 *
 * Description:
 *   Phases 1 and 2 run on the request as received: its request line and
 *   header fields, and its body when the framing is unambiguous (node framed
 *   it, or the lenient reader found one Content-Length or chunked coding);
 *   otherwise phase 2 runs without a body. Then the caller answers: with the
 *   refusal status, or, when the route's mode is inline and a rule
 *   interrupted, with the interruption (deny status, redirect, drop). The
 *   transaction is reported with verdict 'rejected' in every mode.
 *
 * Arguments (Refusal): where the request came from, the head to show the
 *   engine, the body source, the status picket refuses with, and `answer`,
 *   which writes the response and returns the status sent (undefined: dropped).
 *
 * Example:
 *   await inspectRefusal({ services, globalMode: 'inline', id, peer, local,
 *     head: { method: 'FOO', target: '/x', protocol: 'HTTP/1.1', rawHeaders },
 *     body: null, status: 501, answer: (s, i) => writeIt(s, i) });
 */
import type { IncomingMessage } from 'node:http';
import type { Mode as ModeName } from '../config/types.ts';
import type { Interruption } from '../engine/api.ts';
import { clientFromForwarded } from '../proxy/addresses.ts';
import { absoluteAuthority } from '../proxy/request-target.ts';
import { hasRequestBody, readRequestBody } from '../proxy/tx-adapter.ts';
import { selectMode } from './index.ts';
import { buildReport, emitReport, headerPairs } from './report.ts';
import { connectionInfo, openSession } from './session.ts';
import type { ExchangeBase, ModeServices, SocketAddress } from './types.ts';

export interface RefusedHead {
  readonly method: string;
  /** The request-target as received. */
  readonly target: string;
  /** e.g. `HTTP/1.1`, `HTTP/4.0`, `HTTP/0.9`. */
  readonly protocol: string;
  readonly rawHeaders: readonly string[];
}

export interface Refusal {
  readonly services: ModeServices;
  readonly globalMode: ModeName;
  readonly id: string;
  readonly peer: SocketAddress;
  readonly local: SocketAddress;
  readonly head: RefusedHead;
  /** Node's request when node parsed the head (its body is read through node's framing), else the lenient body or null. */
  readonly body: IncomingMessage | Buffer | null;
  /** What picket answers when no enforced rule decides otherwise. */
  readonly status: number;
  /** Writes the answer: the refusal status, or the enforced interruption. Returns the status sent (undefined: dropped). */
  answer(status: number, interruption: Interruption | null): number | undefined;
}

function headerValue(raw: readonly string[], lower: string): string | undefined {
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === lower) return raw[i + 1];
  return undefined;
}

/** Runs phases 1-2, answers, runs phase 5 and reports. Never throws. */
export async function inspectRefusal(refusal: Refusal): Promise<void> {
  const { services, head, id } = refusal;
  const req = Buffer.isBuffer(refusal.body) || refusal.body === null ? undefined : refusal.body;
  const stub = {
    method: head.method,
    url: head.target,
    httpVersion: head.protocol.replace(/^HTTP\//i, ''),
    rawHeaders: head.rawHeaders,
    headers: {},
  } as unknown as IncomingMessage;
  let route: ExchangeBase['route'];
  try {
    route = services.routeFor(absoluteAuthority(head.target) ?? headerValue(head.rawHeaders, 'host'), head.target);
  } catch {
    route = undefined;
  }
  const exchange: ExchangeBase = {
    id,
    startedAt: Date.now(),
    req: req ?? stub,
    peer: refusal.peer,
    local: refusal.local,
    route,
    forwardPath: '/',
    expectContinue: false,
    services,
  };
  const mode = selectMode(refusal.globalMode, route?.route);
  const enforce = mode.name === 'inline';
  let client = refusal.peer;
  if (services.trustedProxies.has(refusal.peer.address)) {
    const forwarded = clientFromForwarded(headerValue(head.rawHeaders, 'x-forwarded-for'), services.trustedProxies);
    if (forwarded) client = { address: forwarded, port: 0 };
  }
  const session = openSession(exchange);
  let status: number | undefined = refusal.status;
  let release = (): void => undefined;
  try {
    let interruption = session.requestHead(connectionInfo(client, refusal.local), head.target, head.method, head.protocol, head.rawHeaders);
    if (!interruption) {
      if (req && hasRequestBody(req)) {
        const body = await readRequestBody(session, req, services.bodyBudget);
        release = body.release;
        interruption = body.interruption;
      } else {
        if (Buffer.isBuffer(refusal.body) && refusal.body.length > 0 && session.requestBodyAccess) {
          interruption = session.appendRequestBody(refusal.body);
        }
        interruption ??= session.processRequestBody();
      }
    }
    status = refusal.answer(refusal.status, enforce ? interruption : null);
  } catch (error) {
    services.logger.error({ err: error, txId: id }, 'inspecting a refused request failed');
    status = refusal.answer(refusal.status, null);
  } finally {
    release();
    const engine = session.finish();
    emitReport(exchange, buildReport(exchange, {
      mode: mode.name,
      verdict: 'rejected',
      client,
      engine,
      status,
      uri: head.target,
      headers: headerPairs(head.rawHeaders),
    }));
  }
}
