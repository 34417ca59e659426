/**
 * Access to the operator registry (operators/index.ts, `getOperator(name)`).
 * Loaded once at module start; when the registry module is missing every
 * operator is reported as unsupported rather than crashing the loader.
 */
import type { OperatorFactory } from '../operators/types.ts';

type Lookup = (name: string) => OperatorFactory | undefined;

const REGISTRY = '../operators/index.ts';

let lookup: Lookup = () => undefined;
try {
  const mod = (await import(REGISTRY)) as { getOperator?: Lookup };
  if (typeof mod.getOperator === 'function') lookup = mod.getOperator;
} catch (e) {
  if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw e;
}

export function findOperator(name: string): OperatorFactory | undefined {
  return lookup(name);
}
