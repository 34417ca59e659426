/**
 * `picket eval [options] [FILE|-]`: reads one raw HTTP/1.1 request, runs it
 * through the configured ruleset (phases 1 and 2, then logging; there is no
 * response), and prints every matched rule, the verdict and the anomaly
 * scores. The ruleset options are those of `picket run` (--rules, --crs,
 * --paranoia, --mode, ...); --json prints one JSON object instead.
 */
import { readFile } from 'node:fs/promises';
import { buffer } from 'node:stream/consumers';
import { loadConfig } from '../config/load.ts';
import type { MatchedRule, Transaction } from '../engine/api.ts';
import { WafError } from '../errors.ts';
import { parseArgv, takeFlags } from './args.ts';
import { compileRuleset } from './compile.ts';
import { optionHelp } from './help.ts';
import { write } from './io.ts';
import type { Command } from './io.ts';
import { parseRawRequest } from './raw-request.ts';
import type { RawRequest } from './raw-request.ts';
import { takesValue } from './run.ts';
import { OPTIONS } from '../config/schema.ts';

const RULE_OPTIONS = OPTIONS.filter((o) => o.key.startsWith('rules.') || o.key === 'mode' || o.key.startsWith('limits.requestBody'));

export const EVAL_HELP = `Usage: picket eval [options] [FILE|-]

Reads one raw HTTP/1.1 request from FILE (or stdin), runs it through the
ruleset (request phases 1-2 and logging) and prints the matched rules (id,
message, matched variable and value, logdata), the verdict and the anomaly
scores. Without --crs and --rules the picket core ruleset is used.

  --json        print one JSON object
  --config FILE YAML configuration (its rules and limits apply)
${optionHelp(RULE_OPTIONS)}
`;

export interface EvalResult {
  readonly request: { readonly method: string; readonly uri: string; readonly protocol: string; readonly headers: readonly (readonly [string, string])[]; readonly bodyBytes: number };
  readonly ruleEngine: string;
  readonly verdict: 'blocked' | 'would-block' | 'allowed';
  readonly interruption: { readonly action: string; readonly status: number; readonly ruleId: number } | null;
  readonly matchedRules: readonly MatchedRule[];
  readonly scores: { readonly inbound: number; readonly outbound: number };
}

function score(tx: Transaction, key: string): number {
  const value = Number(tx.txValue(key));
  return Number.isFinite(value) ? value : 0;
}

/** Feeds the request to a transaction the way the proxy does. */
export function evaluate(tx: Transaction, request: RawRequest): void {
  tx.processConnection('127.0.0.1', 40000, '127.0.0.1', 8080);
  tx.processUri(request.target, request.method, request.protocol);
  for (const [name, value] of request.headers) tx.addRequestHeader(name, value);
  if (tx.processRequestHeaders() === null) {
    if (tx.requestBodyAccess && request.body.length > 0) tx.appendRequestBody(request.body);
    if (tx.interruption === null) tx.processRequestBody();
  }
  tx.processLogging();
}

function show(value: string, max = 200): string {
  const shown = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(shown);
}

export function formatResult(result: EvalResult): string {
  const lines = [`request: ${result.request.method} ${result.request.uri} ${result.request.protocol} (${result.request.headers.length} headers, ${result.request.bodyBytes} body bytes)`];
  lines.push(`rule engine: ${result.ruleEngine}`);
  lines.push(result.matchedRules.length === 0 ? 'matched rules: none' : `matched rules (${result.matchedRules.length}):`);
  for (const rule of result.matchedRules) {
    lines.push(`  ${rule.id} [phase ${rule.phase}]${rule.severity !== undefined ? ` severity ${rule.severity}` : ''} ${rule.msg}`);
    lines.push(`      matched ${rule.matchedVar} = ${show(rule.matchedValue)}`);
    if (rule.logdata) lines.push(`      logdata: ${show(rule.logdata, 300)}`);
    lines.push(`      at ${rule.file}:${rule.line}${rule.tags.length > 0 ? `  tags: ${rule.tags.join(', ')}` : ''}`);
  }
  const i = result.interruption;
  if (result.verdict === 'blocked') lines.push(`verdict: blocked (${i!.action} ${i!.status} by rule ${i!.ruleId})`);
  else if (result.verdict === 'would-block') lines.push(`verdict: would be blocked (${i!.action} ${i!.status} by rule ${i!.ruleId}); not enforced in DetectionOnly`);
  else lines.push('verdict: allowed');
  lines.push(`anomaly scores: inbound ${result.scores.inbound}, outbound ${result.scores.outbound}`);
  return lines.join('\n');
}

export const evalCommand: Command = async (io) => {
  const args = parseArgv(io.argv, takesValue);
  if (args.help) {
    write(io.stdout, EVAL_HELP);
    return 0;
  }
  const json = takeFlags(args.flags, 'json').length > 0;
  const configFlag = takeFlags(args.flags, 'config').at(-1);
  if (configFlag === true) throw new WafError('WAF_ERR_USAGE', '--config needs a file');
  if (args.positionals.length > 1) throw new WafError('WAF_ERR_USAGE', 'eval reads one request: give one FILE or - for stdin');
  const config = loadConfig({
    flags: args.flags, env: io.env, cwd: io.cwd, requireUpstream: false,
    ...(configFlag !== undefined ? { file: configFlag } : {}),
  });
  const source = args.positionals[0] ?? '-';
  let data: Buffer;
  try {
    data = source === '-' ? await buffer(io.stdin) : await readFile(source);
  } catch (error) {
    throw new WafError('WAF_ERR_USAGE', `eval: cannot read ${source}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const request = parseRawRequest(data);
  const waf = compileRuleset({ mode: config.mode, rules: config.rules, limits: config.limits });
  const tx = waf.newTransaction('eval-1');
  evaluate(tx, request);

  const interruption = tx.interruption ?? tx.wouldInterrupt;
  const result: EvalResult = {
    request: { method: request.method, uri: request.target, protocol: request.protocol, headers: request.headers, bodyBytes: request.body.length },
    ruleEngine: waf.settings.ruleEngine,
    verdict: tx.interruption ? 'blocked' : tx.wouldInterrupt ? 'would-block' : 'allowed',
    interruption: interruption ? { action: interruption.action, status: interruption.status, ruleId: interruption.ruleId } : null,
    matchedRules: tx.matchedRules,
    scores: { inbound: score(tx, 'blocking_inbound_anomaly_score'), outbound: score(tx, 'blocking_outbound_anomaly_score') },
  };
  write(io.stdout, json ? JSON.stringify(result) : formatResult(result));
  return 0;
};
