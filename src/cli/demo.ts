/**
 * `picket demo`: starts the demo app on 127.0.0.1 (ephemeral port) and
 * picket in front of it, inline mode with the core ruleset, on :8080 with
 * admin on :9090 unless --listen/--port/--admin say otherwise. Every `picket
 * run` option applies (e.g. --crs DIR to try CRS instead of the core ruleset)
 * except --workers: the demo always runs in one process.
 */
import { loadConfig } from '../config/load.ts';
import { OPTIONS } from '../config/schema.ts';
import { startDemoApp } from '../demo/app.ts';
import { WafError } from '../errors.ts';
import { parseArgv, takeFlags } from './args.ts';
import { optionHelp } from './help.ts';
import { write } from './io.ts';
import type { Command } from './io.ts';
import { SHUTDOWN_GRACE_MS, startReloadable, takesValue } from './run.ts';

export const DEMO_HELP = `Usage: picket demo [--port N | --listen HOST:PORT] [--admin HOST:PORT|off] [run options]

Starts a small demo app on 127.0.0.1 and picket in front of it (inline mode,
picket core ruleset), then try:
  curl "http://localhost:8080/?id=1'%20OR%20'1'='1"   # 403 Forbidden
  curl http://localhost:8080/                         # 200 OK

  --port N      shorthand for --listen 0.0.0.0:N
${optionHelp(OPTIONS.filter((o) => o.flag !== 'upstream' && o.flag !== 'workers'))}
`;

export const demo: Command = async (io) => {
  const args = parseArgv(io.argv, (name) => name === 'port' || takesValue(name));
  if (args.help) {
    write(io.stdout, DEMO_HELP);
    return 0;
  }
  if (args.positionals.length > 0) throw new WafError('WAF_ERR_USAGE', `demo takes no arguments, got ${JSON.stringify(args.positionals[0])}`);
  for (const port of takeFlags(args.flags, 'port')) {
    if (port === true) throw new WafError('WAF_ERR_USAGE', '--port needs a number');
    args.flags.push({ flag: 'listen', value: `0.0.0.0:${port}` });
  }
  if (args.flags.some((f) => f.flag === 'upstream')) throw new WafError('WAF_ERR_USAGE', 'demo runs its own upstream; use picket run --upstream for yours');
  if (args.flags.some((f) => f.flag === 'workers')) throw new WafError('WAF_ERR_USAGE', 'demo runs in one process; use picket run --workers N');

  const app = await startDemoApp();
  try {
    const config = loadConfig({
      flags: args.flags,
      env: io.env,
      cwd: io.cwd,
      base: { mode: 'inline', upstreams: [app.url], logLevel: 'warn' },
    });
    // Signals are taken over before the (possibly long) ruleset compile, so that neither SIGTERM nor SIGHUP
    // during start-up kills the process uncleanly; a SIGHUP before picket runs has nothing to reload.
    const stopping = io.shutdown();
    const picket = await startReloadable(config, io);
    const host = config.listen.host === '0.0.0.0' ? 'localhost' : config.listen.host;
    const base = `http://${host}:${picket.proxyPort}`;
    write(io.stdout, [
      `picket demo: listening on ${base} (inline mode, ${picket.waf.ruleCount} rules) -> demo app ${app.url}`,
      picket.adminPort === null ? 'admin: off' : `admin: http://${config.admin!.host === '0.0.0.0' ? 'localhost' : config.admin!.host}:${picket.adminPort}/metrics`,
      'try:',
      `  curl "${base}/?id=1'%20OR%20'1'='1"   # blocked: 403`,
      `  curl ${base}/                         # allowed: 200`,
      'Ctrl-C stops.',
    ].join('\n'));
    await stopping;
    await picket.close(SHUTDOWN_GRACE_MS);
  } finally {
    await app.close();
  }
  return 0;
};
