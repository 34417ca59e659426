/**
 * The request shapes the benches send, shared by the engine, proxy and
 * ModSecurity comparisons so they measure the same traffic.
 *
 * Requests vary the way real traffic varies. The engine caches
 * transformation results and "this value did not match this rule" across
 * transactions, so sending one request over and over would measure the
 * cache, not the WAF. Each workload therefore yields a stream of distinct
 * requests: query values, JSON fields, form values, multipart fields and
 * file bytes come from a seeded PRNG (repeatable runs), while the headers
 * stay those of one browser (same User-Agent / Accept / Accept-Language on
 * every request, as real clients send) plus a session cookie from a pool of
 * ~50 clients. Words are plain shop vocabulary that no CRS rule flags
 * (bench/requests.test.ts runs a sample through CRS PL1 and checks that).
 *
 * Generation is cheap (a few µs per request; a 50 KB upload is one buffer
 * copy plus a few overwritten bytes), so streams are built on the fly and
 * never wrap: a run of any length sends no request twice.
 */

export interface BenchRequest {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
}

/** A kind of request; `make` builds the n-th request of a stream from the stream's PRNG. */
export interface Workload {
  readonly name: string;
  make(random: Random, n: number): BenchRequest;
}

/** Next request of a stream; call it once per request sent. */
export type RequestSource = () => BenchRequest;

/** Seeded PRNG (mulberry32): uniform floats in [0, 1) from a 32-bit state. */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) | 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)] as T;
  }
}

/** The stream of `workload` requests for `seed`: the same seed gives the same sequence. */
export function requestStream(workload: Workload, seed = 1): RequestSource {
  const random = new Random(seed);
  let n = 0;
  return () => workload.make(random, n++);
}

/** One representative request (the first of the default stream), for logs and single-shot checks. */
export function sampleRequest(workload: Workload): BenchRequest {
  return workload.make(new Random(1), 0);
}

const WORDS = [
  'red', 'blue', 'green', 'black', 'white', 'grey', 'leather', 'running', 'winter', 'summer', 'classic', 'linen',
  'wool', 'cotton', 'garden', 'kitchen', 'travel', 'lamp', 'chair', 'shoes', 'jacket', 'scarf', 'boots', 'bag',
  'mug', 'wallet', 'kettle', 'pillow', 'blanket', 'desk', 'shelf', 'camera', 'cable', 'charger', 'notebook', 'pen',
  'bottle', 'sandals', 'helmet', 'gloves', 'candle', 'teapot', 'basket', 'mirror', 'towel', 'umbrella',
];
const FIRST_NAMES = ['jane', 'john', 'maria', 'ahmed', 'li', 'olga', 'pierre', 'sofia', 'kenji', 'amara', 'lucas', 'emma'];
const LAST_NAMES = ['doe', 'smith', 'garcia', 'khan', 'wang', 'ivanova', 'martin', 'rossi', 'tanaka', 'okafor', 'silva'];
const SORTS = ['price', 'rating', 'newest', 'popular'];
const CITIES = ['Lisbon', 'Berlin', 'Toronto', 'Osaka', 'Nairobi', 'Lyon', 'Austin', 'Krakow'];

function words(random: Random, min: number, max: number): string[] {
  const out: string[] = [];
  for (let i = random.int(min, max); i > 0; i--) out.push(random.pick(WORDS));
  return out;
}

function hex(random: Random, digits: number): string {
  let s = '';
  for (let i = 0; i < digits; i++) s += '0123456789abcdef'[Math.floor(random.next() * 16)];
  return s;
}

/** ~50 clients, each with its own session cookie, as behind a real site. */
const SESSIONS = (() => {
  const random = new Random(0x5e55);
  return Array.from({ length: 50 }, () => `sid=${hex(random, 32)}; theme=light; consent=1`);
})();

const BROWSER_HEADERS = {
  host: 'bench.local',
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'accept-language': 'en-US,en;q=0.5',
  'accept-encoding': 'gzip, deflate',
};

function browserHeaders(random: Random, extra?: Record<string, string>): Record<string, string> {
  return { ...BROWSER_HEADERS, cookie: random.pick(SESSIONS), ...extra };
}

export const GET_QUERY: Workload = {
  name: 'GET with query',
  make(random) {
    const q = [...words(random, 1, 3), String(random.int(1, 999))].join('+');
    return {
      name: this.name,
      method: 'GET',
      path: `/products/search?q=${q}&size=${random.int(30, 48)}&sort=${random.pick(SORTS)}&page=${random.int(1, 40)}&ref=${random.int(100000, 999999)}`,
      headers: browserHeaders(random),
    };
  },
};

