/**
 * An albedo-compatible backend (coreruleset/albedo v0.3.0, the image CRS's
 * test setup runs), for the CRS regression runner and benches.
 *
 * - any path: 200 with an empty body, unless a reflection was configured for
 *   that method and request-target.
 * - POST /reflect: the JSON body `{status, headers, body, encodedBody,
 *   logMessage}` says what to answer (RESPONSE-95x tests make the backend
 *   "leak" data this way). Status 0 means 200; outside 100-599 is a 400.
 * - POST /configure_reflection: `{endpoints: [{method, url}], ...spec}`
 *   makes those endpoints answer with the spec; PUT /reset forgets them.
 * - GET /capabilities: the endpoint list.
 *
 * Like Go's net/http, a body written without a Content-Type gets one by
 * content sniffing (text/html, text/xml, text/plain; charset=utf-8, ...),
 * which decides whether picket inspects the response body.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface ReflectionSpec {
  status: number;
  headers: Record<string, string>;
  body: string;
  encodedBody: string;
  logMessage: string;
}

export interface Backend {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

const HTML_SIGNATURES = [
  '<!DOCTYPE HTML', '<HTML', '<HEAD', '<SCRIPT', '<IFRAME', '<H1', '<DIV', '<FONT', '<TABLE', '<A',
  '<STYLE', '<TITLE', '<B', '<BODY', '<BR', '<P', '<!--',
];

const MAGIC: readonly (readonly [string, string])[] = [
  ['%PDF-', 'application/pdf'],
  ['%!PS-Adobe-', 'application/postscript'],
  ['GIF87a', 'image/gif'],
  ['GIF89a', 'image/gif'],
  ['\x89PNG\x0D\x0A\x1A\x0A', 'image/png'],
  ['\xFF\xD8\xFF', 'image/jpeg'],
  ['BM', 'image/bmp'],
  ['\x00\x00\x01\x00', 'image/x-icon'],
  ['\x00\x00\x02\x00', 'image/x-icon'],
  ['OggS\x00', 'application/ogg'],
  ['ID3', 'audio/mpeg'],
  ['\x1A\x45\xDF\xA3', 'video/webm'],
  ['wOFF', 'font/woff'],
  ['wOF2', 'font/woff2'],
  ['\x1F\x8B\x08', 'application/x-gzip'],
  ['PK\x03\x04', 'application/zip'],
  ['Rar!\x1A\x07\x00', 'application/x-rar-compressed'],
  ['Rar!\x1A\x07\x01\x00', 'application/x-rar-compressed'],
  ['\x00\x61\x73\x6D', 'application/wasm'],
];

/** A reduced http.DetectContentType: the text and common binary signatures Go checks, in its order. */
export function detectContentType(body: Buffer): string {
  const data = body.subarray(0, 512).toString('latin1');
  if (data.startsWith('\xFE\xFF')) return 'text/plain; charset=utf-16be';
  if (data.startsWith('\xFF\xFE')) return 'text/plain; charset=utf-16le';
  if (data.startsWith('\xEF\xBB\xBF')) return 'text/plain; charset=utf-8';
  const trimmed = data.replace(/^[\t\n\x0C\r ]+/, '');
  for (const sig of HTML_SIGNATURES) {
    if (trimmed.length > sig.length && trimmed.slice(0, sig.length).toUpperCase() === sig) {
      const next = trimmed[sig.length];
      if (next === ' ' || next === '>') return 'text/html; charset=utf-8';
    }
  }
  if (trimmed.startsWith('<?xml')) return 'text/xml; charset=utf-8';
  for (const [sig, type] of MAGIC) if (data.startsWith(sig)) return type;
  if (data.startsWith('RIFF') && data.slice(8, 12) === 'WEBP') return 'image/webp';
  if (data.startsWith('RIFF') && data.slice(8, 12) === 'WAVE') return 'audio/wave';
  // Go's text check: no byte that is "binary" (control characters other than \t \n \x0C \r \x1B).
  return /[\x00-\x08\x0B\x0E-\x1A\x1C-\x1F]/.test(data) ? 'application/octet-stream' : 'text/plain; charset=utf-8';
}

