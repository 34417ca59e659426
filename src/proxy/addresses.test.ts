import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressSet, clientFromForwarded, normalizeAddress } from './addresses.ts';

describe('addressSet', () => {
  const set = addressSet(['10.0.0.0/8', '192.168.1.5', 'fd00::/8']);
  it('matches addresses and CIDRs of both families', () => {
    assert.equal(set.has('10.20.30.40'), true);
    assert.equal(set.has('11.0.0.1'), false);
    assert.equal(set.has('192.168.1.5'), true);
    assert.equal(set.has('192.168.1.6'), false);
    assert.equal(set.has('fd12::1'), true);
    assert.equal(set.has('::ffff:10.1.1.1'), true, 'IPv4-mapped IPv6 peers match IPv4 rules');
    assert.equal(set.has('garbage'), false);
  });
  it('rejects malformed entries', () => {
    assert.throws(() => addressSet(['10.0.0.0/33']), /prefix/);
    assert.throws(() => addressSet(['example.com']), /not an IP/);
  });
  it('an empty set matches nothing', () => {
    assert.equal(addressSet([]).has('127.0.0.1'), false);
  });
});

describe('clientFromForwarded', () => {
  const trusted = addressSet(['10.0.0.0/8']);
  it('walks from the right past trusted proxies', () => {
    assert.equal(clientFromForwarded('203.0.113.9, 10.0.0.5, 10.0.0.6', trusted), '203.0.113.9');
    assert.equal(clientFromForwarded('6.6.6.6, 203.0.113.9, 10.0.0.5', trusted), '203.0.113.9', 'a spoofed left entry is ignored');
  });
  it('accepts ports and brackets, rejects junk', () => {
    assert.equal(clientFromForwarded('[2001:db8::1]:443', trusted), '2001:db8::1');
    assert.equal(clientFromForwarded('198.51.100.1:5555', trusted), '198.51.100.1');
    assert.equal(clientFromForwarded('unknown', trusted), undefined);
    assert.equal(clientFromForwarded(undefined, trusted), undefined);
  });
  it('returns the leftmost trusted hop when every hop is trusted', () => {
    assert.equal(clientFromForwarded('10.0.0.1, 10.0.0.2', trusted), '10.0.0.1');
  });
  it('normalizes mapped addresses', () => {
    assert.equal(normalizeAddress('::ffff:127.0.0.1'), '127.0.0.1');
    assert.equal(normalizeAddress('::1'), '::1');
  });
});
