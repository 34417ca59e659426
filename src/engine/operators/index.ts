/**
 * The operator registry: every `@name` picket implements, looked up
 * case-insensitively as ModSecurity does. A rule without an operator uses @rx.
 * Unknown names are reported by the rule parser as unsupported.
 */
import { beginsWith } from './begins-with.ts';
import { contains } from './contains.ts';
import { containsWord } from './contains-word.ts';
import { detectSqli } from './detect-sqli.ts';
import { detectXss } from './detect-xss.ts';
import { endsWith } from './ends-with.ts';
import { eq } from './eq.ts';
import { ge } from './ge.ts';
import { gt } from './gt.ts';
import { ipMatch } from './ip-match.ts';
import { ipMatchFromFile } from './ip-match-from-file.ts';
import { le } from './le.ts';
import { lt } from './lt.ts';
import { noMatch } from './no-match.ts';
import { pm } from './pm.ts';
import { pmFromFile } from './pm-from-file.ts';
import { rx } from './rx.ts';
import { streq } from './streq.ts';
import { strmatch } from './strmatch.ts';
import type { OperatorFactory } from './types.ts';
import { unconditionalMatch } from './unconditional-match.ts';
import { validateByteRange } from './validate-byte-range.ts';
import { validateUrlEncoding } from './validate-url-encoding.ts';
import { validateUtf8Encoding } from './validate-utf8-encoding.ts';
import { within } from './within.ts';

/** SecLang name → factory, alphabetical. `pmf` and `ipMatchF` are ModSecurity's short aliases. */
export const operators: Readonly<Record<string, OperatorFactory>> = {
  beginsWith,
  contains,
  containsWord,
  detectSQLi: detectSqli,
  detectXSS: detectXss,
  endsWith,
  eq,
  ge,
  gt,
  ipMatch,
  ipMatchF: ipMatchFromFile,
  ipMatchFromFile,
  le,
  lt,
  noMatch,
  pm,
  pmf: pmFromFile,
  pmFromFile,
  rx,
  streq,
  strmatch,
  unconditionalMatch,
  validateByteRange,
  validateUrlEncoding,
  validateUtf8Encoding,
  within,
};

const byLowerName = new Map(Object.entries(operators).map(([name, factory]) => [name.toLowerCase(), factory]));

/** The operator factory called `name` (any case), or undefined when picket has none. */
export function getOperator(name: string): OperatorFactory | undefined {
  return byLowerName.get(name.toLowerCase());
}
