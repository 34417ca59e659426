/**
 * picket's pino logger: JSON lines, asynchronous writes (sonic-boom), ISO
 * times, and credential headers redacted wherever a `headers` object appears
 * up to two levels deep. Attacker-controlled data goes under the single key
 * `request` (see requestFields), capped in size, so operators and log
 * pipelines know which fields to distrust.
 *
 * @example
 *   const logger = createLogger({ level: config.logLevel });
 *   logger.child({ txId }).warn({ request: requestFields(report) }, 'request blocked');
 */
import pino from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { CREDENTIAL_HEADERS, cap } from './redact.ts';

export type { Logger } from 'pino';

export interface LoggerOptions {
  readonly level: string;
  /** Where lines go; default stdout through an asynchronous sonic-boom. */
  readonly destination?: DestinationStream;
  readonly name?: string;
}

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const header of CREDENTIAL_HEADERS) {
    const segment = /^[a-z]+$/.test(header) ? `.${header}` : `["${header}"]`;
    paths.push(`headers${segment}`, `*.headers${segment}`, `*.*.headers${segment}`);
  }
  return paths;
}

export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? pino.destination({ dest: 1, sync: false, minLength: 1 });
  return pino(
    {
      level: options.level,
      name: options.name ?? 'picket',
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths(), censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}

/** Caps for attacker-controlled strings in log lines (the audit log has its own, larger ones). */
export const LOG_CAPS = { uri: 1024, value: 256, userAgent: 256 } as const;

/** A request summary for log lines: everything the client chose, capped, under one key. */
export function requestFields(request: {
  readonly method: string;
  readonly uri: string;
  readonly headers?: readonly (readonly [string, string])[];
}): Record<string, string> {
  const fields: Record<string, string> = {
    method: cap(request.method, 32).value,
    uri: cap(request.uri, LOG_CAPS.uri).value,
  };
  const userAgent = request.headers?.find(([name]) => name.toLowerCase() === 'user-agent')?.[1];
  if (userAgent !== undefined) fields.userAgent = cap(userAgent, LOG_CAPS.userAgent).value;
  return fields;
}
