/**
 * Reads go-ftw YAML test files into FtwTest values with go-ftw's defaults
 * (test/defaults.go, test/types.go): method GET, uri /, version HTTP/1.1,
 * headers from the `headers` map sorted by name (go-ftw sorts them for a
 * stable order), autocomplete_headers true unless it or stop_magic says
 * otherwise, legacy log_contains/no_log_contains mapped to match_regex.
 *
 * Scalars are read the way Go's YAML decoder fills a string field: a plain
 * scalar keeps its source text (`1.0` stays "1.0", not 1).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { FtwTest, Stage, StageInput, StageOutput } from './ftw-types.ts';

/** A YAML value with every scalar as string (or null), like Go string fields. */
type Raw = string | null | Raw[] | { [key: string]: Raw };

function toRaw(node: unknown): Raw {
  if (node === null || node === undefined) return null;
  if (isScalar(node)) {
    if (node.value === null) return null;
    if (node.type === 'PLAIN' && typeof node.source === 'string') return node.source;
    return String(node.value);
  }
  if (isSeq(node)) return node.items.map((item) => toRaw(item));
  if (isMap(node)) {
    const out: { [key: string]: Raw } = {};
    for (const pair of node.items) {
      const key = toRaw(pair.key);
      out[String(key)] = toRaw(pair.value);
    }
    return out;
  }
  throw new Error(`unexpected YAML node ${String(node)}`);
}

function asMap(value: Raw | undefined, where: string): { [key: string]: Raw } {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new Error(`${where}: expected a mapping`);
  return value;
}

function asString(value: Raw | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string') throw new Error(`expected a scalar, got ${JSON.stringify(value)}`);
  return value;
}

function asInt(value: Raw | undefined, where: string): number | undefined {
  const text = asString(value);
  if (text === null) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n)) throw new Error(`${where}: expected an integer, got ${text}`);
  return n;
}

function asBool(value: Raw | undefined): boolean | undefined {
  const text = asString(value);
  if (text === null) return undefined;
  return text === 'true' || text === 'True' || text === 'TRUE' || text === 'yes' || text === 'on';
}

/** A single int or a list of ints (old ftw format allowed `status: [200, 403]`). */
function asIntList(value: Raw | undefined, where: string): number[] | undefined {
  if (value === null || value === undefined) return undefined;
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => {
    const n = asInt(item, where);
    if (n === undefined) throw new Error(`${where}: empty list entry`);
    return n;
  });
}

/** Go's strings sort: by UTF-8 bytes. */
function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function loadInput(raw: { [key: string]: Raw }, where: string): StageInput {
  let headers: [string, string][];
  const ordered = raw['ordered_headers'];
  if (Array.isArray(ordered)) {
    headers = ordered.map((entry) => {
      const tuple = asMap(entry, `${where}.ordered_headers`);
      return [asString(tuple['name']) ?? '', asString(tuple['value']) ?? ''];
    });
  } else {
    const map = asMap(raw['headers'], `${where}.headers`);
    headers = Object.keys(map)
      .sort(byteCompare)
      .map((name) => [name, asString(map[name]) ?? '']);
  }
  let data: string | null;
  const rawData = raw['data'];
  // The first ftw format allowed a list of lines; it joined them with CRLF.
  if (Array.isArray(rawData)) data = rawData.map((line) => asString(line) ?? '').join('\r\n');
  else data = asString(rawData);
  const autocomplete = asBool(raw['autocomplete_headers']);
  const stopMagic = asBool(raw['stop_magic']);
  const encodedRequest = asString(raw['encoded_request']);
  // The first ftw format's raw_request is the request as text, not base64.
  const rawRequest = asString(raw['raw_request']);
  return {
    method: asString(raw['method']) ?? 'GET',
    uri: asString(raw['uri']) ?? '/',
    version: asString(raw['version']) ?? 'HTTP/1.1',
    headers,
    data,
    encodedData: asString(raw['encoded_data']),
    encodedRequest: encodedRequest
      ? encodedRequest
      : rawRequest
        ? Buffer.from(rawRequest, 'utf8').toString('base64')
        : null,
    autocompleteHeaders: autocomplete ?? (stopMagic === undefined ? true : !stopMagic),
    destAddr: asString(raw['dest_addr']) ?? 'localhost',
    port: asInt(raw['port'], `${where}.port`) ?? 80,
    protocol: asString(raw['protocol']) ?? 'http',
  };
}

