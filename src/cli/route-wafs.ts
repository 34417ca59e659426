/**
 * One compiled Waf per distinct set of per-route WAF options (discovery
 * labels: mode, paranoia, extra rules, removed rule ids).
 *
 * Compiling CRS takes a few hundred ms of CPU, so it never runs inside a
 * request nor in one block: a snapshot that brings new option sets is
 * compiled in slices between requests (compileRulesetAsync), and until then
 * `servable` gives the proxy a view of the snapshot in which no route runs a
 * ruleset other than its own or its previous one:
 * - a route whose options are compiled (or are the global ones) is served as discovered;
 * - a known service whose options changed keeps its previous options, with the
 *   new hosts and endpoints, until the new ruleset is ready;
 * - a new service whose ruleset is not ready yet is not routed (404), never
 *   served by the global ruleset, which may be weaker than what it asked for.
 * A route whose options fail to compile falls back to the global ruleset and
 * the error is logged once. A reload compiles every route ruleset again in
 * slices and swaps them in together with the new global ruleset. Compiles and
 * swaps run one at a time, in the order asked.
 */
import type { PicketConfig } from '../config/types.ts';
import type { Route, RouteWafOptions, Snapshot } from '../discovery/types.ts';
import type { Waf } from '../engine/api.ts';
import { isWafError } from '../errors.ts';
import { compileRulesetAsync } from './compile.ts';
import type { RulesetInput } from '../config/ruleset.ts';
import { warmRuleset } from './warm-ruleset.ts';
import type { WarmUpLogger } from './warm-ruleset.ts';

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
  /** The last snapshot asked for (prepare): what a reload compiles for. */
  #snapshot: Snapshot = { routes: [] };
  readonly #logger: WarmUpLogger;
  #byKey = new Map<string, Waf>();
  /** Option sets that failed to compile: their routes use the global ruleset (logged once, retried on reload). */
  #failed = new Set<string>();
  /** The tail of the compile/swap queue: one runs at a time. */
  #queue: Promise<void> = Promise.resolve();

  constructor(config: PicketConfig, defaultWaf: Waf, logger: WarmUpLogger) {
    this.#config = config;
    this.#default = defaultWaf;
    this.#logger = logger;
  }

  get defaultWaf(): Waf {
    return this.#default;
  }

  /** Runs `work` after every compile or swap asked for before it. */
  #exclusive(work: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * After a reload: the new global ruleset, and every route's ruleset compiled
   * again from its files; the old ones serve until all are ready, then both
   * change at once.
   */
  replaceDefault(waf: Waf): Promise<void> {
    return this.#exclusive(async () => {
      const fresh = new Map<string, Waf>();
      const failed = new Set<string>();
      for (const [key, route] of this.#needed(this.#snapshot)) {
        const compiled = await this.#compile(key, route, failed);
        if (compiled) fresh.set(key, compiled);
      }
      this.#default = waf;
      this.#byKey = fresh;
      this.#failed = failed;
    });
  }

  /**
   * Compiles the option sets `snapshot` needs that are not compiled yet, in
   * slices; resolves when all are ready (or failed).
   */
  prepare(snapshot: Snapshot): Promise<void> {
    this.#snapshot = snapshot;
    return this.#exclusive(async () => {
      for (const [key, route] of this.#needed(snapshot)) {
        if (this.#byKey.has(key) || this.#failed.has(key)) continue;
        const compiled = await this.#compile(key, route, this.#failed);
        if (compiled) this.#byKey.set(key, compiled);
      }
    });
  }

  /** Forgets the option sets that no route of `served` (the route table now in force) uses. */
  forgetUnused(served: Snapshot): void {
    const needed = this.#needed(served);
    for (const key of this.#byKey.keys()) if (!needed.has(key)) this.#byKey.delete(key);
    for (const key of this.#failed) if (!needed.has(key)) this.#failed.delete(key);
  }

  /** Whether `route` can be served with its own options now. */
  ready(route: Route): boolean {
    if (isDefault(route.waf)) return true;
    const key = keyOf(route.waf);
    return this.#byKey.has(key) || this.#failed.has(key);
  }

  /**
   * What of `snapshot` can be served now (see the header): ready routes as
   * they are; a route not ready yet with the options it had in `previous`
   * when those are ready; else nothing.
   */
  servable(snapshot: Snapshot, previous: Snapshot): Snapshot {
    if (snapshot.routes.every((route) => this.ready(route))) return snapshot;
    const before = new Map(previous.routes.map((route) => [route.service, route]));
    const routes: Route[] = [];
    for (const route of snapshot.routes) {
      if (this.ready(route)) {
        routes.push(route);
        continue;
      }
      const old = before.get(route.service);
      if (old && this.ready(old)) routes.push({ ...route, waf: old.waf });
    }
    return { routes };
  }

  async #compile(key: string, route: Route, failed: Set<string>): Promise<Waf | null> {
    try {
      const waf = await compileRulesetAsync(this.#inputFor(route.waf));
      this.#logger.info({ service: route.service, rules: waf.ruleCount }, 'compiled ruleset for route options');
      await warmRuleset(waf, this.#config.warmUpMs, this.#logger, { service: route.service });
      return waf;
    } catch (error) {
      failed.add(key);
      this.#logger.error(
        { service: route.service, err: error, details: isWafError(error) ? error.details : undefined },
        'route WAF options failed to compile; the route uses the global ruleset',
      );
      return null;
    }
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

  wafFor(route: Route | undefined): Waf {
    if (!route || isDefault(route.waf)) return this.#default;
    return this.#byKey.get(keyOf(route.waf)) ?? this.#default;
  }
}