const JSON_TARGET_BYTES = 2048;

function jsonBody(random: Random): Buffer {
  const first = random.pick(FIRST_NAMES);
  const head = JSON.stringify({
    order: random.int(100000, 9999999),
    customer: { name: `${first} ${random.pick(LAST_NAMES)}`, email: `${first}${random.int(1, 9999)}@example.com`, city: random.pick(CITIES) },
    currency: 'EUR',
  });
  // {"order":…,"currency":"EUR","items":[item,item,…]}: add items while the body stays within the target
  // (2 KB minus at most one item, ~200 bytes); each item is serialised once.
  let text = `${head.slice(0, -1)},"items":[`;
  for (let first = true; ; first = false) {
    const item = JSON.stringify({
      id: random.int(1, 999999),
      sku: `SKU-${hex(random, 8)}`,
      name: words(random, 2, 3).join(' '),
      tags: words(random, 1, 2),
      price: random.int(100, 99999) / 100,
      qty: random.int(1, 5),
      note: words(random, 3, 6).join(' '),
    });
    const longer = `${text}${first ? '' : ','}${item}`;
    if (longer.length + 2 > JSON_TARGET_BYTES) break;
    text = longer;
  }
  return Buffer.from(`${text}]}`, 'latin1');
}

export const JSON_POST: Workload = {
  name: 'JSON POST 2 KB',
  make(random) {
    const body = jsonBody(random);
    return {
      name: this.name,
      method: 'POST',
      path: '/api/orders',
      headers: browserHeaders(random, { accept: 'application/json', 'content-type': 'application/json', 'content-length': String(body.length) }),
      body,
    };
  },
};

export const FORM_POST: Workload = {
  name: 'form POST',
  make(random) {
    const first = random.pick(FIRST_NAMES);
    const last = random.pick(LAST_NAMES);
    const body = Buffer.from(
      `username=${first}.${last}${random.int(1, 999)}&email=${first}.${last}%40example.com` +
        `&city=${random.pick(CITIES)}&comment=${words(random, 4, 9).join('+')}&remember=on`,
    );
    return {
      name: this.name,
      method: 'POST',
      path: '/account/profile',
      headers: browserHeaders(random, { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length) }),
      body,
    };
  },
};

const BOUNDARY = '----picketbench7MA4YWxkTrZu0gW';
const FILE_BYTES = 50 * 1024;
const FILE_TEMPLATE = Buffer.alloc(FILE_BYTES, 'lorem ipsum dolor sit amet, consectetur adipiscing elit\n');
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

export const MULTIPART_50K: Workload = {
  name: 'multipart 50 KB',
  make(random) {
    const head = Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\n${words(random, 2, 4).join(' ')} report ${random.int(1, 9999)}\r\n` +
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="report-${random.int(1, 99999)}.txt"\r\nContent-Type: text/plain\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
    // One allocation and one copy of the file; it then differs from the template in a few letters
    // (a new upload with the same kind of content).
    const body = Buffer.allocUnsafe(head.length + FILE_BYTES + tail.length);
    head.copy(body, 0);
    FILE_TEMPLATE.copy(body, head.length);
    tail.copy(body, head.length + FILE_BYTES);
    for (let i = 0; i < 8; i++) {
      const at = head.length + random.int(0, FILE_BYTES - 1);
      if (body[at] !== 0x0a && body[at] !== 0x20) body[at] = LETTERS.charCodeAt(random.int(0, 25));
    }
    return {
      name: this.name,
      method: 'POST',
      path: '/upload',
      headers: browserHeaders(random, { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': String(body.length) }),
      body,
    };
  },
};

/** Attacks vary in an id beside the payload, so each is a distinct request carrying the same payload. */
export const SQLI: Workload = {
  name: 'attack: SQLi',
  make(random) {
    return {
      name: this.name,
      method: 'GET',
      path: `/products?id=${encodeURIComponent("1' UNION SELECT username, password FROM users-- -")}&page=${random.int(1, 40)}`,
      headers: browserHeaders(random),
    };
  },
};

export const XSS: Workload = {
  name: 'attack: XSS',
  make(random) {
    return {
      name: this.name,
      method: 'GET',
      path: `/search?q=${encodeURIComponent('<script>alert(document.cookie)</script>')}&page=${random.int(1, 40)}`,
      headers: browserHeaders(random),
    };
  },
};
