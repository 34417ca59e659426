/**
 * The request shapes the benches send, shared by the proxy, engine and
 * ModSecurity comparisons so they measure the same thing.
 */

export interface BenchRequest {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: Buffer;
}

const BROWSER_HEADERS = {
  host: 'bench.local',
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) picket-bench/1.0',
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'accept-language': 'en-US,en;q=0.5',
  'accept-encoding': 'gzip, deflate',
};

function jsonBody(bytes: number): Buffer {
  const items: { id: number; name: string; tags: string[]; price: number }[] = [];
  let text = '';
  for (let i = 0; text.length < bytes - 80; i++) {
    items.push({ id: i, name: `item number ${i}`, tags: ['alpha', 'beta'], price: i * 1.5 });
    text = JSON.stringify({ order: 1234, customer: 'jane', items });
  }
  return Buffer.from(text);
}

function multipartBody(boundary: string, fileBytes: number): Buffer {
  const file = Buffer.alloc(fileBytes, 'lorem ipsum dolor sit amet, consectetur adipiscing elit\n');
  return Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nquarterly report\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="report.txt"\r\nContent-Type: text/plain\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
}

const json2k = jsonBody(2048);
const form = Buffer.from('username=jane.doe&email=jane%40example.com&comment=Looking+forward+to+the+next+release&remember=on');
const boundary = '----picketbench7MA4YWxkTrZu0gW';
const multipart = multipartBody(boundary, 50 * 1024);

export const GET_QUERY: BenchRequest = {
  name: 'GET with query',
  method: 'GET',
  path: '/products/search?q=red+shoes&size=42&sort=price&page=2',
  headers: { ...BROWSER_HEADERS },
};

export const JSON_POST: BenchRequest = {
  name: 'JSON POST 2 KB',
  method: 'POST',
  path: '/api/orders',
  headers: { ...BROWSER_HEADERS, accept: 'application/json', 'content-type': 'application/json', 'content-length': String(json2k.length) },
  body: json2k,
};

export const FORM_POST: BenchRequest = {
  name: 'form POST',
  method: 'POST',
  path: '/account/profile',
  headers: { ...BROWSER_HEADERS, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(form.length) },
  body: form,
};

export const MULTIPART_50K: BenchRequest = {
  name: 'multipart 50 KB',
  method: 'POST',
  path: '/upload',
  headers: { ...BROWSER_HEADERS, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(multipart.length) },
  body: multipart,
};

export const SQLI: BenchRequest = {
  name: 'attack: SQLi',
  method: 'GET',
  path: `/products?id=${encodeURIComponent("1' UNION SELECT username, password FROM users-- -")}`,
  headers: { ...BROWSER_HEADERS },
};

export const XSS: BenchRequest = {
  name: 'attack: XSS',
  method: 'GET',
  path: `/search?q=${encodeURIComponent('<script>alert(document.cookie)</script>')}`,
  headers: { ...BROWSER_HEADERS },
};
