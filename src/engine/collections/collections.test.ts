import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { MapCollection } from './map-collection.ts';
import { MatchedCollection } from './matched-collection.ts';
import type { Collection } from './types.ts';
import { VarCollection } from './var-collection.ts';

const pairs = (c: Collection): [string, string][] => c.all().map((e) => [e.key, e.value]);

describe('MapCollection', () => {
  it('is empty and allocates no index before the first add', () => {
    const c = new MapCollection('ARGS');
    assert.equal(c.size, 0);
    assert.deepEqual(c.get('x'), []);
    assert.equal(c.first('x'), undefined);
    c.add('X', '1');
    assert.equal(c.first('x'), '1');
  });

  it('keeps the index up to date with adds after a keyed read', () => {
    const c = new MapCollection('ARGS');
    c.add('a', '1');
    assert.equal(c.getLower('a').length, 1);
    c.add('A', '2');
    c.add('b', '3');
    assert.deepEqual(c.get('A').map((e) => e.value), ['1', '2']);
    assert.equal(c.first('B'), '3');
    assert.deepEqual(pairs(c), [['a', '1'], ['A', '2'], ['b', '3']]);
  });

  it('shares an entry with addEntry (ARGS and ARGS_GET)', () => {
    const get = new MapCollection('ARGS_GET');
    const args = new MapCollection('ARGS');
    const e = get.add('q', 'x');
    args.addEntry(e);
    assert.equal(args.all()[0], get.all()[0]);
    assert.equal(args.first('Q'), 'x');
  });

  it('addOrAppend merges repeated keys (any case) into the first, in place', () => {
    const c = new MapCollection('REQUEST_HEADERS');
    c.addOrAppend('Accept', 'a', ', ');
    c.addOrAppend('Host', 'h', ', ');
    const before = c.all()[0];
    c.addOrAppend('ACCEPT', 'b', ', ');
    c.addOrAppend('accept', 'c', ', ');
    assert.deepEqual(pairs(c), [['Accept', 'a, b, c'], ['Host', 'h']]);
    assert.notEqual(c.all()[0], before, 'a merged value is a new entry (its cache record belongs to the value)');
    assert.equal(before?.value, 'a');
    assert.deepEqual(c.get('accept').map((e) => e.value), ['a, b, c']);
  });

  it('set and remove work on every case of a key; clear empties', () => {
    const c = new MapCollection('X');
    c.add('k', '1');
    c.add('K', '2');
    c.add('j', '3');
    c.set('K', '4');
    assert.deepEqual(pairs(c), [['j', '3'], ['K', '4']]);
    c.remove('J');
    assert.deepEqual(pairs(c), [['K', '4']]);
    assert.equal(c.first('j'), undefined);
    c.clear();
    assert.equal(c.size, 0);
    assert.deepEqual(c.get('k'), []);
  });
});

describe('MatchedCollection', () => {
  it('reads back what was added, by key in any case', () => {
    const c = new MatchedCollection('MATCHED_VARS');
    c.add('ARGS:a', '1');
    c.add('ARGS:A', '2');
    assert.equal(c.size, 2);
    assert.deepEqual(pairs(c), [['ARGS:a', '1'], ['ARGS:A', '2']]);
    assert.deepEqual(c.get('args:a').map((e) => e.value), ['1', '2']);
    assert.equal(c.first('ARGS:A'), '1');
  });

  it('forgets everything on clear, though it reuses its slots', () => {
    const c = new MatchedCollection('MATCHED_VARS');
    c.add('a', '1');
    c.add('b', '2');
    c.add('c', '3');
    const old = c.all();
    c.clear();
    assert.equal(c.size, 0);
    assert.deepEqual(c.all(), []);
    assert.deepEqual(c.get('a'), []);
    assert.equal(c.first('b'), undefined);
    c.add('d', '4');
    assert.deepEqual(pairs(c), [['d', '4']]);
    assert.equal(c.first('c'), undefined, 'a stale slot is not read');
    assert.deepEqual(old.map((e) => e.key), ['a', 'b', 'c'], 'an array read before clear is not changed by it');
  });

  it('adds after a read reach the entries and the index', () => {
    const c = new MatchedCollection('MATCHED_VARS');
    c.add('x', '1');
    assert.equal(c.get('x').length, 1);
    c.add('X', '2');
    c.add('y', '3');
    assert.deepEqual(c.get('x').map((e) => e.value), ['1', '2']);
    assert.deepEqual(pairs(c), [['x', '1'], ['X', '2'], ['y', '3']]);
  });
});

