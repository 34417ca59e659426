import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizePath } from './normalize-path.ts';
import { normalizePathWin } from './normalize-path-win.ts';

const cases: Array<[string, string, string]> = [
  ['empty', '', ''],
  ['already normal', '/foo/bar/baz', '/foo/bar/baz'],
  ['single dot', '.', ''],
  ['dot slash', './', ''],
  ['relative back reference kept', '..', '..'],
  ['relative back reference with slash kept', '../', '../'],
  ['dot before back reference', './..', '..'],
  ['self reference after back reference', '../.', '..'],
  ['double slashes collapse', '/foo//bar///baz', '/foo/bar/baz'],
  ['self references removed', '/foo/./bar/.', '/foo/bar'],
  ['back reference removes a segment', '/foo/bar/../baz', '/foo/baz'],
  ['cannot go above root', '/../../etc/passwd', '/etc/passwd'],
  ['relative path keeps unresolvable ..', '../../etc/passwd', '../../etc/passwd'],
  ['relative segment then back references', 'a/../../b', '../b'],
  ['trailing slash kept when present', '/foo/bar/', '/foo/bar/'],
  ['back reference to the root, no trailing slash: empty (v2)', '/foo/..', ''],
  ['back reference to the root with trailing slash', '/foo/../', '/'],
  ['leading slashes of a relative path', 'foo//', 'foo/'],
  ['backslash is not a separator', '\\foo\\..\\bar', '\\foo\\..\\bar'],
  ['a segment ending in .. counts as a back reference (v2)', '/a./b../.c', '/a./.c'],
  ['dots inside names are kept', '/a.b/c.d', '/a.b/c.d'],
];

for (const [name, input, expected] of cases) {
  test(`normalizePath: ${name}`, () => {
    assert.equal(normalizePath(input), expected);
  });
}

test('normalizePathWin converts backslashes first', () => {
  assert.equal(normalizePathWin('\\foo\\..\\bar'), '/bar');
  assert.equal(normalizePathWin('c:\\windows\\.\\system32\\\\drivers'), 'c:/windows/system32/drivers');
  assert.equal(normalizePathWin('..\\..\\boot.ini'), '../../boot.ini');
});
