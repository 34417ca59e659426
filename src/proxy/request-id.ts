/**
 * The transaction id: a well-formed incoming X-Request-Id is kept (so one id
 * follows the request through every proxy), anything else is replaced by a
 * fresh UUID. It goes to the engine, the upstream, the response and every log.
 */
import { randomUUID } from 'node:crypto';

/** Bounded length, and only characters safe in a header, a log line and a file name. */
const WELL_FORMED = /^[A-Za-z0-9._:+=@-]{1,128}$/;

export function requestIdFrom(incoming: string | string[] | undefined): string {
  if (typeof incoming === 'string' && WELL_FORMED.test(incoming)) return incoming;
  return randomUUID();
}