export function loadOutput(raw: { [key: string]: Raw }, where: string): StageOutput {
  const log = asMap(raw['log'], `${where}.log`);
  // Legacy top-level forms: expect_ids/no_expect_ids beside log, log_contains.
  const expectIds = asIntList(log['expect_ids'] ?? log['expect_id'] ?? raw['expect_ids'], `${where}.expect_ids`);
  const noExpectIds = asIntList(
    log['no_expect_ids'] ?? log['no_expect_id'] ?? raw['no_expect_ids'],
    `${where}.no_expect_ids`,
  );
  let matchRegex = asString(log['match_regex']) ?? undefined;
  let noMatchRegex = asString(log['no_match_regex']) ?? undefined;
  const logContains = asString(raw['log_contains']);
  const noLogContains = asString(raw['no_log_contains']);
  if (logContains && expectIds === undefined && !matchRegex) matchRegex = logContains;
  if (noLogContains && noExpectIds === undefined && !noMatchRegex) noMatchRegex = noLogContains;
  const output: {
    -readonly [K in keyof StageOutput]: StageOutput[K];
  } = {};
  const status = asIntList(raw['status'], `${where}.status`);
  if (status && !(status.length === 1 && status[0] === 0)) output.status = status;
  if (expectIds?.length) output.expectIds = expectIds;
  if (noExpectIds?.length) output.noExpectIds = noExpectIds;
  if (matchRegex) output.matchRegex = matchRegex;
  if (noMatchRegex) output.noMatchRegex = noMatchRegex;
  const responseContains = asString(raw['response_contains']);
  if (responseContains) output.responseContains = responseContains;
  if (asBool(raw['isolated'])) output.isolated = true;
  const expectError = asBool(raw['expect_error']);
  if (expectError !== undefined) output.expectError = expectError;
  if (asBool(raw['retry_once'])) output.retryOnce = true;
  return output;
}

/** Parses one YAML test file; `file` is reported relative to `root`. */
export function loadTestFile(path: string, root: string): FtwTest[] {
  const file = relative(root, path);
  const doc = parseDocument(readFileSync(path, 'utf8'));
  if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
  const top = toRaw(doc.contents as Node | null);
  if (top === null) return [];
  const map = asMap(top, file);
  let ruleId = asInt(map['rule_id'], `${file}.rule_id`);
  // go-ftw falls back on the first number in the file name.
  if (ruleId === undefined) ruleId = Number(/\d+/.exec(file.split('/').pop() ?? '')?.[0] ?? 0);
  const rawTests = map['tests'];
  if (!Array.isArray(rawTests)) throw new Error(`${file}: no tests list`);
  return rawTests.map((rawTest, index) => {
    const test = asMap(rawTest, `${file}.tests[${index}]`);
    const testId = asInt(test['test_id'], `${file}.test_id`) || index + 1;
    const where = `${file} ${ruleId}-${testId}`;
    const rawStages = test['stages'];
    if (!Array.isArray(rawStages)) throw new Error(`${where}: no stages`);
    const stages: Stage[] = rawStages.map((rawStage, s) => {
      let stage = asMap(rawStage, `${where}.stages[${s}]`);
      // The first format nested each stage under a `stage:` key.
      if (stage['stage'] !== undefined) stage = asMap(stage['stage'], `${where}.stages[${s}].stage`);
      return {
        input: loadInput(asMap(stage['input'], `${where}.input`), where),
        output: loadOutput(asMap(stage['output'], `${where}.output`), where),
      };
    });
    return {
      id: `${ruleId}-${testId}`,
      ruleId: ruleId ?? 0,
      testId,
      desc: asString(test['desc']) ?? '',
      file,
      stages,
    };
  });
}

/** Every *.yaml / *.yml under `root`, in path order, parsed. */
export function loadSuite(root: string): FtwTest[] {
  const paths: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry.name)) paths.push(path);
    }
  };
  walk(root);
  paths.sort();
  return paths.flatMap((path) => loadTestFile(path, root));
}
