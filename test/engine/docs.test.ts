/**
 * Keeps docs/seclang-support.md honest: every directive, action, variable, operator
 * and transformation the engine registers is named there.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { it } from 'node:test';
import { actionNames } from '../../src/engine/actions/index.ts';
import { operators } from '../../src/engine/operators/index.ts';
import { directiveNames } from '../../src/engine/seclang/directives/index.ts';
import { transformations } from '../../src/engine/transformations/index.ts';
import { VARIABLES } from '../../src/engine/variables/index.ts';

const doc = readFileSync(resolve(import.meta.dirname, '../../docs/seclang-support.md'), 'utf8');
const lower = doc.toLowerCase();

function missing(names: readonly string[], prefix = ''): string[] {
  return names.filter((n) => !new RegExp(`(?:^|[^\\w@])${prefix}${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'i').test(lower));
}

it('documents every directive', () => assert.deepEqual(missing(directiveNames()), []));
it('documents every action', () => assert.deepEqual(missing(actionNames()), []));
it('documents every variable', () => assert.deepEqual(missing(Object.keys(VARIABLES)), []));
it('documents every operator', () => assert.deepEqual(missing(Object.keys(operators), '@'), []));
it('documents every transformation', () => assert.deepEqual(missing(Object.keys(transformations)), []));
