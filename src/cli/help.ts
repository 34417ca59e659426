/** Help text, generated from the option table so it cannot drift from what is accepted. */
import { OPTIONS } from '../config/schema.ts';
import type { OptionSpec } from '../config/schema.ts';

function wrap(text: string, width: number, indent: string): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join(`\n${indent}`);
}

export function optionHelp(options: readonly OptionSpec[] = OPTIONS): string {
  const indent = ' '.repeat(8);
  return options.map((o) => {
    const head = `  --${o.flag}${o.arg ? ` ${o.arg}` : ''}${o.list ? ' (repeatable)' : ''}`;
    return `${head}\n${indent}${wrap(`${o.describe} Env ${o.env}. Default: ${o.shownDefault}.`, 78, indent)}`;
  }).join('\n');
}

export const MAIN_HELP = `picket: a Layer-7 WAF (reverse proxy) that runs ModSecurity-language rulesets such as OWASP CRS

Usage: picket <command> [options]

Commands:
  run       run the proxy (flags, PICKET_* environment variables, --config FILE)
  lint      compile rule files and report every error as file:line: message
  eval      run one raw HTTP request through the rules and print what matched
  demo      start a demo app behind picket (inline mode, core ruleset)
  version   print the version

Run 'picket <command> --help' for a command's options. See docs/configuration.md.
`;
