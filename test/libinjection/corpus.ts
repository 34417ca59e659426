/** Rows of ../shared/libinjection/expected.tsv: the C library's verdicts on the corpus. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR } from './vectors.ts';

export interface ExpectedRow {
  readonly file: string;
  readonly line: number;
  /** The input as a byte string (latin1). */
  readonly input: string;
  readonly isSqli: boolean;
  readonly fingerprint: string;
  readonly isXss: boolean;
}

export function readExpected(): ExpectedRow[] {
  const text = readFileSync(join(DATA_DIR, 'expected.tsv'), 'latin1');
  const rows: ExpectedRow[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const [file, lineNo, hex, isSqli, fingerprint, isXss] = line.split('\t');
    if (file === undefined || hex === undefined || isXss === undefined) {
      throw new Error(`expected.tsv: malformed row ${JSON.stringify(line.slice(0, 80))}`);
    }
    rows.push({
      file,
      line: Number(lineNo),
      input: Buffer.from(hex, 'hex').toString('latin1'),
      isSqli: isSqli === '1',
      fingerprint: fingerprint ?? '',
      isXss: isXss === '1',
    });
  }
  return rows;
}
