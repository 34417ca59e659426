/**
 * Composition root: from a validated PicketConfig to a running picket.
 *
 *   logger → metrics → audit log → compile the ruleset → observer
 *   → admin listener → engine warm-up → proxy listener → discovery (Swarm) snapshots
 *
 * Nothing here parses arguments or calls process.exit (cli/ does); every
 * failure is a WafError with a stable code. close(graceMs) stops discovery,
 * drains the proxy, then closes the admin listener and flushes the logs.
 */
import { RouteWafs } from './cli/route-wafs.ts';
import { compileRuleset, compileRulesetAsync } from './cli/compile.ts';
import { VERSION } from './cli/version.ts';
import { warmRuleset } from './cli/warm-ruleset.ts';
import { createSwarmProvider } from './discovery/swarm/index.ts';
import type { Provider, Snapshot } from './discovery/types.ts';
import type { Waf } from './engine/api.ts';
import type { PicketConfig } from './config/types.ts';
import { WafError, isWafError } from './errors.ts';
import { createAdminServer } from './observability/admin.ts';
import type { AdminServer, Readiness } from './observability/admin.ts';
import { openAuditLog } from './observability/audit.ts';
import type { AuditLog } from './observability/audit.ts';
import { createLogger } from './observability/logger.ts';
import type { Logger } from './observability/logger.ts';
import { createMetrics } from './observability/metrics.ts';
import type { Metrics } from './observability/metrics.ts';
import { createObserver } from './observability/observer.ts';
import { createProxy } from './proxy/index.ts';
import type { Proxy } from './proxy/index.ts';

export { VERSION };

export interface StartOptions {
  /** Default: a pino logger at config.logLevel writing to stdout. */
  readonly logger?: Logger;
  /** Discovery provider instead of the one the config implies (tests; cluster workers receive the primary's snapshots). */
  readonly provider?: Provider;
  /** Audit log instead of opening config.audit.path (cluster workers forward their lines to the primary). */
  readonly audit?: AuditLog | null;
}

export interface Picket {
  readonly proxyPort: number;
  /** null when the admin listener is off. */
  readonly adminPort: number | null;
  /** The global ruleset in force (changes on reload). */
  readonly waf: Waf;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly audit: AuditLog | null;
  readiness(): Readiness;
  /**
   * Compiles the rule files again (SIGHUP) and swaps the new ruleset in for new
   * requests; requests already running finish on the ruleset they started with.
   * On any error the running ruleset stays and the error is returned (and logged
   * with every file:line). Compiling runs in slices of a few ms with event-loop
   * turns between them, so requests keep being answered during a reload. A
   * reload asked for while one runs starts after it (several coalesce into one),
   * so the files as they are after the last SIGHUP are what ends up loaded.
   */
  reload(): Promise<ReloadResult>;
  /** Reopens the audit log file (after rotation); failures are logged and the old file keeps receiving lines. */
  reopenAuditLog(): Promise<void>;
  /** Stops discovery, drains in-flight requests for up to graceMs, closes listeners, flushes logs. */
  close(graceMs: number): Promise<void>;
}

export type ReloadResult = { readonly ok: true; readonly rules: number } | { readonly ok: false; readonly error: unknown };

