/**
 * picket's core ruleset through the real engine: attacks reach the blocking
 * threshold, ordinary traffic (pages, searches, JSON APIs, forms, uploads)
 * matches no rule at all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRuleset } from '../../src/cli/compile.ts';
import { evaluate } from '../../src/cli/eval.ts';
import { parseRawRequest } from '../../src/cli/raw-request.ts';

const waf = compileRuleset({
  mode: 'inline',
  rules: { files: [], paranoiaLevel: 1, inboundAnomalyThreshold: 5, outboundAnomalyThreshold: 4 },
  limits: { requestBody: 13_107_200, requestBodyNoFiles: 131_072, requestBodyAction: 'Reject', responseBody: 524_288 },
});

function get(target: string, headers: Record<string, string> = {}): string {
  const all: Record<string, string> = { Host: 'shop.example', 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/131.0', Accept: '*/*', ...headers };
  const lines = [`GET ${target} HTTP/1.1`, ...Object.entries(all).map(([name, value]) => `${name}: ${value}`)];
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function post(target: string, contentType: string, body: string, headers: Record<string, string> = {}): string {
  const lines = [`POST ${target} HTTP/1.1`, 'Host: shop.example', 'User-Agent: Mozilla/5.0', `Content-Type: ${contentType}`, `Content-Length: ${body.length}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

function run(raw: string): { ids: number[]; status: number | undefined } {
  const tx = waf.newTransaction('t');
  evaluate(tx, parseRawRequest(Buffer.from(raw, 'latin1')));
  return { ids: tx.matchedRules.map((r) => r.id), status: tx.interruption?.status };
}

const ATTACKS: [string, string, number][] = [
  ['SQLi tautology in query', get("/?id=1'%20OR%20'1'='1"), 1515000],
  ['SQLi UNION SELECT', get('/products?q=1%20UNION%20SELECT%20username,password%20FROM%20users--'), 1515002],
  ['SQLi time-based blind', get('/item?id=1%20AND%20SLEEP(5)'), 1515002],
  ['SQLi in a JSON body', post('/api/login', 'application/json', '{"user":"admin\' OR \'1\'=\'1\' --","pass":"x"}'), 1515000],
  ['SQLi in a form', post('/login', 'application/x-www-form-urlencoded', "user=admin'--&pass=x%27%20or%20%271%27%3D%271"), 1515001],
  ['SQLi in an XML body', post('/api/soap', 'text/xml', "<order><id>1' UNION SELECT password FROM users--</id></order>"), 1515000],
  ['XSS in an XML body', post('/api/feed', 'application/xml', '<item><title>&lt;script&gt;alert(1)&lt;/script&gt;</title></item>'), 1516000],
  ['XSS script tag', get('/search?q=%3Cscript%3Ealert(1)%3C/script%3E'), 1516000],
  ['XSS event handler', get('/search?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E'), 1516001],
  ['XSS javascript URL', get('/redirect?to=javascript:alert(document.cookie)'), 1516001],
  ['path traversal', get('/download?file=../../../../etc/passwd'), 1513000],
  ['double-encoded traversal', get('/download?file=%252e%252e%252fsecret'), 1513000],
  ['dot-env probe', get('/.env'), 1513002],
  ['git metadata probe', get('/.git/config'), 1513002],
  ['command injection', get('/ping?host=127.0.0.1;cat%20/etc/passwd'), 1514000],
  ['command injection pipe', get('/ping?host=x|id'), 1514000],
  ['command substitution', get('/ping?host=$(whoami)'), 1514000],
  ['shellshock', get('/', { 'User-Agent': '() { :; }; /bin/bash -c "id"' }), 1514001],
  ['shellshock in a repeated header', 'GET / HTTP/1.1\r\nHost: shop.example\r\nUser-Agent: Mozilla/5.0\r\nUser-Agent: () { :; }; /bin/id\r\n\r\n', 1514001],
  ['scanner user agent', get('/', { 'User-Agent': 'sqlmap/1.7 (https://sqlmap.org)' }), 1512006],
  ['method not allowed', 'TRACK / HTTP/1.1\r\nHost: shop.example\r\n\r\n', 1512000],
];

for (const [name, raw, ruleId] of ATTACKS) {
  test(`blocks: ${name}`, () => {
    const { ids, status } = run(raw);
    assert.ok(ids.includes(ruleId), `expected rule ${ruleId}, matched ${ids.join(', ') || 'none'}`);
    assert.equal(status, 403, `blocked by the score (matched ${ids.join(', ')})`);
    assert.ok(ids.includes(1519000));
  });
}

test('blocks: Content-Length with Transfer-Encoding (request smuggling)', () => {
  // parseRawRequest refuses this framing, so feed the engine directly.
  const tx = waf.newTransaction('smuggle');
  tx.processConnection('127.0.0.1', 1, '127.0.0.1', 2);
  tx.processUri('/', 'POST', 'HTTP/1.1');
  for (const [n, v] of [['Host', 'shop.example'], ['Content-Length', '4'], ['Transfer-Encoding', 'chunked']] as const) tx.addRequestHeader(n, v);
  tx.processRequestHeaders();
  tx.processRequestBody();
  assert.ok(tx.matchedRules.some((r) => r.id === 1512003));
  assert.equal(tx.interruption?.status, 403);
});

test('a missing Host header scores a warning but does not block alone', () => {
  const { ids, status } = run('GET / HTTP/1.0\r\nUser-Agent: curl/8\r\n\r\n');
  assert.deepEqual(ids, [1512001]);
  assert.equal(status, undefined);
});

const BENIGN: [string, string][] = [
  ['home page', get('/')],
  ['static asset', get('/assets/app.3f9a1c.js')],
  ['search with punctuation', get("/search?q=men's%20shoes%20size%2042%20%26%20socks")],
  ['search with SQL-ish words', get('/search?q=select%20a%20union%20jack%20flag%20from%20the%20shop')],
  ['prose with a semicolon', get('/blog?comment=cats;%20cat%20videos%20are%20the%20best')],
  ['prose with quotes and or', get("/review?text=It's%20great%2C%20or%20it%20isn't%3F%20I%20said%20'maybe'")],
  ['pagination and sort', get('/api/products?page=2&per_page=50&sort=-price&filter[color]=blue')],
  ['dates and emails', get('/api/orders?from=2024-01-01T00:00:00Z&email=jane.doe%2Btag@example.com')],
  ['well-known path', get('/.well-known/openid-configuration')],
  ['relative-looking value without traversal', get('/docs?path=guide/getting-started.md&v=1.2.3')],
  ['cookies and referer', get('/account', { Cookie: 'session=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.abc; theme=dark', Referer: 'https://shop.example/cart?step=2' })],
  ['JSON API create', post('/api/orders', 'application/json', JSON.stringify({ items: [{ sku: 'A-100', qty: 2 }], note: 'Leave at the door, thanks!', coupon: null }))],
  ['JSON with nested text', post('/api/comments', 'application/json; charset=utf-8', JSON.stringify({ author: "O'Brien", body: 'I ordered 2 mugs & 1 teapot; both arrived. 5/5 would buy again.' }))],
  ['login form', post('/login', 'application/x-www-form-urlencoded', 'username=jane&password=c0rrect-h0rse_battery%21&remember=on')],
  ['contact form', post('/contact', 'application/x-www-form-urlencoded', 'name=Jane+Doe&message=Hello%2C+can+you+ship+to+Canada%3F+Thanks+%3A%29')],
  ['multipart upload', post('/upload', 'multipart/form-data; boundary=XyZ', '--XyZ\r\nContent-Disposition: form-data; name="title"\r\n\r\nHoliday photo\r\n--XyZ\r\nContent-Disposition: form-data; name="file"; filename="beach.jpg"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff\xe0binary\r\n--XyZ--\r\n')],
  ['XML order', post('/api/soap', 'application/xml', '<?xml version="1.0"?><order><id>42</id><note>Ring twice, please</note></order>')],
  ['PUT JSON', 'PUT /api/profile HTTP/1.1\r\nHost: shop.example\r\nContent-Type: application/json\r\nContent-Length: 27\r\n\r\n{"displayName":"Jane D. 2"}'],
  ['DELETE', 'DELETE /api/cart/items/42 HTTP/1.1\r\nHost: shop.example\r\n\r\n'],
  ['OPTIONS preflight', 'OPTIONS /api/orders HTTP/1.1\r\nHost: shop.example\r\nOrigin: https://app.example\r\nAccess-Control-Request-Method: POST\r\n\r\n'],
  ['chunked POST', 'POST /api/events HTTP/1.1\r\nHost: shop.example\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nb\r\n{"event":1}\r\n0\r\n\r\n'],
];

for (const [name, raw] of BENIGN) {
  test(`allows: ${name}`, () => {
    const { ids, status } = run(raw);
    assert.deepEqual(ids, [], `no rule should match, matched ${ids.join(', ')}`);
    assert.equal(status, undefined);
  });
}

function respond(contentType: string, body: string): { ids: number[]; status: number | undefined } {
  const tx = waf.newTransaction('r');
  evaluate(tx, parseRawRequest(Buffer.from(get('/item?id=7'), 'latin1')));
  tx.addResponseHeader('Content-Type', contentType);
  tx.processResponseHeaders(200, 'HTTP/1.1');
  if (tx.responseBodyAccess) tx.appendResponseBody(Buffer.from(body));
  tx.processResponseBody();
  return { ids: tx.matchedRules.map((r) => r.id), status: tx.interruption?.status };
}

test('blocks: a database error message in a text response (outbound score)', () => {
  const { ids, status } = respond('text/html; charset=utf-8', '<p>You have an error in your SQL syntax; check the manual near \'\'\'</p>');
  assert.ok(ids.includes(1518000), ids.join(', '));
  assert.ok(ids.includes(1519001));
  assert.equal(status, 403);
});

test('allows: an ordinary HTML response; binary types are not inspected', () => {
  assert.deepEqual(respond('text/html', '<html><body><h1>Order 7</h1><p>Shipped.</p></body></html>').ids, []);
  assert.deepEqual(respond('image/png', 'You have an error in your SQL syntax').ids, []);
});
