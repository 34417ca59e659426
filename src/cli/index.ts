/**
 * picket's command line: argv → command. The only module that calls
 * process.exit. Commands are imported on demand so that `picket version` or
 * `picket lint` do not load the proxy.
 *
 * Exit status: 0 success; 1 an error (WAF_ERR_* code and message on stderr);
 * 2 usage errors.
 */
import { isWafError } from '../errors.ts';
import { MAIN_HELP } from './help.ts';
import { write } from './io.ts';
import type { Command, CommandIo } from './io.ts';

const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./run.ts')).run,
  lint: async () => (await import('./lint.ts')).lint,
  eval: async () => (await import('./eval.ts')).evalCommand,
  demo: async () => (await import('./demo.ts')).demo,
  version: async () => (await import('./version.ts')).version,
};

/** Runs one command line; returns the exit status (exported for in-process tests). */
export async function main(argv: readonly string[], io: Omit<CommandIo, 'argv'>): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    write(name === undefined ? io.stderr : io.stdout, MAIN_HELP);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') return (await COMMANDS.version!())({ ...io, argv: [] });
  const load = COMMANDS[name];
  if (!load) {
    const { didYouMean } = await import('../config/suggest.ts');
    write(io.stderr, `picket: unknown command "${name}"${didYouMean(name, Object.keys(COMMANDS))}\n\n${MAIN_HELP}`);
    return 2;
  }
  try {
    return await (await load())({ ...io, argv: rest });
  } catch (error) {
    if (isWafError(error)) {
      write(io.stderr, `picket ${name}: ${error.format()}`);
      return error.code === 'WAF_ERR_USAGE' ? 2 : 1;
    }
    write(io.stderr, `picket ${name}: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}

function shutdownSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals): void => {
      resolve(signal);
      // A second signal means "now": skip the drain.
      process.once(signal, () => process.exit(1));
    };
    process.once('SIGTERM', on);
    process.once('SIGINT', on);
  });
}

// Entry point when run as a program (bin/picket), not when imported by tests.
if (import.meta.main) {
  const code = await main(process.argv.slice(2), {
    env: process.env,
    cwd: process.cwd(),
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    shutdown: shutdownSignal,
    onReload: (handler) => process.on('SIGHUP', handler),
  });
  process.exitCode = code;
  // Let stdout drain, then exit even if a handle (e.g. stdin) is still open.
  process.stdout.write('', () => process.exit(code));
}
