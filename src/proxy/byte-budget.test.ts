import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ByteBudget } from './byte-budget.ts';

describe('ByteBudget', () => {
  it('takes what fits, all or part, and gives back', () => {
    const budget = new ByteBudget(100);
    assert.equal(budget.take(60), true);
    assert.equal(budget.take(50), false);
    assert.equal(budget.used, 60);
    assert.equal(budget.takeUpTo(50), 40);
    assert.equal(budget.takeUpTo(10), 0);
    budget.give(100);
    assert.equal(budget.used, 0);
    budget.give(5);
    assert.equal(budget.used, 0, 'never negative');
  });
});
