import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Route } from '../discovery/types.ts';
import { selectMode } from './index.ts';

const route = (mode?: Route['waf']['mode']): Route => ({ service: 's', hosts: [], pathPrefix: '/', endpoints: [], waf: mode ? { mode } : {} });

describe('selectMode', () => {
  it('uses the global mode without a route option', () => {
    assert.equal(selectMode('inline', undefined).name, 'inline');
    assert.equal(selectMode('detect', route()).name, 'detect');
    assert.equal(selectMode('mirror', route()).name, 'mirror');
  });
  it('lets a route choose inline or detect in the request path', () => {
    assert.equal(selectMode('inline', route('detect')).name, 'detect');
    assert.equal(selectMode('detect', route('inline')).name, 'inline');
  });
  it('runs a route asking for mirror as detect when in the path, and keeps mirror receivers mirror', () => {
    assert.equal(selectMode('inline', route('mirror')).name, 'detect');
    assert.equal(selectMode('mirror', route('inline')).name, 'mirror');
  });
});
