/**
 * `@pmFromFile` (alias `@pmf`)
 *
 * Description: Like @pm, with the phrases read from files: one phrase per
 * line, leading and trailing whitespace trimmed, blank lines and lines starting
 * with `#` skipped. Paths are relative to the directory of the rule file; several
 * files may be given, separated by spaces. Lines use @pm's phrase syntax
 * (`|HH|`, `\` escapes). As in ModSecurity v2, a phrase of a single byte is
 * skipped (its trimming leaves it looking empty). A file is read and compiled
 * once and shared by rules naming it; an edited file (new size or mtime) is
 * read again on the next load.
 *
 * Arguments: file names separated by whitespace.
 *
 * Example:
 *   SecRule REQUEST_FILENAME "@pmFromFile restricted-files.data" "id:930130,phase:1,t:none,t:lowercase,block"
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { RuleError } from '../errors.ts';
import { isSpace } from '../transformations/bytes.ts';
import { AhoCorasick } from './aho-corasick.ts';
import { parsePmContent } from './pm-content.ts';
import { phraseOperator, splitPhrases } from './pm.ts';
import type { OperatorFactory } from './types.ts';

/** Phrases of one file, as ModSecurity v2 reads them. */
export function phrasesFromText(text: string): string[] {
  const phrases: string[] = [];
  for (let from = 0; from < text.length; ) {
    const nl = text.indexOf('\n', from);
    const to = nl === -1 ? text.length : nl + 1;
    // Each line keeps its newline, as v2 hands it to parse_pm_content.
    const processed = parsePmContent(text.slice(from, to));
    from = to;
    let start = 0;
    let end = processed.length;
    while (start < end && isSpace(processed.charCodeAt(start))) start++;
    // v2 walks back from the last byte and needs end > start to keep one byte: a lone byte is dropped.
    let last = end - 1;
    while (last > start && isSpace(processed.charCodeAt(last))) last--;
    end = last > start ? last + 1 : start;
    if (end === start || processed[start] === '#') continue;
    phrases.push(processed.slice(start, end));
  }
  return phrases;
}

/** Compiled automata by file list and version (path, size, mtime), shared across rules and reloads. */
const automata = new Map<string, AhoCorasick>();

function fileVersion(path: string): string {
  const st = statSync(path);
  return `${path}\0${st.size}\0${st.mtimeMs}`;
}

export const pmFromFile: OperatorFactory = (argument, context) => {
  const files = splitPhrases(argument);
  if (files.length === 0) throw new RuleError('@pmFromFile: missing file name', context.file, context.line);
  const paths = files.map((f) => resolve(context.baseDir, f));
  const fail = (path: string, e: unknown): never => {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new RuleError(`@pmFromFile: could not read phrase file "${path}": ${code}`, context.file, context.line);
  };
  const key = paths.map((path) => {
    try {
      return fileVersion(path);
    } catch (e) {
      return fail(path, e);
    }
  }).join('\n');
  let automaton = automata.get(key);
  if (!automaton) {
    const phrases: string[] = [];
    for (const path of paths) {
      try {
        phrases.push(...phrasesFromText(readFileSync(path, 'latin1')));
      } catch (e) {
        fail(path, e);
      }
    }
    automaton = new AhoCorasick(phrases);
    automata.set(key, automaton);
  }
  return phraseOperator(automaton);
};
