/**
 * One compiled Waf per distinct set of per-route WAF options (discovery
 * labels: mode, paranoia, extra rules, removed rule ids). Compiling CRS takes
 * a while, so routes are compiled when a snapshot arrives (prepare), never
 * inside a request; wafFor only looks up. A route whose options fail to
 * compile falls back to the global ruleset, and the error is logged. A reload
 * compiles the route rulesets in slices between requests and swaps them in
 * together with the new global ruleset.
 */
import type { PicketConfig } from '../config/types.ts';
import type { Route, RouteWafOptions, Snapshot } from '../discovery/types.ts';
import type { Waf } from '../engine/api.ts';
import { isWafError } from '../errors.ts';
import { compileRuleset, compileRulesetAsync } from './compile.ts';
import type { RulesetInput } from '../config/ruleset.ts';

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

  /**
   * After a reload: the new global ruleset, and every route's ruleset compiled
   * again from its files (asynchronously, in slices); the old ones serve until
   * all are ready, then both change at once. Option sets that a snapshot
   * arriving meanwhile brings are compiled before the switch too.
   */
  async replaceDefault(waf: Waf): Promise<void> {
    const fresh = new Map<string, Waf>();
    const tried = new Set<string>();
    for (;;) {
      const pending = [...this.#needed(this.#snapshot)].filter(([key]) => !tried.has(key));
      if (pending.length === 0) break;
      for (const [key, route] of pending) {
        tried.add(key);
        try {
          const compiled = await compileRulesetAsync(this.#inputFor(route.waf));
          fresh.set(key, compiled);
          this.#logger.info({ service: route.service, rules: compiled.ruleCount }, 'compiled ruleset for route options');
        } catch (error) {
          this.#compileFailed(route, error);
        }
      }
    }
    const next = new Map<string, Waf>();
    for (const key of this.#needed(this.#snapshot).keys()) {
      const compiled = fresh.get(key);
      if (compiled) next.set(key, compiled);
    }
    this.#default = waf;
    this.#byKey = next;
  }

  /** Compiles what the snapshot's routes need and forgets option sets no longer used. */
  prepare(snapshot: Snapshot): void {
    this.#snapshot = snapshot;
    const next = new Map<string, Waf>();
    for (const [key, route] of this.#needed(snapshot)) {
      const known = this.#byKey.get(key);
      if (known) {
        next.set(key, known);
        continue;
      }
      try {
        const waf = compileRuleset(this.#inputFor(route.waf));
        next.set(key, waf);
        this.#logger.info({ service: route.service, rules: waf.ruleCount }, 'compiled ruleset for route options');
      } catch (error) {
        this.#compileFailed(route, error);
      }
    }
    this.#byKey = next;
  }

  /** The option sets the snapshot's routes use (the global ruleset's excluded), each with its first route. */
  #needed(snapshot: Snapshot): Map<string, Route> {
    const needed = new Map<string, Route>();
    for (const route of snapshot.routes) {
      if (isDefault(route.waf)) continue;
      const key = keyOf(route.waf);
      if (!needed.has(key)) needed.set(key, route);
    }
    return needed;
  }

  #inputFor(options: RouteWafOptions): RulesetInput {
    return {
      mode: options.mode ?? this.#config.mode,
      rules: { ...this.#config.rules, paranoiaLevel: options.paranoiaLevel ?? this.#config.rules.paranoiaLevel },
      limits: this.#config.limits,
      ...(options.extraRules ? { extraFiles: options.extraRules } : {}),
      ...(options.removeRuleIds ? { removeRuleIds: options.removeRuleIds } : {}),
    };
  }

  #compileFailed(route: Route, error: unknown): void {
    this.#logger.error(
      { service: route.service, err: error, details: isWafError(error) ? error.details : undefined },
      'route WAF options failed to compile; the route uses the global ruleset',
    );
  }

  wafFor(route: Route | undefined): Waf {
    if (!route || isDefault(route.waf)) return this.#default;
    return this.#byKey.get(keyOf(route.waf)) ?? this.#default;
  }
}
