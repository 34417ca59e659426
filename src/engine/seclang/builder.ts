/**
 * Load-time state while directives are applied: settings, rules in order,
 * SecDefaultAction per phase, the open chain, and collected errors.
 * `build()` turns it into a WafImpl.
 */
import type { RuleError } from '../errors.ts';
import { compileMacro } from '../macro.ts';
import type { Macro } from '../macro.types.ts';
import type { ActionSet } from '../actions/types.ts';
import { Rule } from '../rule.ts';
import { ChainRegistry } from '../transform-chain.ts';
import { defaultConfig, WafImpl } from '../waf.ts';
import type { WafConfig } from '../waf.ts';

export class RulesetBuilder {
  readonly config: WafConfig = defaultConfig();
  /** Chain heads and markers, in load order. */
  readonly rules: Rule[] = [];
  readonly byId = new Map<number, Rule>();
  readonly defaults = new Map<number, ActionSet>();
  readonly chains = new ChainRegistry();
  readonly errors: RuleError[] = [];
  /** The last rule of an open chain: the next SecRule becomes its link. */
  pendingChain: Rule | null = null;
  /** The first SecResponseBodyMimeType replaces the built-in list (ModSecurity v2); later ones add. */
  mimeTypesExplicit = false;
  /** Directory of the file being loaded: @pmFromFile/@ipMatchFromFile paths resolve against it. */
  currentDir = '.';
  /** A chain head failed to compile: its links are skipped instead of reported as rules without id. */
  orphanChain = false;

  macro(text: string, file: string, line: number): Macro {
    return compileMacro(text, file, line);
  }

  /** Rules (heads) whose id is in one of the ranges. */
  *rulesWithId(predicate: (id: number) => boolean): Iterable<Rule> {
    for (const r of this.rules) if (r.marker === undefined && predicate(r.id)) yield r;
  }

  build(): WafImpl {
    const phases: Rule[][] = [[], [], [], [], [], []];
    for (const r of this.rules) {
      if (r.marker !== undefined) {
        for (let p = 1; p <= 5; p++) phases[p]?.push(r);
      } else {
        phases[r.phase]?.push(r);
      }
    }
    return new WafImpl(this.config, phases, this.chains);
  }
}

export { Rule };