describe('VarCollection', () => {
  it('keeps the case of the first write and the insertion order', () => {
    const c = new VarCollection('TX');
    c.set('Score', '1');
    c.set('other', 'x');
    c.set('SCORE', '2');
    assert.deepEqual(pairs(c), [['Score', '2'], ['other', 'x']]);
    assert.equal(c.value('score'), '2');
    assert.equal(c.size, 2);
  });

  it('writing the same value changes nothing; a new value is a new entry in the same place', () => {
    const c = new VarCollection('TX');
    c.set('a', '1');
    c.set('b', '2');
    const list = c.all();
    const a = c.getLower('a');
    c.set('A', '1');
    assert.equal(c.getLower('a'), a, 'same value: same entry');
    c.set('a', '3');
    assert.notEqual(c.getLower('a')[0], a[0]);
    assert.equal(a[0]?.value, '1', 'an entry read before the change keeps its value');
    assert.equal(c.all(), list, 'the list is updated in place');
    assert.deepEqual(pairs(c), [['a', '3'], ['b', '2']]);
    c.set('c', '4');
    assert.deepEqual(pairs(c), [['a', '3'], ['b', '2'], ['c', '4']]);
  });

  it('a removed key written again goes last', () => {
    const c = new VarCollection('TX');
    c.set('a', '1');
    c.set('b', '2');
    c.all();
    c.remove('A');
    assert.equal(c.value('a'), undefined);
    assert.deepEqual(c.get('a'), []);
    c.set('a', '5');
    assert.deepEqual(pairs(c), [['b', '2'], ['a', '5']]);
  });

  it('is empty before any write', () => {
    const c = new VarCollection('IP');
    assert.equal(c.size, 0);
    assert.deepEqual(c.all(), []);
    assert.equal(c.first('x'), undefined);
    c.remove('x');
    assert.equal(c.size, 0);
  });
});

describe('MapCollection.addEntries', () => {
  it('appends in order, keeps the index current, and copies unless told to adopt', () => {
    const c = new MapCollection('ARGS');
    const first = [{ key: 'a', value: '1', cached: null }];
    c.addEntries(first);
    first.push({ key: 'z', value: '9', cached: null });
    assert.equal(c.size, 1, 'a copied list does not follow the caller');
    assert.equal(c.first('A'), '1');
    c.addEntries([{ key: 'A', value: '2', cached: null }, { key: 'b', value: '3', cached: null }]);
    assert.deepEqual(c.get('a').map((e) => e.value), ['1', '2']);
    assert.deepEqual(pairs(c), [['a', '1'], ['A', '2'], ['b', '3']]);
    const owned = [{ key: 'x', value: '1', cached: null }];
    const d = new MapCollection('ARGS_NAMES');
    d.addEntries(owned, true);
    assert.equal(d.all(), owned);
    d.addEntries([]);
    assert.equal(d.size, 1);
  });
});

describe('names (X_NAMES)', () => {
  it('lists keys as key and value, and follows adds, removes and clears', () => {
    const c = new MapCollection('ARGS');
    c.add('a', '1');
    const first = c.names('ARGS_NAMES');
    assert.deepEqual(pairs(first), [['a', 'a']]);
    assert.equal(c.names('ARGS_NAMES'), first, 'kept while unchanged');
    c.addOrAppend('A', '2', ', ');
    assert.equal(c.names('ARGS_NAMES'), first, 'a merged value changes no key');
    c.add('b', '3');
    assert.deepEqual(pairs(c.names('ARGS_NAMES')), [['a', 'a'], ['b', 'b']]);
    c.remove('a');
    assert.deepEqual(pairs(c.names('ARGS_NAMES')), [['b', 'b']]);
    c.clear();
    assert.deepEqual(pairs(c.names('ARGS_NAMES')), []);
  });

  it('MATCHED_VARS_NAMES follows clear() and adds with the same count', () => {
    const m = new MatchedCollection('MATCHED_VARS');
    m.add('ARGS:x', '1');
    assert.deepEqual(pairs(m.names('MATCHED_VARS_NAMES')), [['ARGS:x', 'ARGS:x']]);
    m.clear();
    m.add('ARGS:y', '1');
    assert.deepEqual(pairs(m.names('MATCHED_VARS_NAMES')), [['ARGS:y', 'ARGS:y']]);
  });
});

describe('keyed lookups with keys in any case', () => {
  it('VarCollection finds lower- and mixed-case keys, and setLower keeps the written case', () => {
    const c = new VarCollection('TX');
    c.setLower('Mixed_Key', 'mixed_key', '1');
    assert.equal(c.value('mixed_key'), '1');
    assert.equal(c.value('MIXED_KEY'), '1');
    assert.deepEqual(c.get('Mixed_Key').map((e) => e.value), ['1']);
    c.set('MIXED_key', '2');
    assert.deepEqual(pairs(c), [['Mixed_Key', '2']]);
    c.set('mixed_key', '3');
    assert.deepEqual(pairs(c), [['Mixed_Key', '3']]);
    assert.equal(c.value('other'), undefined);
    assert.deepEqual(c.get('OTHER'), []);
  });

  it('MapCollection finds lower- and mixed-case keys', () => {
    const c = new MapCollection('REQUEST_HEADERS');
    c.add('Content-Type', 'a');
    assert.equal(c.first('content-type'), 'a');
    assert.equal(c.first('CONTENT-TYPE'), 'a');
    assert.equal(c.first('Content-Type'), 'a');
    assert.equal(c.first('content-length'), undefined);
  });
});
