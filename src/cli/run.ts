/**
 * `picket run`: load the configuration once (flags > env > --config file >
 * defaults), start picket, recompile the rule files on SIGHUP, and on
 * SIGTERM/SIGINT drain in-flight requests (up to SHUTDOWN_GRACE_MS) and exit 0.
 * With --workers N > 1 this process becomes the node:cluster primary of N
 * proxy workers (cluster/primary.ts); with 1, everything runs here.
 */
import { loadConfig } from '../config/load.ts';
import { OPTIONS_BY_FLAG } from '../config/schema.ts';
import { WafError } from '../errors.ts';
import { startPicket } from '../main.ts';
import type { Picket } from '../main.ts';
import { compileRuleset } from './compile.ts';
import { parseArgv, takeFlags } from './args.ts';
import { runCluster } from './cluster/primary.ts';
import { optionHelp } from './help.ts';
import { createLogger } from '../observability/logger.ts';
import { write } from './io.ts';
import type { Command, CommandIo } from './io.ts';
import type { PicketConfig } from '../config/types.ts';

/** How long in-flight requests may take to finish after SIGTERM before connections are cut. */
export const SHUTDOWN_GRACE_MS = 10_000;

export const RUN_HELP = `Usage: picket run [--config FILE] [options]

Runs the proxy. Settings come from flags, PICKET_* environment variables and an
optional YAML file (--config FILE or PICKET_CONFIG), in that order of precedence.

  --config FILE
        YAML configuration file (keys in docs/configuration.md). Env PICKET_CONFIG.
  --check
        Validate the configuration and compile the ruleset, print the effective
        configuration as JSON, and exit (0 when both are valid) without listening.
${optionHelp()}
`;

/**
 * Starts picket in this process with SIGHUP wired to a rules reload and an
 * audit log reopen. Call after io.shutdown() has taken over the signals; a
 * SIGHUP before picket runs has nothing to reload.
 */
export async function startReloadable(config: PicketConfig, io: Pick<CommandIo, 'onReload'>): Promise<Picket> {
  let started: Picket | undefined;
  io.onReload(() => {
    void started?.reload();
    void started?.reopenAuditLog();
  });
  started = await startPicket(config);
  return started;
}

export function takesValue(name: string): boolean {
  return name === 'config' || OPTIONS_BY_FLAG.get(name)?.arg !== undefined;
}

export const run: Command = async (io) => {
  const args = parseArgv(io.argv, takesValue);
  if (args.help) {
    write(io.stdout, RUN_HELP);
    return 0;
  }
  const configFlag = takeFlags(args.flags, 'config').at(-1);
  if (configFlag === true) throw new WafError('WAF_ERR_USAGE', '--config needs a file');
  const check = takeFlags(args.flags, 'check').length > 0;
  // Configuration first: a stray argument is often the value of a mistyped flag, which this reports.
  const config = loadConfig({ flags: args.flags, env: io.env, cwd: io.cwd, ...(configFlag !== undefined ? { file: configFlag } : {}) });
  if (args.positionals.length > 0) throw new WafError('WAF_ERR_USAGE', `run takes no arguments, got ${JSON.stringify(args.positionals[0])}`);
  if (check) {
    const waf = compileRuleset({ mode: config.mode, rules: config.rules, limits: config.limits });
    write(io.stdout, JSON.stringify({ ok: true, rules: waf.ruleCount, ruleEngine: waf.settings.ruleEngine, config }, null, 2));
    return 0;
  }
  // Signals are taken over before the (possibly long) ruleset compile, so that neither SIGTERM nor SIGHUP
  // during start-up kills the process uncleanly; a SIGHUP before picket runs has nothing to reload.
  const stopping = io.shutdown();
  if ((config.workers ?? 1) > 1) {
    const logger = createLogger({ level: config.logLevel }).child({ role: 'primary' });
    return runCluster(config, { logger, stopping, onReload: io.onReload, graceMs: SHUTDOWN_GRACE_MS });
  }
  const picket = await startReloadable(config, io);
  const signal = await stopping;
  picket.logger.info({ signal, graceMs: SHUTDOWN_GRACE_MS }, 'shutting down: draining in-flight requests');
  await picket.close(SHUTDOWN_GRACE_MS);
  return 0;
};