/** Go's json.Unmarshal into the spec struct: keys match case-insensitively, types must fit. */
function parseSpec(text: string): ReflectionSpec | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (value === null) return { status: 0, headers: {}, body: '', encodedBody: '', logMessage: '' };
  if (typeof value !== 'object' || Array.isArray(value)) return null;
  const spec: ReflectionSpec = { status: 0, headers: {}, body: '', encodedBody: '', logMessage: '' };
  for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
    switch (key.toLowerCase()) {
      case 'status':
        if (field === null) break;
        if (typeof field !== 'number' || !Number.isInteger(field)) return null;
        spec.status = field;
        break;
      case 'headers':
        if (field === null) break;
        if (typeof field !== 'object' || Array.isArray(field)) return null;
        for (const [name, v] of Object.entries(field as Record<string, unknown>)) {
          if (typeof v !== 'string') return null;
          spec.headers[name] = v;
        }
        break;
      case 'body':
      case 'encodedbody':
      case 'logmessage': {
        if (field === null) break;
        if (typeof field !== 'string') return null;
        const k = key.toLowerCase();
        if (k === 'body') spec.body = field;
        else if (k === 'encodedbody') spec.encodedBody = field;
        else spec.logMessage = field;
        break;
      }
      default:
        break;
    }
  }
  return spec;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: Buffer, contentType?: string): void {
  if (body.length > 0 && !res.hasHeader('content-type')) res.setHeader('Content-Type', contentType ?? detectContentType(body));
  res.setHeader('Content-Length', body.length);
  res.writeHead(status);
  res.end(body);
}

function reflect(res: ServerResponse, spec: ReflectionSpec): void {
  for (const [name, value] of Object.entries(spec.headers)) res.appendHeader(name, value);
  if ((spec.status > 0 && spec.status < 100) || spec.status >= 600) {
    send(res, 400, Buffer.from(`Invalid status code: ${spec.status}`));
    return;
  }
  let body: Buffer;
  if (spec.body !== '') body = Buffer.from(spec.body, 'utf8');
  else if (spec.encodedBody !== '') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(spec.encodedBody.replace(/[\r\n]/g, ''))) {
      send(res, spec.status || 200, Buffer.from('invalid base64 encoding of response body'));
      return;
    }
    body = Buffer.from(spec.encodedBody, 'base64');
  } else body = Buffer.alloc(0);
  send(res, spec.status || 200, body);
}

const CAPABILITIES = {
  endpoints: [
    { path: '/', description: 'Default: 200 with an empty body, or a configured reflection' },
    { path: '/capabilities', methods: ['GET'], description: 'This list' },
    { path: '/reflect', methods: ['POST'], contentType: 'application/json', description: 'Answer as the JSON body says' },
    { path: '/configure_reflection', methods: ['POST'], contentType: 'application/json', description: 'Configure reflections' },
    { path: '/reset', methods: ['PUT'], description: 'Forget configured reflections' },
    { path: '/inspect', description: 'Log the request' },
  ],
};

/** Starts the backend on 127.0.0.1, port 0 unless given. */
export async function startBackend(port = 0): Promise<Backend> {
  const dynamic = new Map<string, ReflectionSpec>();
  const server: Server = createServer({ requireHostHeader: false }, (req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, Buffer.from('backend error'));
      else res.destroy();
    });
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const target = req.url ?? '/';
    const path = target.split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    if (method === 'POST' && (path === '/reflect' || path === '/reflect/')) {
      const spec = parseSpec(new TextDecoder().decode(body));
      if (!spec) return send(res, 400, Buffer.from('Invalid JSON in request body'));
      return reflect(res, spec);
    }
    if (method === 'POST' && (path === '/configure_reflection' || path === '/configure_reflection/')) {
      const spec = parseSpec(new TextDecoder().decode(body));
      let endpoints: unknown;
      try {
        endpoints = (JSON.parse(body.toString('utf8')) as { endpoints?: unknown }).endpoints;
      } catch {
        endpoints = undefined;
      }
      if (!spec) return send(res, 400, Buffer.from('Invalid JSON in request body'));
      if (Array.isArray(endpoints)) {
        for (const e of endpoints as { method?: string; url?: string }[]) dynamic.set(`${e.method ?? ''} ${e.url ?? ''}`, spec);
      }
      return send(res, 200, Buffer.alloc(0));
    }
    if (method === 'PUT' && (path === '/reset' || path === '/reset/')) {
      dynamic.clear();
      return send(res, 200, Buffer.alloc(0));
    }
    if (path === '/capabilities' || path === '/capabilities/') {
      return send(res, 200, Buffer.from(JSON.stringify(CAPABILITIES)), 'application/json');
    }
    const configured = dynamic.get(`${method} ${target}`);
    if (configured) return reflect(res, configured);
    send(res, 200, Buffer.alloc(0));
  }
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    port: actual,
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
