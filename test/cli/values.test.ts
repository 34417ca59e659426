import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBytes, parseCidr, parseDuration, parseListen, parseOrigin } from '../../src/config/values.ts';
import { closest } from '../../src/config/suggest.ts';

test('sizes', () => {
  assert.equal(parseBytes('131072'), 131_072);
  assert.equal(parseBytes('128KiB'), 131_072);
  assert.equal(parseBytes('12.5MiB'), 13_107_200);
  assert.equal(parseBytes(2048), 2048);
  assert.throws(() => parseBytes('12 parsecs'), /must be a size/);
  assert.throws(() => parseBytes('0', 1), /between 1 and/);
});

test('durations', () => {
  assert.equal(parseDuration('250'), 250);
  assert.equal(parseDuration('2m'), 120_000);
  assert.equal(parseDuration('1.5s'), 1500);
  assert.throws(() => parseDuration('soon'), /must be a duration/);
});

test('listen addresses', () => {
  assert.deepEqual(parseListen('127.0.0.1:0'), { host: '127.0.0.1', port: 0 });
  assert.deepEqual(parseListen(':9090'), { host: '0.0.0.0', port: 9090 });
  assert.deepEqual(parseListen('[::1]:8080'), { host: '::1', port: 8080 });
  assert.throws(() => parseListen('localhost:70000'), /port must be 0-65535/);
  assert.deepEqual(parseListen('8080'), { host: '0.0.0.0', port: 8080 });
  assert.deepEqual(parseListen(8081), { host: '0.0.0.0', port: 8081 });
  assert.throws(() => parseListen('localhost'), /must be host:port/);
});

test('origins and CIDRs', () => {
  assert.equal(parseOrigin('http://app:3000/'), 'http://app:3000');
  assert.throws(() => parseOrigin('http://app:3000/api'), /without path/);
  assert.throws(() => parseOrigin('http://u:p@app'), /credentials/);
  assert.equal(parseCidr('10.0.0.0/8'), '10.0.0.0/8');
  assert.equal(parseCidr('fd00::/8'), 'fd00::/8');
  assert.throws(() => parseCidr('10.0.0.0/33'), /prefix length must be 0-32/);
  assert.throws(() => parseCidr('example.com'), /must be an IP address or CIDR/);
});

test('suggestions only for near misses', () => {
  assert.equal(closest('paranioa', ['paranoia', 'mode']), 'paranoia');
  assert.equal(closest('zzzz', ['paranoia', 'mode']), undefined);
});
