/**
 * Fills RequestData from the parts of a request, as ModSecurity v2 (inside Apache)
 * sees them: URI and query arguments, merged request headers and cookies, the body
 * processor chosen from Content-Type, and the parsed request body.
 */
import { BodyParseError, multipartVariables, parseJson, parseMultipart, parseUrlencoded, parseXml } from '../body/index.ts';
import type { ArgPair } from '../body/index.ts';
import type { Entry } from '../collections/types.ts';
import type { WafConfig } from '../waf.ts';
import { parseCookies, parseCookiesV1 } from './cookies.ts';
import type { RequestData } from './data.ts';
import { parseUri } from './uri.ts';

export function populateUri(d: RequestData, uri: string, method: string, protocol: string, separator: string): void {
  d.method = method;
  d.uriRaw = uri;
  d.protocol = protocol;
  d.requestLine = protocol ? `${method} ${uri} ${protocol}` : `${method} ${uri}`;
  const parsed = parseUri(uri);
  d.requestFilename = parsed.path;
  d.requestBasename = parsed.basename;
  d.queryString = parsed.query ?? '';
  d.requestUri = parsed.query === null ? parsed.path : `${parsed.path}?${parsed.query}`;
  if (parsed.query) {
    const res = parseUrlencoded(parsed.query, separator);
    addArgs(d, res.args, false);
    if (res.invalidEncoding) d.urlencodedError = true;
  }
}

/**
 * REQUEST_HEADERS, REQUEST_COOKIES and the default body processor, from the headers
 * in arrival order (d.rawHeaders).
 */
export function populateRequestHeaders(d: RequestData, cookieFormat: 0 | 1): void {
  // Apache merges repeated request headers into one value joined by ", " before
  // ModSecurity v2 sees them; CRS tests such as 920620-1 expect that view.
  const headers = d.requestHeaders;
  const raw = d.rawHeaders;
  for (let i = 0; i < raw.length; i++) {
    const h = raw[i] as [string, string];
    headers.addOrAppend(h[0], h[1], ', ');
  }
  const cookies = headers.getLower('cookie');
  if (cookies.length > 0) {
    const parse = cookieFormat === 1 ? parseCookiesV1 : parseCookies;
    const jar = d.requestCookies;
    for (const h of cookies) parse(h.value, (k, v) => jar.add(k, v));
  }
  // ModSecurity picks the body processor from Content-Type when the transaction starts;
  // ctl:requestBodyProcessor may change it in phase 1.
  const ct = headers.getLower('content-type')[0]?.value;
  if (ct !== undefined) {
    const lower = ct.toLowerCase();
    if (lower.startsWith('application/x-www-form-urlencoded')) d.reqbodyProcessor = 'URLENCODED';
    else if (lower.startsWith('multipart/form-data')) d.reqbodyProcessor = 'MULTIPART';
  }
}

/**
 * Runs the selected body processor. Parse errors set REQBODY_ERROR(_MSG). Returns the
 * bytes that count against SecRequestBodyNoFilesLimit for multipart bodies (other bodies
 * are counted while they arrive), or 0.
 */
export function populateRequestBody(d: RequestData, body: string, c: Readonly<WafConfig>, forceBodyVariable: boolean): number {
  d.requestBody = body;
  d.requestBodyLength = body.length;
  let noFilesLength = 0;
  try {
    switch (d.reqbodyProcessor) {
      case 'URLENCODED': {
        const res = parseUrlencoded(body, c.argumentSeparator);
        addArgs(d, res.args, true);
        if (res.invalidEncoding) d.urlencodedError = true;
        d.requestBodyVariable = body;
        break;
      }
      case 'MULTIPART': {
        // No fileLimit: ModSecurity v2 counts files against SecUploadFileLimit only while
        // extracting them to disk (SecUploadKeepFiles, SecTmpSaveUploadedFiles, @inspectFile),
        // which picket never does; so MULTIPART_FILE_LIMIT_EXCEEDED stays 0, as in v2's default setup.
        const res = parseMultipart(body, d.requestHeaders.first('content-type'));
        addArgs(d, res.args, true);
        for (const f of res.files) {
          d.files.add(f.name, f.filename ?? '');
          d.filesNames.add(f.name, f.name);
          d.filesSizes.add(f.name, String(f.size));
          d.filesTmpContent.add(f.name, f.value);
        }
        d.filesCombinedSize = res.filesCombinedSize;
        for (const h of res.partHeaders) d.multipartPartHeaders.add(h.name, h.value);
        if (res.multipartName !== undefined) d.multipartName.add(res.multipartName, res.multipartName);
        if (res.multipartFilename !== undefined) d.multipartFilename.add(res.multipartFilename, res.multipartFilename);
        d.multipartFlags = new Map(Object.entries(multipartVariables(res)));
        if (res.reqbodyError !== undefined) {
          d.reqbodyError = true;
          d.reqbodyErrorMsg = res.reqbodyError;
        }
        noFilesLength = res.noFilesLength;
        break;
      }
      case 'JSON':
        // v2 counts query arguments too against SecArgumentsLimit.
        addArgs(d, parseJson(body, c.jsonDepthLimit, Math.max(0, c.argumentsLimit - d.args.size)), true);
        break;
      case 'XML':
        d.xmlDocument = parseXml(body) ?? null;
        break;
      default:
        break;
    }
  } catch (e) {
    if (!(e instanceof BodyParseError)) throw e;
    d.reqbodyError = true;
    d.reqbodyErrorMsg = e.reqbodyErrorMsg;
    // v2's JSON parser adds arguments as it reads them: those before the error stay in ARGS.
    addArgs(d, e.partialArgs, true);
  }
  if (forceBodyVariable) d.requestBodyVariable = body;
  return noFilesLength;
}

/** Adds to ARGS_GET or ARGS_POST and to ARGS, one shared entry per pair, each list grown once. */
function addArgs(d: RequestData, args: readonly ArgPair[], post: boolean): void {
  const n = args.length;
  if (n === 0) return;
  const entries = new Array<Entry>(n);
  for (let i = 0; i < n; i++) {
    const a = args[i] as ArgPair;
    entries[i] = { key: a.name, value: a.value, cached: null };
  }
  (post ? d.argsPost : d.argsGet).addEntries(entries);
  d.args.addEntries(entries, true);
}
