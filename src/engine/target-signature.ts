/**
 * Target signatures: which rule targets read exactly the same values, so that one
 * phase run can collect them once (transaction.ts reads the shared lists).
 *
 * CRS gives ~100 rules the same long target list (REQUEST_COOKIES|REQUEST_COOKIES_NAMES|
 * ARGS_NAMES|ARGS|XML:/*|...), and many more the same targets in other orders and
 * combinations, so without sharing each of them resolves the same collections, tests the
 * same exclusions on the same keys and finds the same value cache records. Sharing is per
 * target (with the rule's exclusions of its variable): a rule reads its targets' lists in
 * its own order.
 *
 * Sharing is exact because a signature only covers variables that nothing writes while
 * the rules of a phase run (STABLE_VARIABLES): the request and response data, which the
 * transaction fills between phases (URI, headers, parsed body, response). Everything an
 * action or a match can write is left out: TX and the other setvar collections, ENV,
 * MATCHED_VAR(S), HIGHEST_SEVERITY, RULE, REQBODY_PROCESSOR (ctl:requestBodyProcessor),
 * MSC_PCRE_LIMITS_EXCEEDED, DURATION. A shared list therefore lives for one phase run.
 *
 * A shared list leaves out the values that every rule reading it is known not to match
 * (value-cache.ts): the names and values that repeat from request to request, so each
 * rule walks only the values some reader has not inspected yet, and checks its own bit.
 */
import type { Exclusion, Rule, Target } from './rule.ts';
import { CollectedValues } from './collected-values.ts';
import { screenPlan, type ScreenPlan } from './byte-screen.ts';
import { linkSet, type LinkSet } from './value-cache.ts';

/**
 * Variables whose value cannot change while one phase's rules run: only the
 * transaction's request and response processing (between phases) writes them.
 * A variable missing here is never shared, which is always exact.
 */
export const STABLE_VARIABLES: ReadonlySet<string> = new Set([
  'ARGS', 'ARGS_COMBINED_SIZE', 'ARGS_GET', 'ARGS_GET_NAMES', 'ARGS_NAMES', 'ARGS_POST', 'ARGS_POST_NAMES',
  'AUTH_TYPE', 'FILES', 'FILES_COMBINED_SIZE', 'FILES_NAMES', 'FILES_SIZES', 'FILES_TMPNAMES', 'FILES_TMP_CONTENT',
  'FULL_REQUEST', 'FULL_REQUEST_LENGTH', 'INBOUND_DATA_ERROR', 'OUTBOUND_DATA_ERROR',
  'MULTIPART_BOUNDARY_QUOTED', 'MULTIPART_BOUNDARY_WHITESPACE', 'MULTIPART_CRLF_LF_LINES', 'MULTIPART_DATA_AFTER',
  'MULTIPART_DATA_BEFORE', 'MULTIPART_FILE_LIMIT_EXCEEDED', 'MULTIPART_FILENAME', 'MULTIPART_HEADER_FOLDING',
  'MULTIPART_INVALID_HEADER_FOLDING', 'MULTIPART_INVALID_PART', 'MULTIPART_INVALID_QUOTING', 'MULTIPART_LF_LINE',
  'MULTIPART_MISSING_SEMICOLON', 'MULTIPART_NAME', 'MULTIPART_PART_HEADERS', 'MULTIPART_SEMICOLON_MISSING',
  'MULTIPART_STRICT_ERROR', 'MULTIPART_UNMATCHED_BOUNDARY',
  'QUERY_STRING', 'REMOTE_ADDR', 'REMOTE_HOST', 'REMOTE_PORT', 'REMOTE_USER',
  'REQBODY_ERROR', 'REQBODY_ERROR_MSG', 'REQBODY_PROCESSOR_ERROR', 'REQBODY_PROCESSOR_ERROR_MSG',
  'REQUEST_BASENAME', 'REQUEST_BODY', 'REQUEST_BODY_LENGTH', 'REQUEST_COOKIES', 'REQUEST_COOKIES_NAMES',
  'REQUEST_FILENAME', 'REQUEST_HEADERS', 'REQUEST_HEADERS_NAMES', 'REQUEST_LINE', 'REQUEST_METHOD',
  'REQUEST_PROTOCOL', 'REQUEST_URI', 'REQUEST_URI_RAW',
  'RESPONSE_BODY', 'RESPONSE_CONTENT_LENGTH', 'RESPONSE_CONTENT_TYPE', 'RESPONSE_HEADERS', 'RESPONSE_HEADERS_NAMES',
  'RESPONSE_PROTOCOL', 'RESPONSE_STATUS', 'STATUS_LINE',
  'SERVER_ADDR', 'SERVER_NAME', 'SERVER_PORT', 'UNIQUE_ID', 'URLENCODED_ERROR', 'WEBAPPID', 'XML',
]);

/** The rules that share one target's values, and what a list of them may leave out. */
export interface SharedTargets {
  /** Whether the rules remember "no match" (value-cache.ts); if not, lists leave nothing out. */
  readonly memo: boolean;
  /**
   * The rules seen reading the list so far, learned at run time: a value all of them are
   * known not to match is left out. Not every rule of a signature runs (CRS skips the
   * paranoia levels it does not run), and one that never runs never learns a value.
   */
  links: LinkSet;
  /** Bumped when `links` grows. */
  version: number;
  /** The byte screen of `links` (byte-screen.ts), as of `links` version `planVersion`. */
  plan: ScreenPlan | null;
  planVersion: number;
}

