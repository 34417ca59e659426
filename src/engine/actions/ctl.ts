/**
 * ctl (non-disruptive)
 * Description: changes engine configuration for the current transaction only.
 * Options: ruleRemoveById=ID|RANGE (space/comma separated), ruleRemoveByTag=REGEX,
 * ruleRemoveByMsg=REGEX, ruleRemoveTargetById=ID;VAR[:key], ruleRemoveTargetByTag=REGEX;VAR[:key],
 * ruleRemoveTargetByMsg=REGEX;VAR[:key], ruleEngine=On|Off|DetectionOnly,
 * requestBodyProcessor=URLENCODED|MULTIPART|JSON|XML, forceRequestBodyVariable=On|Off,
 * requestBodyAccess=On|Off, requestBodyLimit=N, responseBodyAccess=On|Off, responseBodyLimit=N,
 * auditEngine=On|Off|RelevantOnly, auditLogParts=[+|-]PARTS. Anything else fails loading.
 * Arguments: `option=value`.
 * Example: SecRule REQUEST_URI "@beginsWith /api" "id:1,phase:1,pass,nolog,ctl:ruleRemoveTargetById=942100;ARGS:q"
 */
import { RuleError, UnsupportedError } from '../errors.ts';
import type { ActionContext, ActionDefinition, ActionHost, RuntimeAction, TargetSelector } from './types.ts';
import { parseIdRanges } from './types.ts';
import { requireArgument } from './argument.ts';
import { canonicalVariableName } from '../variables/index.ts';

type Apply = (host: ActionHost) => void;

class Ctl implements RuntimeAction {
  readonly name = 'ctl';
  readonly #apply: Apply;
  constructor(apply: Apply) {
    this.#apply = apply;
  }
  execute(host: ActionHost): void {
    this.#apply(host);
  }
}

function onOff(option: string, value: string, ctx: ActionContext): boolean {
  const v = value.toLowerCase();
  if (v === 'on' || v === 'true' || v === '1') return true;
  if (v === 'off' || v === 'false' || v === '0') return false;
  throw new RuleError(`ctl:${option}: expected On or Off, got '${value}'`, ctx.file, ctx.line);
}

function regex(option: string, value: string, ctx: ActionContext): RegExp {
  try {
    return new RegExp(value, 's');
  } catch (e) {
    throw new RuleError(`ctl:${option}: invalid regex '${value}': ${(e as Error).message}`, ctx.file, ctx.line);
  }
}

/** `VAR`, `VAR:key` or `VAR:/regex/` as written after `;` in ctl:ruleRemoveTarget*. */
export function parseTargetSelector(text: string, file: string, line: number): TargetSelector {
  const colon = text.indexOf(':');
  const written = (colon === -1 ? text : text.slice(0, colon)).trim().toUpperCase();
  if (written === '') throw new RuleError(`missing variable in target '${text}'`, file, line);
  const variable = canonicalVariableName(written);
  if (variable === undefined) throw new UnsupportedError('variable', written, file, line);
  if (colon === -1) return { variable };
  const key = text.slice(colon + 1).trim();
  if (key.length >= 2 && key.startsWith('/') && key.endsWith('/')) {
    try {
      return { variable, keyRegex: new RegExp(key.slice(1, -1), 'is') };
    } catch (e) {
      throw new RuleError(`invalid key regex ${key}: ${(e as Error).message}`, file, line);
    }
  }
  // Keys are case-insensitive: stored lower-cased for cheap comparisons.
  return { variable, key: key.replace(/^'(.*)'$/, '$1').toLowerCase() };
}

function splitTarget(option: string, value: string, ctx: ActionContext): [string, TargetSelector] {
  const semi = value.indexOf(';');
  if (semi === -1) throw new RuleError(`ctl:${option}: expected '<rule>;<variable>', got '${value}'`, ctx.file, ctx.line);
  return [value.slice(0, semi).trim(), parseTargetSelector(value.slice(semi + 1), ctx.file, ctx.line)];
}

