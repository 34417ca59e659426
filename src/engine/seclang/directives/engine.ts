/**
 * Engine settings directives: rule engine mode, body access and limits, MIME types,
 * argument separator, cookie format, audit engine, parser limits.
 * Each takes exactly one argument unless noted; bad values fail with file:line.
 * Example: SecRequestBodyLimit 13107200
 */
import { RuleError } from '../../errors.ts';
import type { RulesetBuilder } from '../builder.ts';
import type { Directive } from '../lexer.ts';
import type { DirectiveHandler } from './types.ts';

function one(d: Directive): string {
  if (d.args.length !== 1) throw new RuleError(`${d.name} takes 1 argument, got ${d.args.length}`, d.file, d.line);
  return d.args[0] ?? '';
}

function choice<T extends string>(d: Directive, values: readonly T[]): T {
  const v = one(d);
  const found = values.find((x) => x.toLowerCase() === v.toLowerCase());
  if (found === undefined) throw new RuleError(`${d.name}: expected one of ${values.join(', ')}, got '${v}'`, d.file, d.line);
  return found;
}

function onOff(d: Directive): boolean {
  return choice(d, ['On', 'Off'] as const) === 'On';
}

function size(d: Directive): number {
  const v = one(d);
  if (!/^\d+$/.test(v)) throw new RuleError(`${d.name}: expected a number of bytes, got '${v}'`, d.file, d.line);
  return Number(v);
}

function set(apply: (b: RulesetBuilder, d: Directive) => void): DirectiveHandler {
  return apply;
}

export const engineDirectives: Readonly<Record<string, DirectiveHandler>> = {
  secruleengine: set((b, d) => (b.config.ruleEngine = choice(d, ['On', 'Off', 'DetectionOnly'] as const))),
  secrequestbodyaccess: set((b, d) => (b.config.requestBodyAccess = onOff(d))),
  secresponsebodyaccess: set((b, d) => (b.config.responseBodyAccess = onOff(d))),
  secrequestbodylimit: set((b, d) => (b.config.requestBodyLimit = size(d))),
  secrequestbodynofileslimit: set((b, d) => (b.config.requestBodyNoFilesLimit = size(d))),
  secrequestbodyinmemorylimit: set((b, d) => (b.config.requestBodyInMemoryLimit = size(d))),
  secrequestbodylimitaction: set((b, d) => (b.config.requestBodyLimitAction = choice(d, ['Reject', 'ProcessPartial'] as const))),
  secresponsebodylimit: set((b, d) => (b.config.responseBodyLimit = size(d))),
  secresponsebodylimitaction: set((b, d) => (b.config.responseBodyLimitAction = choice(d, ['Reject', 'ProcessPartial'] as const))),
  // The first SecResponseBodyMimeType replaces the default text/plain text/html, later ones
  // add (ModSecurity v2); the Clear directive empties the list.
  secresponsebodymimetype: set((b, d) => {
    if (d.args.length === 0) throw new RuleError(`${d.name} takes at least 1 argument`, d.file, d.line);
    if (!b.mimeTypesExplicit) b.config.responseBodyMimeTypes.length = 0;
    b.mimeTypesExplicit = true;
    for (const arg of d.args) for (const t of arg.split(/\s+/)) if (t) b.config.responseBodyMimeTypes.push(t.toLowerCase());
  }),
  secresponsebodymimetypesclear: set((b, d) => {
    if (d.args.length !== 0) throw new RuleError(`${d.name} takes no argument`, d.file, d.line);
    b.config.responseBodyMimeTypes.length = 0;
    b.mimeTypesExplicit = true;
  }),
  secargumentseparator: set((b, d) => {
    const v = one(d);
    if (v.length !== 1) throw new RuleError(`${d.name}: expected one character, got '${v}'`, d.file, d.line);
    b.config.argumentSeparator = v;
  }),
  seccookieformat: set((b, d) => (b.config.cookieFormat = choice(d, ['0', '1'] as const) === '1' ? 1 : 0)),
  secargumentslimit: set((b, d) => (b.config.argumentsLimit = size(d))),
  secrequestbodyjsondepthlimit: set((b, d) => (b.config.jsonDepthLimit = size(d))),
  secuploadfilelimit: set((b, d) => (b.config.uploadFileLimit = size(d))),
  secauditengine: set((b, d) => (b.config.auditEngine = choice(d, ['On', 'Off', 'RelevantOnly'] as const))),
  secauditlogparts: set((b, d) => {
    const v = one(d);
    if (!/^[A-KZ]+$/.test(v)) throw new RuleError(`${d.name}: invalid parts '${v}'`, d.file, d.line);
    b.config.auditLogParts = v;
  }),
  secauditlogrelevantstatus: set((b, d) => {
    const v = one(d);
    try {
      b.config.auditLogRelevantStatus = new RegExp(v);
    } catch (e) {
      throw new RuleError(`${d.name}: invalid regex '${v}': ${(e as Error).message}`, d.file, d.line);
    }
  }),
  secwebappid: set((b, d) => (b.config.webAppId = one(d))),
  seccomponentsignature: set((b, d) => {
    b.config.componentSignatures.push(one(d));
  }),
  secserversignature: set((b, d) => (b.config.serverSignature = one(d))),
  secpcrematchlimit: set((b, d) => (b.config.pcreMatchLimit = size(d))),
  secpcrematchlimitrecursion: set((b, d) => (b.config.pcreMatchLimitRecursion = size(d))),
  seccollectiontimeout: set((b, d) => (b.config.collectionTimeout = size(d))),
};
