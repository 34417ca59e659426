/**
 * Reads a picket YAML configuration file into flat `dotted.key → value`
 * entries that remember their line, so every error can say `file:line`.
 * Unknown keys are reported here, with the closest known key.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node, YAMLMap } from 'yaml';
import { OPTIONS_BY_KEY } from './schema.ts';
import { didYouMean } from './suggest.ts';

export interface YamlEntry {
  readonly key: string;
  /** A scalar, or for sequences one item each with its own line. */
  readonly value: unknown;
  readonly items?: readonly { readonly value: unknown; readonly line: number }[];
  readonly line: number;
}

export interface YamlResult {
  readonly entries: readonly YamlEntry[];
  /** Problems already formatted as `file:line: message`. */
  readonly issues: readonly string[];
}

const SECTIONS = new Set([...OPTIONS_BY_KEY.keys()].filter((k) => k.includes('.')).map((k) => k.split('.')[0]!));
const TOP_LEVEL = new Set([...OPTIONS_BY_KEY.keys()].map((k) => k.split('.')[0]!));

function plain(node: unknown): unknown {
  if (isScalar(node)) return node.value;
  if (node && typeof node === 'object' && 'toJSON' in node && typeof node.toJSON === 'function') return node.toJSON();
  return node;
}

export function readYamlConfig(file: string): YamlResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    return { entries: [], issues: [`${file}: cannot read configuration file (${reason})`] };
  }
  return parseYamlConfig(text, file);
}

export function parseYamlConfig(text: string, file: string): YamlResult {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (node: Node | null | undefined): number => (node?.range ? counter.linePos(node.range[0]).line : 0);
  const issues: string[] = [];
  const entries: YamlEntry[] = [];

  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      const line = counter.linePos(error.pos[0]).line;
      issues.push(`${file}:${line}: ${error.message.split('\n')[0]}`);
    }
    return { entries, issues };
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return { entries, issues };
  if (!isMap(doc.contents)) {
    issues.push(`${file}:${lineOf(doc.contents)}: the configuration must be a mapping of keys to values`);
    return { entries, issues };
  }

  const visit = (map: YAMLMap, prefix: string): void => {
    for (const pair of map.items) {
      const keyNode = pair.key as Node | null;
      const name = String(plain(keyNode));
      const key = prefix + name;
      const line = lineOf(keyNode);
      const valueNode = pair.value as Node | null;
      if (prefix === '' && SECTIONS.has(name) && !OPTIONS_BY_KEY.has(key)) {
        if (valueNode === null || (isScalar(valueNode) && valueNode.value === null)) continue;
        if (!isMap(valueNode)) {
          issues.push(`${file}:${line}: ${key}: must be a mapping (e.g. ${key}:\\n  ${[...OPTIONS_BY_KEY.keys()].find((k) => k.startsWith(key + '.'))!.slice(key.length + 1)}: ...)`);
          continue;
        }
        visit(valueNode, `${key}.`);
        continue;
      }
      if (!OPTIONS_BY_KEY.has(key)) {
        const known = prefix === '' ? TOP_LEVEL : [...OPTIONS_BY_KEY.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
        issues.push(`${file}:${line}: unknown key "${key}"${didYouMean(name, known)}`);
        continue;
      }
      if (isSeq(valueNode)) {
        const items = valueNode.items.map((item) => ({ value: plain(item), line: lineOf(item as Node) }));
        entries.push({ key, value: items.map((i) => i.value), items, line });
      } else if (isMap(valueNode)) {
        issues.push(`${file}:${line}: ${key}: must be a single value, not a mapping`);
      } else {
        entries.push({ key, value: plain(valueNode), line: valueNode ? lineOf(valueNode) || line : line });
      }
    }
  };
  visit(doc.contents, '');
  return { entries, issues };
}
