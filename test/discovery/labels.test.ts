import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseServiceLabels } from '../../src/discovery/swarm/labels.ts';

const P = 'picket.';

describe('parseServiceLabels', () => {
  it('gives defaults when no label is set', () => {
    assert.deepEqual(parseServiceLabels(undefined, P), {
      ok: true,
      labels: { enable: false, port: 80, hosts: [], pathPrefix: '/', waf: {} },
    });
  });

  it('reads every label', () => {
    const result = parseServiceLabels(
      {
        'picket.enable': 'TRUE',
        'picket.port': '8080',
        'picket.host': 'Shop.Example.com, api.example.com,shop.example.com',
        'picket.path': '/api',
        'picket.mode': 'detect',
        'picket.paranoia': '3',
        'picket.rules': '/etc/picket/extra.conf,/etc/picket/more.conf',
        'picket.exclude': '942100, 920350,942100',
        'com.docker.stack.namespace': 'shop',
        'traefik.enable': 'whatever',
      },
      P,
    );
    assert.deepEqual(result, {
      ok: true,
      labels: {
        enable: true,
        port: 8080,
        hosts: ['shop.example.com', 'api.example.com'],
        pathPrefix: '/api',
        waf: {
          mode: 'detect',
          paranoiaLevel: 3,
          extraRules: ['/etc/picket/extra.conf', '/etc/picket/more.conf'],
          removeRuleIds: [942100, 920350],
        },
      },
    });
  });

  it('accepts wildcard hosts the route table matches', () => {
    const result = parseServiceLabels({ 'picket.host': '*.Example.com,example.com' }, P);
    assert.deepEqual(result.ok && result.labels.hosts, ['*.example.com', 'example.com']);
  });

  it('honours another prefix and ignores picket.* then', () => {
    const result = parseServiceLabels({ 'waf.port': '9000', 'picket.port': 'nonsense' }, 'waf.');
    assert.equal(result.ok && result.labels.port, 9000);
  });

  const invalid: [string, string, RegExp][] = [
    ['picket.enable', 'yes please', /true or false/],
    ['picket.port', '0', /1 to 65535/],
    ['picket.port', '70000', /1 to 65535/],
    ['picket.port', '80a', /integer/],
    ['picket.host', 'shop.example.com:8080', /not a host name/],
    ['picket.host', '*.com', /not a host name/],
    ['picket.host', 'a.*.example.com', /not a host name/],
    ['picket.host', 'https://example.com', /not a host name/],
    ['picket.host', 'a.example.com,', /empty items/],
    ['picket.path', 'api', /starting with '\/'/],
    ['picket.path', '/a b', /no spaces/],
    ['picket.path', '/a?x=1', /query/],
    ['picket.mode', 'block', /inline, detect, mirror/],
    ['picket.paranoia', '5', /1 to 4/],
    ['picket.rules', 'relative.conf', /absolute path/],
    ['picket.rules', '/etc/../root/x.conf', /without '\.\.'/],
    ['picket.exclude', '942100,abc', /'abc' is not a rule id/],
    ['picket.exlude', '942100', /unknown label/],
  ];
  for (const [label, value, reason] of invalid) {
    it(`rejects ${label}=${value}`, () => {
      const result = parseServiceLabels({ [label]: value, 'picket.port': label === 'picket.port' ? value : '8080' }, P);
      assert.equal(result.ok, false);
      if (result.ok) return;
      const error = result.errors.find((e) => e.label === label);
      assert.ok(error, `an error names ${label}`);
      assert.equal(error.value, value);
      assert.match(error.reason, reason);
    });
  }

  it('reports every invalid label, not only the first', () => {
    const result = parseServiceLabels({ 'picket.port': 'x', 'picket.mode': 'y', 'picket.host': 'ok.example' }, P);
    assert.equal(result.ok, false);
    assert.deepEqual(result.ok ? [] : result.errors.map((e) => e.label).sort(), ['picket.mode', 'picket.port']);
  });
});
