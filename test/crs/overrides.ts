/**
 * test/crs/overrides.yaml: tests that cannot pass for reasons outside the
 * engine, in the format of CRS's own tests/*-overrides.yaml (go-ftw platform
 * overrides). An entry's `output` replaces the expected output of the listed
 * tests (all tests of the rule when test_ids is empty; all stages unless
 * stage_ids is given), as go-ftw does; an entry without output leaves
 * nothing to check. Every entry must give a reason.
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { FtwTest, StageOutput } from './ftw-types.ts';
import { loadOutput } from './load.ts';

export interface Override {
  readonly ruleId: number;
  readonly testIds: readonly number[];
  readonly stageIds: readonly number[];
  readonly reason: string;
  readonly output: StageOutput;
}

function ints(value: unknown, where: string): number[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`${where}: expected a list of numbers`);
  return value.map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n)) throw new Error(`${where}: ${String(v)} is not a number`);
    return n;
  });
}

export function loadOverrides(path: string): Override[] {
  const doc = parseDocument(readFileSync(path, 'utf8'), { schema: 'failsafe' });
  if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0]?.message}`);
  const top = doc.toJS() as { test_overrides?: unknown } | null;
  const list = top?.test_overrides;
  if (list === undefined || list === null || (typeof list === 'string' && list === '')) return [];
  if (!Array.isArray(list)) throw new Error(`${path}: test_overrides must be a list`);
  return list.map((raw: Record<string, unknown>, i: number) => {
    const where = `${path}: test_overrides[${i}]`;
    const ruleId = Number(raw['rule_id']);
    if (!Number.isInteger(ruleId) || ruleId <= 0) throw new Error(`${where}: rule_id is required`);
    const reason = typeof raw['reason'] === 'string' ? raw['reason'].trim() : '';
    if (!reason) throw new Error(`${where}: every override needs a reason`);
    // Re-read the output with the suite's loader so both accept the same fields.
    const outputNode = doc.getIn(['test_overrides', i, 'output'], true);
    const output = outputNode ? loadOutputNode(outputNode, where) : {};
    return { ruleId, testIds: ints(raw['test_ids'], where), stageIds: ints(raw['stage_ids'], where), reason, output };
  });
}

function loadOutputNode(node: unknown, where: string): StageOutput {
  const value = (node as { toJSON(): unknown }).toJSON() as Record<string, unknown>;
  const stringify = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(stringify) : v !== null && typeof v === 'object'
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, stringify(x)]))
      : v === null || v === undefined ? null : String(v);
  return loadOutput(stringify(value) as Parameters<typeof loadOutput>[0], where);
}

export interface OverriddenTest {
  readonly test: FtwTest;
  readonly override: Override | null;
}

/** Applies overrides: the matching stages get the override's output. */
export function applyOverrides(tests: readonly FtwTest[], overrides: readonly Override[]): OverriddenTest[] {
  return tests.map((test) => {
    const override = overrides.find(
      (o) => o.ruleId === test.ruleId && (o.testIds.length === 0 || o.testIds.includes(test.testId)),
    );
    if (!override) return { test, override: null };
    const stages = test.stages.map((stage, index) =>
      override.stageIds.length === 0 || override.stageIds.includes(index) ? { ...stage, output: override.output } : stage,
    );
    return { test: { ...test, stages }, override };
  });
}
