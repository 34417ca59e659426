/**
 * One compiled Waf per distinct set of per-route WAF options (discovery
 * labels: mode, paranoia, extra rules, removed rule ids). Compiling CRS takes
 * a while, so routes are compiled when a snapshot arrives (prepare), never
 * inside a request; wafFor only looks up. A route whose options fail to
 * compile falls back to the global ruleset, and the error is logged.
 */
import type { PicketConfig } from '../config/types.ts';
import type { Route, RouteWafOptions, Snapshot } from '../discovery/types.ts';
import type { Waf } from '../engine/api.ts';
import { isWafError } from '../errors.ts';
import { compileRuleset } from './compile.ts';

interface WafLogger {
  error(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

function keyOf(options: RouteWafOptions): string {
  return JSON.stringify([options.mode ?? null, options.paranoiaLevel ?? null, options.extraRules ?? [], options.removeRuleIds ?? []]);
}

function isDefault(options: RouteWafOptions): boolean {
  return options.mode === undefined && options.paranoiaLevel === undefined
    && (options.extraRules?.length ?? 0) === 0 && (options.removeRuleIds?.length ?? 0) === 0;
}

export class RouteWafs {
  readonly #config: PicketConfig;
  #default: Waf;
  #snapshot: Snapshot = { routes: [] };
  readonly #logger: WafLogger;
  #byKey = new Map<string, Waf>();

  constructor(config: PicketConfig, defaultWaf: Waf, logger: WafLogger) {
    this.#config = config;
    this.#default = defaultWaf;
    this.#logger = logger;
  }

  get defaultWaf(): Waf {
    return this.#default;
  }

  /** After a reload: the new global ruleset, and every route's ruleset compiled again from its files. */
  replaceDefault(waf: Waf): void {
    this.#default = waf;
    this.#byKey = new Map();
    this.prepare(this.#snapshot);
  }

  /** Compiles what the snapshot's routes need and forgets option sets no longer used. */
  prepare(snapshot: Snapshot): void {
    this.#snapshot = snapshot;
    const next = new Map<string, Waf>();
    for (const route of snapshot.routes) {
      if (isDefault(route.waf)) continue;
      const key = keyOf(route.waf);
      if (next.has(key)) continue;
      const known = this.#byKey.get(key);
      if (known) {
        next.set(key, known);
        continue;
      }
      try {
        const waf = compileRuleset({
          mode: route.waf.mode ?? this.#config.mode,
          rules: { ...this.#config.rules, paranoiaLevel: route.waf.paranoiaLevel ?? this.#config.rules.paranoiaLevel },
          limits: this.#config.limits,
          ...(route.waf.extraRules ? { extraFiles: route.waf.extraRules } : {}),
          ...(route.waf.removeRuleIds ? { removeRuleIds: route.waf.removeRuleIds } : {}),
        });
        next.set(key, waf);
        this.#logger.info({ service: route.service, rules: waf.ruleCount }, 'compiled ruleset for route options');
      } catch (error) {
        this.#logger.error(
          { service: route.service, err: error, details: isWafError(error) ? error.details : undefined },
          'route WAF options failed to compile; the route uses the global ruleset',
        );
      }
    }
    this.#byKey = next;
  }

  wafFor(route: Route | undefined): Waf {
    if (!route || isDefault(route.waf)) return this.#default;
    return this.#byKey.get(keyOf(route.waf)) ?? this.#default;
  }
}
