/**
 * The action registry: SecLang action name (case-insensitive) → definition.
 * Unlisted actions (exec, proxy, append, prepend, pause, deprecatevar, ...) fail
 * loading with `unsupported action <name>`.
 */
import type { ActionDefinition } from './types.ts';
import { accuracy } from './accuracy.ts';
import { allow } from './allow.ts';
import { auditlog } from './auditlog.ts';
import { block } from './block.ts';
import { capture } from './capture.ts';
import { chain } from './chain.ts';
import { ctl } from './ctl.ts';
import { deny } from './deny.ts';
import { drop } from './drop.ts';
import { expirevar } from './expirevar.ts';
import { id } from './id.ts';
import { initcol } from './initcol.ts';
import { log } from './log.ts';
import { logdata } from './logdata.ts';
import { maturity } from './maturity.ts';
import { msg } from './msg.ts';
import { multiMatch } from './multi-match.ts';
import { noauditlog } from './noauditlog.ts';
import { nolog } from './nolog.ts';
import { pass } from './pass.ts';
import { phase } from './phase.ts';
import { redirect } from './redirect.ts';
import { rev } from './rev.ts';
import { sanitiseArg } from './sanitise-arg.ts';
import { sanitiseMatched } from './sanitise-matched.ts';
import { sanitiseMatchedBytes } from './sanitise-matched-bytes.ts';
import { sanitiseRequestHeader } from './sanitise-request-header.ts';
import { sanitiseResponseHeader } from './sanitise-response-header.ts';
import { setenv } from './setenv.ts';
import { setrsc } from './setrsc.ts';
import { setsid } from './setsid.ts';
import { setuid } from './setuid.ts';
import { setvar } from './setvar.ts';
import { severity } from './severity.ts';
import { skip } from './skip.ts';
import { skipAfter } from './skip-after.ts';
import { status } from './status.ts';
import { t } from './t.ts';
import { tag } from './tag.ts';
import { ver } from './ver.ts';
import { xmlns } from './xmlns.ts';

const ACTIONS: Readonly<Record<string, ActionDefinition>> = {
  accuracy,
  allow,
  auditlog,
  block,
  capture,
  chain,
  ctl,
  deny,
  drop,
  expirevar,
  id,
  initcol,
  log,
  logdata,
  maturity,
  msg,
  multimatch: multiMatch,
  noauditlog,
  nolog,
  pass,
  phase,
  redirect,
  rev,
  sanitisearg: sanitiseArg,
  sanitisematched: sanitiseMatched,
  sanitisematchedbytes: sanitiseMatchedBytes,
  sanitiserequestheader: sanitiseRequestHeader,
  sanitiseresponseheader: sanitiseResponseHeader,
  setenv,
  setrsc,
  setsid,
  setuid,
  setvar,
  severity,
  skip,
  skipafter: skipAfter,
  status,
  t,
  tag,
  ver,
  xmlns,
};

export function getAction(name: string): ActionDefinition | undefined {
  const key = name.toLowerCase();
  return Object.hasOwn(ACTIONS, key) ? ACTIONS[key] : undefined;
}

export function actionNames(): string[] {
  return Object.keys(ACTIONS);
}
