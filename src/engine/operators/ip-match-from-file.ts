/**
 * `@ipMatchFromFile` (alias `@ipMatchF`)
 *
 * Description: Like @ipMatch, with the networks read from a file, one per line.
 * Leading whitespace is skipped, a line ends at the first byte that cannot be
 * part of an address (so `# comments` and trailing text are ignored), and blank
 * lines are skipped. The path is relative to the rule file's directory. An
 * entry that is not a valid network fails loading with the file and line.
 *
 * Arguments: a file name.
 *
 * Example:
 *   SecRule REMOTE_ADDR "@ipMatchFromFile trusted-networks.txt" "id:1,phase:1,pass,nolog,ctl:ruleEngine=Off"
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RuleError } from '../errors.ts';
import { IpSet } from './ip-set.ts';
import type { OperatorFactory } from './types.ts';

export const ipMatchFromFile: OperatorFactory = (argument, context) => {
  const name = argument.trim();
  if (name === '') throw new RuleError('@ipMatchFromFile: missing file name', context.file, context.line);
  const path = resolve(context.baseDir, name);
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new RuleError(`@ipMatchFromFile: could not read "${path}": ${code}`, context.file, context.line);
  }
  const set = new IpSet();
  text.split('\n').forEach((line, index) => {
    const entry = /^[0-9a-fA-F.:/]*/.exec(line.replace(/^\s+/, ''))?.[0] ?? '';
    if (entry === '') return;
    try {
      set.add(entry);
    } catch (e) {
      throw new RuleError(`@ipMatchFromFile: ${path}:${index + 1}: ${(e as Error).message}`, context.file, context.line);
    }
  });
  return { match: (input) => set.has(input) };
};
