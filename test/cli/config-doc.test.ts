/** docs/configuration.md documents every option's flag, environment variable, YAML key and default. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { OPTIONS } from '../../src/config/schema.ts';
import { RUN_HELP } from '../../src/cli/run.ts';
import { ROOT } from './helpers.ts';

const doc = readFileSync(`${ROOT}docs/configuration.md`, 'utf8');
const rows = doc.split('\n').filter((line) => line.startsWith('| `--'));

test('one table row per option with flag, env, key and default', () => {
  for (const option of OPTIONS) {
    const row = rows.find((r) => r.startsWith(`| \`--${option.flag}\``) || r.startsWith(`| \`--${option.flag} `));
    assert.ok(row, `--${option.flag} has no row in docs/configuration.md`);
    assert.ok(row.includes(`\`${option.env}\``), `${option.env} missing from the --${option.flag} row`);
    assert.ok(row.includes(`\`${option.key}\``), `${option.key} missing from the --${option.flag} row`);
    assert.ok(row.includes(`| ${option.shownDefault} |`), `default ${option.shownDefault} missing from the --${option.flag} row`);
  }
  assert.equal(rows.length, OPTIONS.length, 'no rows for options that do not exist');
});

test('run --help lists every flag', () => {
  for (const option of OPTIONS) assert.ok(RUN_HELP.includes(`--${option.flag}`), `--${option.flag} missing from run --help`);
});