/**
 * The shared target lists of a ruleset: per signature id, which rules read it and the list
 * of the current phase run (a phase run is synchronous, so transactions take turns with them).
 * A rule's targets are numbered by slot (Rule.targetSlot + target index).
 */
export class SharedTargetTable {
  readonly signatures: readonly SharedTargets[];
  readonly lists: readonly CollectedValues[];
  /** Per slot: the version of its signature's `links` that added its rule, 0 before. */
  readonly #since: Int32Array;
  /** Rule links by Rule.linkIndex. */
  readonly #links: readonly Rule[];

  constructor(signatures: SharedTargets[], slots: number, links: readonly Rule[]) {
    this.signatures = signatures;
    this.#links = links;
    this.lists = signatures.map(() => {
      const list = new CollectedValues();
      list.shared = true;
      return list;
    });
    this.#since = new Int32Array(slots);
  }

  /** Whether the target in `slot` may read `list` (built for its rule too). */
  mayRead(slot: number, list: CollectedValues): boolean {
    const since = this.#since[slot] as number;
    return since !== 0 && since <= list.version;
  }

  /** Whether the target in `slot` is among those its signature's lists are built for. */
  knows(slot: number): boolean {
    return this.#since[slot] !== 0;
  }

  /** The byte screen of the rules seen reading signature `id`, or null when none can be screened. */
  screen(id: number): ScreenPlan | null {
    const sig = this.signatures[id] as SharedTargets;
    if (sig.planVersion !== sig.version) {
      const readers: Rule[] = [];
      const { words, masks } = sig.links;
      for (let k = 0; k < words.length; k++) {
        for (let b = 0; b < 32; b++) if (((masks[k] as number) & (1 << b)) !== 0) readers.push(this.#links[(words[k] as number) * 32 + b] as Rule);
      }
      sig.plan = screenPlan(readers);
      sig.planVersion = sig.version;
    }
    return sig.plan;
  }

  /** Adds the target in `slot` (of the rule numbered `linkIndex`) to those lists of signature `id` are built for. */
  learn(id: number, slot: number, linkIndex: number): void {
    const sig = this.signatures[id] as SharedTargets;
    if (this.#since[slot] !== 0) return;
    sig.version++;
    this.#since[slot] = sig.version;
    const indexes: number[] = [linkIndex];
    for (let k = 0; k < sig.links.words.length; k++) {
      const w = sig.links.words[k] as number;
      const m = sig.links.masks[k] as number;
      for (let b = 0; b < 32; b++) if ((m & (1 << b)) !== 0) indexes.push(w * 32 + b);
    }
    sig.links = linkSet(indexes);
  }
}

/**
 * Gives every target of a chain head that another target of the same phase reads alike
 * (signatureText), and that holds a stable variable, a signature id shared by exactly those
 * (Rule.sharedTargets); the others get -1. Chained links never share: they run only when
 * their head matched, so they would rarely learn values (see SharedTargets.links).
 */
export function assignTargetSignatures(phases: readonly (readonly Rule[])[], links: readonly Rule[]): SharedTargetTable {
  const out: SharedTargets[] = [];
  let slots = 0;
  for (let phase = 0; phase < phases.length; phase++) {
    const byText = new Map<string, [Rule, number][]>();
    for (const head of phases[phase] ?? []) {
      if (head.marker !== undefined || head.operator === null || head.targetSlot >= 0) continue;
      head.targetSlot = slots;
      slots += head.targets.length;
      for (let t = 0; t < head.targets.length; t++) {
        const text = signatureText(head, head.targets[t] as Target);
        if (text === null) continue;
        const same = byText.get(text);
        if (same === undefined) byText.set(text, [[head, t]]);
        else same.push([head, t]);
      }
    }
    for (const uses of byText.values()) {
      if (uses.length < 2) continue;
      // One id per phase and text: a list never outlives its phase run anyway.
      for (const [rule, t] of uses) (rule.sharedTargets ??= new Int32Array(rule.targets.length).fill(-1))[t] = out.length;
      out.push({ memo: (uses[0] as [Rule, number])[0].constantOperand, links: linkSet([]), version: 0, plan: null, planVersion: 0 });
    }
  }
  for (const phase of phases) {
    for (const head of phase) {
      const ids = head.sharedTargets;
      head.skipsWhenKnown = ids !== null && head.constantOperand && ids.every((id) => id >= 0);
    }
  }
  return new SharedTargetTable(out, slots, links);
}

/**
 * Everything that decides which values `link` collects for `target`: the target with its key,
 * key regex, count and the name the count shows, the link's exclusions of the same variable,
 * for XML the xmlns bindings, and whether the link remembers "no match". null when the
 * target cannot share (a variable that may change during a phase).
 */
export function signatureText(link: Rule, target: Target): string | null {
  if (!STABLE_VARIABLES.has(target.variable)) return null;
  let text = `${targetText(target)}\u0002`;
  for (const x of link.exclusions) if (x.variable === target.variable) text += `${selectorText(x)}\u0001`;
  if (target.variable === 'XML') text += `\u0002${link.xmlnsKey}`;
  // Links that remember "no match" and links that do not filter the list differently.
  return link.constantOperand ? `${text}\u0002memo` : text;
}

function targetText(t: Target): string {
  const base = selectorText(t);
  return t.count ? `&${base}\u0003${t.countName}` : base;
}

function selectorText(s: Target | Exclusion): string {
  const re = s.keyRegex === undefined ? '' : `/${s.keyRegex.source}/${s.keyRegex.flags}`;
  return `${s.variable}\u0003${s.key ?? ''}\u0003${re}`;
}
