/**
 * A small argv parser: `--name value`, `--name=value`, bare boolean flags,
 * `-h`, and `--` to end options. It does not validate names: each command
 * hands its flags to the config loader (or checks them itself), which knows
 * the valid ones and suggests the closest.
 */
import type { FlagValue } from '../config/load.ts';

export interface ParsedArgs {
  readonly flags: FlagValue[];
  readonly positionals: string[];
  readonly help: boolean;
}

/** `takesValue(name)`: whether `--name` consumes the next argument when not written `--name=value`. */
export function parseArgv(argv: readonly string[], takesValue: (name: string) => boolean): ParsedArgs {
  const flags: FlagValue[] = [];
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=');
      if (eq > 2) {
        flags.push({ flag: arg.slice(2, eq), value: arg.slice(eq + 1) });
        continue;
      }
      const name = arg.slice(2);
      if (takesValue(name) && i + 1 < argv.length) {
        flags.push({ flag: name, value: argv[++i]! });
      } else {
        flags.push({ flag: name, value: true });
      }
      continue;
    }
    // A lone '-' is a positional (stdin).
    positionals.push(arg);
  }
  return { flags, positionals, help };
}

/** Removes and returns the values of command-specific flags (e.g. --config, --json), leaving config flags. */
export function takeFlags(flags: FlagValue[], name: string): (string | true)[] {
  const taken: (string | true)[] = [];
  for (let i = flags.length - 1; i >= 0; i--) {
    if (flags[i]!.flag === name) taken.unshift(flags.splice(i, 1)[0]!.value);
  }
  return taken;
}
