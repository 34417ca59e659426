/**
 * Loader behaviour that profiles cannot express: lexing details, Include (globs,
 * relative paths, recursion limit), lint output, and run-time operator errors.
 */
import { strict as assert } from 'node:assert';
import { globSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { RuleError } from '../../src/engine/errors.ts';
import { createWaf, lintRules, loadRuleset, RulesetError } from '../../src/engine/index.ts';
import type { Transaction } from '../../src/engine/index.ts';
import { lex } from '../../src/engine/seclang/lexer.ts';
import { splitActions } from '../../src/engine/seclang/rule-parser.ts';
import type { WafImpl } from '../../src/engine/waf.ts';
import { runRequest } from './harness.ts';

describe('lexer', () => {
  it('joins continuation lines, skips comments, unescapes \\" and \\\\ in quotes', () => {
    const errors: RuleError[] = [];
    const ds = lex('# c\nSecRule ARGS \\\n  "@rx a\\"b\\\\c\\d" \\\n  "id:1"\n  # indented comment\nSecMarker \'x y\'\n', 'f.conf', errors);
    assert.deepEqual(errors, []);
    assert.equal(ds.length, 2);
    assert.deepEqual(ds[0]?.args, ['ARGS', '@rx a"b\\c\\d', 'id:1']);
    assert.equal(ds[0]?.line, 2);
    assert.deepEqual(ds[1]?.args, ['x y']);
    assert.equal(ds[1]?.line, 6);
  });

  it('reports an unterminated quote with file:line', () => {
    const errors: RuleError[] = [];
    lex('SecRule ARGS "@rx a\n', 'f.conf', errors);
    assert.equal(errors[0]?.format(), 'f.conf:1: missing closing " quote');
  });

  it('splits actions as ModSecurity: quoted values, escapes, empty values', () => {
    assert.deepEqual(splitActions("id:1, msg:'it\\'s, ok',t:none,nolog,logdata:", 'f', 1), [
      { name: 'id', value: '1' },
      { name: 'msg', value: "it's, ok" },
      { name: 't', value: 'none' },
      { name: 'nolog', value: undefined },
      { name: 'logdata', value: undefined },
    ]);
    assert.throws(() => splitActions("msg:'a\\b'", 'f', 1), /invalid quoted pair/);
  });
});

describe('Include', () => {
  const dir = mkdtempSync(join(tmpdir(), 'picket-include-'));
  mkdirSync(join(dir, 'rules'));
  writeFileSync(join(dir, 'main.conf'), 'Include rules/*.conf\n');
  writeFileSync(join(dir, 'rules', 'a.conf'), 'SecAction "id:1,phase:1,pass,log"\n');
  writeFileSync(join(dir, 'rules', 'b.conf'), 'SecAction "id:2,phase:1,pass,log"\n');
  writeFileSync(join(dir, 'loop.conf'), 'Include loop.conf\n');

  it('expands globs relative to the including file', () => {
    const waf = createWaf([{ file: join(dir, 'main.conf') }]);
    assert.equal(waf.ruleCount, 2);
    assert.deepEqual(runRequest(waf, {}).matchedRules.map((m) => m.id), [1, 2]);
  });

  it('stops recursive includes with an error', () => {
    const { errors } = loadRuleset([{ file: join(dir, 'loop.conf') }]);
    assert.equal(errors.length, 1);
    assert.match(errors[0]?.format() ?? '', /loop\.conf:1: Include nested deeper than 16/);
  });

  it('reports a missing file', () => {
    const { errors } = loadRuleset([{ text: 'Include nothing-here.conf', name: 'x.conf' }], { baseDir: dir });
    assert.match(errors[0]?.format() ?? '', /^x\.conf:1: cannot read .*nothing-here\.conf/);
  });

  it('matches last-segment wildcards as fs.globSync does (dot files, directories, regex characters)', () => {
    // Patterns like rules/*.conf are matched against the directory listing, others by globSync: same files.
    const globs = mkdtempSync(join(tmpdir(), 'picket-glob-'));
    const names = ['a.conf', '.hidden.conf', 'b.conf.bak', 'x y.conf', 'c.CONF', 'd', 'f$.conf', 'g^.conf', '.conf', 'ab.conf', 'a.b.conf', 'h(1).conf'];
    names.forEach((name, i) => writeFileSync(join(globs, name), `SecAction "id:${i + 1},phase:1,pass,nolog"\n`));
    mkdirSync(join(globs, 'e.conf'));
    const patterns = ['*.conf', '*', '?.conf', '.*', '*.CONF', 'a*', '*f$*', '.*.conf', '*.conf*', '??.conf', 'a.*.conf', '[ab].conf', 'h(*'];
    let matched = 0;
    for (const pattern of patterns) {
      const expected = globSync(join(globs, pattern)).filter((f) => statSync(f).isFile()).map((f) => names.indexOf(basename(f)) + 1).sort((x, y) => x - y);
      const { waf, errors } = loadRuleset([{ text: `Include "${join(globs, pattern)}"`, name: 'glob.conf' }]);
      const ids = (waf.phases[1] ?? []).map((r) => r.id).sort((x, y) => x - y);
      assert.deepEqual(ids, expected, pattern);
      assert.equal(errors.length, expected.length === 0 ? 1 : 0, pattern);
      matched += ids.length;
    }
    assert.ok(matched > 20, `${matched} files matched in all`);
  });
});

describe('createWaf and lintRules', () => {
  it('createWaf throws every error at once', () => {
    const text = 'SecFoo 1\nSecRule ARGS "@rx x" "id:1,exec:/bin/true"\n';
    assert.throws(
      () => createWaf([{ text, name: 'r.conf' }]),
      (e: unknown) => e instanceof RulesetError && e.errors.length === 2 && e.format() === 'r.conf:1: unsupported directive SecFoo\nr.conf:2: unsupported action exec',
    );
  });

  it('lintRules lists unsupported constructs by kind', () => {
    const r = lintRules([{ text: 'SecFoo 1\nSecRule ARGS "@rx x" "id:1,t:bogus"\nSecRule ARGS "@rx x" "phase:1"', name: 'r.conf' }]);
    assert.deepEqual(r.unsupported, [
      { kind: 'directive', name: 'SecFoo', file: 'r.conf', line: 1 },
      { kind: 'transformation', name: 'bogus', file: 'r.conf', line: 2 },
    ]);
    assert.equal(r.errors.length, 3);
  });
});

describe('run-time errors', () => {
  it('records a throwing operator per rule and keeps evaluating', () => {
    const waf = createWaf([{ text: 'SecRule ARGS "@rx x" "id:1,phase:1,deny"\nSecAction "id:2,phase:1,pass,log"', name: 'r.conf' }]) as WafImpl;
    const rule = waf.phases[1]?.[0];
    assert.ok(rule);
    rule.operator = {
      match() {
        throw new Error('boom');
      },
    };
    const tx: Transaction = runRequest(waf, { uri: '/?a=x' });
    assert.deepEqual(tx.matchedRules.map((m) => m.id), [2]);
    assert.equal(tx.interruption, null);
    // Through the public Transaction contract, as the proxy reads them.
    assert.deepEqual(tx.errors, [{ ruleId: 1, file: 'r.conf', line: 1, message: 'boom' }]);
  });
});

describe('regex limits', () => {
  it('an operator that reports a PCRE limit sets MSC_PCRE_LIMITS_EXCEEDED', () => {
    const waf = createWaf([
      { text: 'SecRule ARGS "@rx x" "id:1,phase:1,pass"\nSecRule MSC_PCRE_LIMITS_EXCEEDED "@eq 1" "id:2,phase:1,pass,log"', name: 'r.conf' },
    ]) as WafImpl;
    const rule = waf.phases[1]?.[0];
    assert.ok(rule);
    rule.operator = {
      match(_input, state) {
        state.pcreLimitExceeded?.();
        return false;
      },
    };
    assert.deepEqual(runRequest(waf, { uri: '/?a=x' }).matchedRules.map((m) => m.id), [2]);
    assert.deepEqual(runRequest(waf, { uri: '/' }).matchedRules.map((m) => m.id), []);
  });
});

describe('lifecycle guards', () => {
  const waf = createWaf([{ text: 'SecAction "id:1,phase:1,pass,log"\nSecAction "id:2,phase:2,pass,log"\nSecAction "id:3,phase:3,pass,log"', name: 'r.conf' }]);

  it('runs skipped earlier phases first, each phase once', () => {
    const tx = waf.newTransaction('t');
    tx.processConnection('127.0.0.1', 1, '127.0.0.1', 80);
    tx.processUri('/', 'GET', 'HTTP/1.1');
    tx.processResponseHeaders(200, 'HTTP/1.1');
    tx.processRequestHeaders();
    tx.processResponseHeaders(200, 'HTTP/1.1');
    assert.deepEqual(tx.matchedRules.map((m) => m.id), [1, 2, 3]);
  });
});

describe('responseBodyAccess', () => {
  const rules = 'SecResponseBodyAccess On\nSecResponseBodyMimeType text/html application/json\nSecRule RESPONSE_HEADERS:X-Off "@streq 1" "id:1,phase:3,pass,nolog,ctl:responseBodyAccess=Off"';
  const waf = createWaf([{ text: rules, name: 'r.conf' }]);
  const begin = (): Transaction => {
    const tx = waf.newTransaction('t');
    tx.processConnection('127.0.0.1', 1, '127.0.0.1', 80);
    tx.processUri('/', 'GET', 'HTTP/1.1');
    return tx;
  };

  it('follows the Content-Type (type only, any case, parameters ignored), as often as it is asked', () => {
    const tx = begin();
    assert.equal(tx.responseBodyAccess, false, 'no Content-Type yet');
    tx.addResponseHeader('Content-Type', 'Application/JSON; charset=utf-8');
    assert.equal(tx.responseBodyAccess, true, 'a header added after the first answer counts');
    tx.processResponseHeaders(200, 'HTTP/1.1');
    assert.equal(tx.responseBodyAccess, true);
    const image = begin();
    image.addResponseHeader('Content-Type', 'image/png');
    image.processResponseHeaders(200, 'HTTP/1.1');
    assert.equal(image.responseBodyAccess, false);
  });

  it('ctl:responseBodyAccess=Off in phase 3 turns it off after it was asked', () => {
    const tx = begin();
    tx.addResponseHeader('Content-Type', 'text/html');
    assert.equal(tx.responseBodyAccess, true);
    tx.addResponseHeader('X-Off', '1');
    tx.processResponseHeaders(200, 'HTTP/1.1');
    assert.equal(tx.responseBodyAccess, false);
  });
});
