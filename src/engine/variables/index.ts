/**
 * The variables rules can read (`SecRule VARIABLES ...`), by SecLang name.
 *
 * Each name maps to a resolver over the transaction's {@link RequestData}: it
 * returns a collection (keys selectable with `:key` or `:/regex/`), a scalar
 * string, or null when the variable has no value yet (ModSecurity then yields
 * no target at all, so `!@rx` cannot match an absent scalar).
 * Names are case-insensitive in SecLang; the registry is keyed upper-case.
 */
import type { Collection } from '../collections/types.ts';
import type { RequestData } from './data.ts';

export type Resolved = Collection | string | null;
export type Resolver = (data: RequestData) => Resolved;

export interface VariableDefinition {
  /** True for collections (keys allowed); scalars ignore keys as ModSecurity does not accept them. */
  readonly collection: boolean;
  readonly resolve: Resolver;
}

const c = (resolve: (d: RequestData) => Collection): VariableDefinition => ({ collection: true, resolve });
const s = (resolve: Resolver): VariableDefinition => ({ collection: false, resolve });

export const VARIABLES: Readonly<Record<string, VariableDefinition>> = {
  ARGS: c((d) => d.args),
  ARGS_COMBINED_SIZE: s((d) => String(d.argsCombinedSize())),
  ARGS_GET: c((d) => d.argsGet),
  ARGS_GET_NAMES: c((d) => d.names(d.argsGet, 'ARGS_GET_NAMES')),
  ARGS_NAMES: c((d) => d.names(d.args, 'ARGS_NAMES')),
  ARGS_POST: c((d) => d.argsPost),
  ARGS_POST_NAMES: c((d) => d.names(d.argsPost, 'ARGS_POST_NAMES')),
  AUTH_TYPE: s((d) => d.authType()),
  DURATION: s((d) => String(Math.max(0, Math.round((performance.now() - d.startMonotonic) * 1000)))),
  ENV: c((d) => d.env),
  FILES: c((d) => d.files),
  FILES_COMBINED_SIZE: s((d) => String(d.filesCombinedSize)),
  FILES_NAMES: c((d) => d.filesNames),
  FILES_SIZES: c((d) => d.filesSizes),
  FILES_TMPNAMES: c((d) => d.filesTmpNames),
  FILES_TMP_CONTENT: c((d) => d.filesTmpContent),
  FULL_REQUEST: s((d) => d.fullRequest()),
  FULL_REQUEST_LENGTH: s((d) => String(d.fullRequest().length)),
  GLOBAL: c((d) => d.global),
  HIGHEST_SEVERITY: s((d) => String(d.highestSeverity)),
  INBOUND_DATA_ERROR: s((d) => (d.inboundDataError ? '1' : '0')),
  IP: c((d) => d.ip),
  MATCHED_VAR: s((d) => d.matchedVar),
  MATCHED_VAR_NAME: s((d) => d.matchedVarName),
  MATCHED_VARS: c((d) => d.matchedVars),
  MATCHED_VARS_NAMES: c((d) => d.names(d.matchedVars, 'MATCHED_VARS_NAMES')),
  MSC_PCRE_LIMITS_EXCEEDED: s((d) => (d.pcreLimitsExceeded ? '1' : '0')),
  MULTIPART_BOUNDARY_QUOTED: s((d) => d.multipartFlag('MULTIPART_BOUNDARY_QUOTED')),
  MULTIPART_BOUNDARY_WHITESPACE: s((d) => d.multipartFlag('MULTIPART_BOUNDARY_WHITESPACE')),
  MULTIPART_CRLF_LF_LINES: s((d) => d.multipartFlag('MULTIPART_CRLF_LF_LINES')),
  MULTIPART_DATA_AFTER: s((d) => d.multipartFlag('MULTIPART_DATA_AFTER')),
  MULTIPART_DATA_BEFORE: s((d) => d.multipartFlag('MULTIPART_DATA_BEFORE')),
  MULTIPART_FILE_LIMIT_EXCEEDED: s((d) => d.multipartFlag('MULTIPART_FILE_LIMIT_EXCEEDED')),
  MULTIPART_FILENAME: c((d) => d.multipartFilename),
  MULTIPART_HEADER_FOLDING: s((d) => d.multipartFlag('MULTIPART_HEADER_FOLDING')),
  MULTIPART_INVALID_HEADER_FOLDING: s((d) => d.multipartFlag('MULTIPART_INVALID_HEADER_FOLDING')),
  MULTIPART_INVALID_PART: s((d) => d.multipartFlag('MULTIPART_INVALID_PART')),
  MULTIPART_INVALID_QUOTING: s((d) => d.multipartFlag('MULTIPART_INVALID_QUOTING')),
  MULTIPART_LF_LINE: s((d) => d.multipartFlag('MULTIPART_LF_LINE')),
  MULTIPART_MISSING_SEMICOLON: s((d) => d.multipartFlag('MULTIPART_MISSING_SEMICOLON')),
  MULTIPART_NAME: c((d) => d.multipartName),
  MULTIPART_PART_HEADERS: c((d) => d.multipartPartHeaders),
  MULTIPART_SEMICOLON_MISSING: s((d) => d.multipartFlag('MULTIPART_MISSING_SEMICOLON')),
  MULTIPART_STRICT_ERROR: s((d) => d.multipartFlag('MULTIPART_STRICT_ERROR')),
  MULTIPART_UNMATCHED_BOUNDARY: s((d) => d.multipartFlag('MULTIPART_UNMATCHED_BOUNDARY')),
  OUTBOUND_DATA_ERROR: s((d) => (d.outboundDataError ? '1' : '0')),
  QUERY_STRING: s((d) => d.queryString),
  REMOTE_ADDR: s((d) => d.remoteAddr),
  REMOTE_HOST: s((d) => d.remoteAddr),
  REMOTE_PORT: s((d) => String(d.remotePort)),
  REMOTE_USER: s((d) => d.remoteUser()),
  REQBODY_ERROR: s((d) => (d.reqbodyError ? '1' : '0')),
  REQBODY_ERROR_MSG: s((d) => d.reqbodyErrorMsg),
  REQBODY_PROCESSOR: s((d) => d.reqbodyProcessor),
  REQBODY_PROCESSOR_ERROR: s((d) => (d.reqbodyError ? '1' : '0')),
  REQBODY_PROCESSOR_ERROR_MSG: s((d) => d.reqbodyErrorMsg),
  REQUEST_BASENAME: s((d) => d.requestBasename),
  REQUEST_BODY: s((d) => d.requestBodyVariable),
  REQUEST_BODY_LENGTH: s((d) => String(d.requestBodyLength)),
  REQUEST_COOKIES: c((d) => d.requestCookies),
  REQUEST_COOKIES_NAMES: c((d) => d.names(d.requestCookies, 'REQUEST_COOKIES_NAMES')),
  REQUEST_FILENAME: s((d) => d.requestFilename),
  REQUEST_HEADERS: c((d) => d.requestHeaders),
  REQUEST_HEADERS_NAMES: c((d) => d.names(d.requestHeaders, 'REQUEST_HEADERS_NAMES')),
  REQUEST_LINE: s((d) => d.requestLine),
  REQUEST_METHOD: s((d) => d.method),
  REQUEST_PROTOCOL: s((d) => d.protocol),
  REQUEST_URI: s((d) => d.requestUri),
  REQUEST_URI_RAW: s((d) => d.uriRaw),
  RESOURCE: c((d) => d.resource),
  RESPONSE_BODY: s((d) => (d.responseBodyAvailable ? d.responseBody : null)),
  RESPONSE_CONTENT_LENGTH: s((d) => d.responseHeaders.first('content-length') ?? null),
  RESPONSE_CONTENT_TYPE: s((d) => d.responseHeaders.first('content-type') ?? null),
  RESPONSE_HEADERS: c((d) => d.responseHeaders),
  RESPONSE_HEADERS_NAMES: c((d) => d.names(d.responseHeaders, 'RESPONSE_HEADERS_NAMES')),
  RESPONSE_PROTOCOL: s((d) => d.responseProtocol),
  RESPONSE_STATUS: s((d) => (d.responseStatus === 0 ? null : String(d.responseStatus))),
  RULE: c((d) => d.ruleCollection()),
  SERVER_ADDR: s((d) => d.serverAddr),
  SERVER_NAME: s((d) => d.serverName()),
  SERVER_PORT: s((d) => String(d.serverPort)),
  SESSION: c((d) => d.session),
  SESSIONID: s((d) => d.session.value('sessionid') ?? ''),
  STATUS_LINE: s((d) => (d.responseStatus === 0 ? null : `${d.responseProtocol} ${d.responseStatus}`)),
  TIME: s((d) => time(d, (t) => `${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`)),
  TIME_DAY: s((d) => time(d, (t) => String(t.getDate()))),
  TIME_EPOCH: s((d) => String(Math.floor(d.startTime / 1000))),
  TIME_HOUR: s((d) => time(d, (t) => String(t.getHours()))),
  TIME_MIN: s((d) => time(d, (t) => String(t.getMinutes()))),
  TIME_MON: s((d) => time(d, (t) => String(t.getMonth() + 1))),
  TIME_SEC: s((d) => time(d, (t) => String(t.getSeconds()))),
  TIME_WDAY: s((d) => time(d, (t) => String(t.getDay()))),
  TIME_YEAR: s((d) => time(d, (t) => String(t.getFullYear()))),
  TX: c((d) => d.tx),
  UNIQUE_ID: s((d) => d.uniqueId),
  URLENCODED_ERROR: s((d) => (d.urlencodedError ? '1' : '0')),
  USER: c((d) => d.user),
  USERID: s((d) => d.user.value('userid') ?? ''),
  WEBAPPID: s((d) => d.webAppId),
  WEBSERVER_ERROR_LOG: c((d) => d.webserverErrorLog),
  // XML is resolved by the transaction itself (XPath keys); this entry only declares it.
  XML: c((d) => d.webserverErrorLog),
};

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function time(d: RequestData, f: (t: Date) => string): string {
  return f(new Date(d.startTime));
}

const CANONICAL = new Map(Object.keys(VARIABLES).map((k) => [k, k]));

/**
 * The registry's own spelling of a variable name (upper-case, an internalized string),
 * or undefined. Compiled rules keep it so that name comparisons are pointer comparisons.
 */
export function canonicalVariableName(name: string): string | undefined {
  return CANONICAL.get(name.toUpperCase());
}

/** The definition of a variable name (any case), or undefined when picket does not know it. */
export function getVariable(name: string): VariableDefinition | undefined {
  return Object.hasOwn(VARIABLES, name.toUpperCase()) ? VARIABLES[name.toUpperCase()] : undefined;
}
