import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { absoluteAuthority, forwardPathOf, validConnectTarget, validHost } from './request-target.ts';

describe('request-target checks', () => {
  it('forwards origin-form and reduces absolute-form; refuses *, fragments and bad authorities', () => {
    assert.equal(forwardPathOf('/a?b'), '/a?b');
    assert.equal(forwardPathOf('http://h.example:8080/a?b'), '/a?b');
    assert.equal(forwardPathOf('HTTPS://h'), '/');
    assert.equal(forwardPathOf('/get/index.html:80?x'), '/get/index.html:80?x');
    assert.equal(forwardPathOf('/#fragment'), null);
    assert.equal(forwardPathOf('http://h/a#b'), null);
    assert.equal(forwardPathOf('http://h%00/a'), null);
    assert.equal(forwardPathOf('*'), null);
  });

  it('names the authority of absolute-form targets only', () => {
    assert.equal(absoluteAuthority('http://h.example:81/x'), 'h.example:81');
    assert.equal(absoluteAuthority('/x'), undefined);
  });

  it('accepts host names and IP literals with a port, nothing else', () => {
    for (const good of ['localhost', 'a.example.com:8080', 'my_host', '10.0.0.1', '[::1]:443', 'h:']) assert.ok(validHost(good), good);
    for (const bad of ['', 'localhost%00', 'localhost\x00', 'localhost\x1f', 'a b', 'a@b', 'a:8o', '[zz]', 'a/b']) assert.ok(!validHost(bad), JSON.stringify(bad));
  });

  it('wants host:port for CONNECT', () => {
    assert.ok(validConnectTarget('1.2.3.4:80'));
    assert.ok(!validConnectTarget('www.coreruleset.org'));
    assert.ok(!validConnectTarget('/x:80'));
  });
});