function compile(option: string, value: string, ctx: ActionContext): Apply {
  switch (option.toLowerCase()) {
    case 'ruleremovebyid': {
      const ranges = parseIdRanges(value);
      if (!ranges) throw new RuleError(`ctl:ruleRemoveById: invalid id list '${value}'`, ctx.file, ctx.line);
      return (h) => h.removeRulesById(ranges);
    }
    case 'ruleremovebytag': {
      const re = regex(option, value, ctx);
      return (h) => h.removeRulesByTag(re);
    }
    case 'ruleremovebymsg': {
      const re = regex(option, value, ctx);
      return (h) => h.removeRulesByMsg(re);
    }
    case 'ruleremovetargetbyid': {
      const [ids, target] = splitTarget(option, value, ctx);
      const ranges = parseIdRanges(ids);
      if (!ranges) throw new RuleError(`ctl:ruleRemoveTargetById: invalid id list '${ids}'`, ctx.file, ctx.line);
      return (h) => h.removeTargetsById(ranges, target);
    }
    case 'ruleremovetargetbytag': {
      const [tag, target] = splitTarget(option, value, ctx);
      const re = regex(option, tag, ctx);
      return (h) => h.removeTargetsByTag(re, target);
    }
    case 'ruleremovetargetbymsg': {
      const [msg, target] = splitTarget(option, value, ctx);
      const re = regex(option, msg, ctx);
      return (h) => h.removeTargetsByMsg(re, target);
    }
    case 'ruleengine': {
      const mode = ({ on: 'On', off: 'Off', detectiononly: 'DetectionOnly' } as const)[value.toLowerCase() as 'on'];
      if (!mode) throw new RuleError(`ctl:ruleEngine: expected On, Off or DetectionOnly, got '${value}'`, ctx.file, ctx.line);
      return (h) => h.setRuleEngine(mode);
    }
    case 'requestbodyprocessor': {
      const name = value.toUpperCase();
      if (!['URLENCODED', 'MULTIPART', 'JSON', 'XML'].includes(name)) {
        throw new UnsupportedError('body processor', value, ctx.file, ctx.line);
      }
      return (h) => h.setRequestBodyProcessor(name);
    }
    case 'forcerequestbodyvariable': {
      const on = onOff(option, value, ctx);
      return (h) => h.setForceRequestBodyVariable(on);
    }
    case 'requestbodyaccess': {
      const on = onOff(option, value, ctx);
      return (h) => h.setRequestBodyAccess(on);
    }
    case 'responsebodyaccess': {
      const on = onOff(option, value, ctx);
      return (h) => h.setResponseBodyAccess(on);
    }
    case 'requestbodylimit':
    case 'responsebodylimit': {
      if (!/^\d+$/.test(value)) throw new RuleError(`ctl:${option}: invalid size '${value}'`, ctx.file, ctx.line);
      const n = Number(value);
      return option.toLowerCase() === 'requestbodylimit' ? (h) => h.setRequestBodyLimit(n) : (h) => h.setResponseBodyLimit(n);
    }
    case 'auditengine': {
      const mode = ({ on: 'On', off: 'Off', relevantonly: 'RelevantOnly' } as const)[value.toLowerCase() as 'on'];
      if (!mode) throw new RuleError(`ctl:auditEngine: expected On, Off or RelevantOnly, got '${value}'`, ctx.file, ctx.line);
      return (h) => h.setAuditEngine(mode);
    }
    case 'auditlogparts':
      return (h) => h.setAuditLogParts(value);
    default:
      throw new UnsupportedError('ctl option', option, ctx.file, ctx.line);
  }
}

export const ctl: ActionDefinition = {
  kind: 'non-disruptive',
  apply(set, argument, ctx) {
    const text = requireArgument('ctl', argument, ctx);
    const eq = text.indexOf('=');
    if (eq <= 0) throw new RuleError(`ctl: expected option=value, got '${text}'`, ctx.file, ctx.line);
    set.actions.push(new Ctl(compile(text.slice(0, eq).trim(), text.slice(eq + 1).trim(), ctx)));
  },
};