export async function startPicket(config: PicketConfig, options: StartOptions = {}): Promise<Picket> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const metrics = createMetrics({ version: VERSION });

  const started = performance.now();
  const waf = compileRuleset({ mode: config.mode, rules: config.rules, limits: config.limits });
  metrics.rulesLoaded.set(waf.ruleCount);
  logger.info({ rules: waf.ruleCount, ruleEngine: waf.settings.ruleEngine, crs: config.rules.crsDir ?? null, ms: Math.round(performance.now() - started) }, 'ruleset compiled');

  const audit = options.audit !== undefined ? options.audit : config.audit.path === null ? null : await openAuditLog({
    path: config.audit.path,
    all: config.audit.all,
    onDrop: () => metrics.auditDropped.inc(),
  });

  const routeWafs = new RouteWafs(config, waf, logger);
  const observer = createObserver({ logger, metrics, audit });
  let routes = config.upstreams.length > 0 ? 1 : 0;
  // Not ready until the ruleset is warmed up (engine/warm-up.ts): the admin listener opens first.
  let warming = true;
  const readiness = (): Readiness => {
    if (warming) return { ready: false, reason: 'warming up the engine' };
    if (config.mode !== 'mirror' && routes === 0) return { ready: false, reason: 'no routes yet (waiting for discovery)' };
    return { ready: true };
  };

  let admin: AdminServer | null = null;
  let adminPort: number | null = null;
  let proxy: Proxy | null = null;
  let provider: Provider | null = null;
  let closing = false;
  const cleanup = async (graceMs: number): Promise<void> => {
    closing = true;
    await provider?.stop().catch((error: unknown) => logger.error({ err: error }, 'discovery stop failed'));
    await proxy?.close(graceMs);
    await admin?.close();
    await audit?.close();
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
  };

  try {
    if (config.admin) {
      admin = createAdminServer({ registry: metrics.registry, readiness });
      adminPort = (await admin.listen(config.admin.host, config.admin.port)).port;
    }
    await warmRuleset(waf, config.warmUpMs, logger);
    warming = false;
    proxy = createProxy({
      config,
      wafFor: (route) => routeWafs.wafFor(route),
      observer,
      logger,
      ...(config.limits.bodyBufferBytes !== undefined ? { bodyBufferBytes: config.limits.bodyBufferBytes } : {}),
    });
    let proxyPort: number;
    try {
      proxyPort = (await proxy.listen()).port;
    } catch (error) {
      throw new WafError('WAF_ERR_LISTEN', `proxy cannot bind ${config.listen.host}:${config.listen.port}: ${(error as Error).message}`, { cause: error });
    }

    provider = options.provider ?? (config.swarm ? createSwarmProvider(config.swarm, { logger }) : null);
    if (provider) {
      const live = proxy;
      let served: Snapshot = { routes: [] };
      let latest: Snapshot | null = null;
      const serve = (view: Snapshot): void => {
        live.applySnapshot(view);
        served = view;
        routes = view.routes.length;
        logger.info({ routes: view.routes.map((r) => ({ service: r.service, endpoints: r.endpoints.length })) }, 'routes updated');
      };
      // Endpoints change at once; a route whose new WAF options still compile waits (route-wafs.ts).
      await provider.start((snapshot: Snapshot) => {
        latest = snapshot;
        serve(routeWafs.servable(snapshot, served));
        if (served === snapshot) {
          routeWafs.forgetUnused(snapshot);
          return;
        }
        routeWafs.prepare(snapshot).then(() => {
          // A newer snapshot has its own prepare; after close() nothing is served any more.
          if (latest !== snapshot || closing) return;
          serve(routeWafs.servable(snapshot, served));
          routeWafs.forgetUnused(served);
        }).catch((error: unknown) => logger.error({ err: error }, 'route rulesets failed to compile'));
      });
    }

    logger.info({ mode: config.mode, listen: `${config.listen.host}:${proxyPort}`, admin: adminPort === null ? null : `${config.admin!.host}:${adminPort}`, upstreams: config.upstreams }, 'picket started');
    const compileAndSwap = async (): Promise<ReloadResult> => {
      const begun = performance.now();
      try {
        const next = await compileRulesetAsync({ mode: config.mode, rules: config.rules, limits: config.limits });
        await warmRuleset(next, config.warmUpMs, logger, { reload: true });
        await routeWafs.replaceDefault(next);
        metrics.rulesLoaded.set(next.ruleCount);
        metrics.reloads.inc({ result: 'ok' });
        logger.info({ rules: next.ruleCount, ms: Math.round(performance.now() - begun) }, 'ruleset reloaded');
        return { ok: true, rules: next.ruleCount };
      } catch (error) {
        metrics.reloads.inc({ result: 'error' });
        logger.error({ err: error, details: isWafError(error) ? error.details : undefined }, 'ruleset reload failed; the running ruleset stays');
        return { ok: false, error };
      }
    };
    let running: Promise<ReloadResult> | null = null;
    let queued: Promise<ReloadResult> | null = null;
    const start = (): Promise<ReloadResult> => {
      const current = compileAndSwap();
      running = current;
      void current.then(() => {
        if (running === current) running = null;
      });
      return current;
    };
    const reload: Picket['reload'] = () => {
      if (queued) return queued;
      if (!running) return start();
      queued = running.then(() => {
        queued = null;
        return start();
      });
      return queued;
    };
    return {
      proxyPort,
      adminPort,
      get waf() {
        return routeWafs.defaultWaf;
      },
      metrics,
      logger,
      audit,
      readiness,
      reload,
      async reopenAuditLog() {
        if (!audit) return;
        try {
          await audit.reopen();
          logger.info({ path: config.audit.path }, 'audit log reopened');
        } catch (error) {
          logger.error({ err: error }, 'audit log reopen failed; writing on to the previous file');
        }
      },
      close: cleanup,
    };
  } catch (error) {
    await cleanup(0).catch(() => undefined);
    throw error;
  }
}
