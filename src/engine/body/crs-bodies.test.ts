/**
 * Every request body of the CRS v4.28 regression suite that a body processor
 * would see (by Content-Type, as modsecurity.conf-recommended selects JSON and
 * XML) must parse as ModSecurity v2 parses it: no REQBODY_ERROR and no
 * multipart anomaly, except the bodies listed below, which v2 rejects too.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { BodyParseError } from './errors.ts';
import { parseJson } from './json.ts';
import { parseMultipart } from './multipart.ts';
import { parseXml } from './xml.ts';
import { xpath } from './xpath.ts';

const CRS_TESTS = resolve(import.meta.dirname, '../../../../shared/crs-4.28.0/tests/regression-tests');

/** Bodies that are invalid for ModSecurity v2 as well, with why. */
const EXPECTED_INVALID: Record<string, string> = {
  '920240.yaml#4': 'XML with backslash-escaped attribute quotes',
  '920420.yaml#9': 'the text "test" sent as application/json',
  '920420.yaml#10': 'the text "test" sent as XML',
  '922130.yaml#5': 'part without Content-Disposition (the header name is Content-!Disposition)',
  '922130.yaml#8': 'part header line without a colon',
  '932180.yaml#3': 'second part has no headers at all',
};

interface Stage {
  input?: { headers?: Record<string, string>; data?: unknown };
}

interface Body {
  readonly id: string;
  readonly kind: 'json' | 'xml' | 'multipart';
  readonly contentType: string;
  readonly body: string;
}

function collectBodies(): Body[] {
  assert.ok(existsSync(CRS_TESTS), `CRS regression tests missing at ${CRS_TESTS}: unpack crs-4.28.0 into ../shared`);
  const out: Body[] = [];
  for (const dir of readdirSync(CRS_TESTS).filter((d) => d.startsWith('REQUEST-'))) {
    for (const file of readdirSync(resolve(CRS_TESTS, dir)).filter((f) => f.endsWith('.yaml'))) {
      const text = readFileSync(resolve(CRS_TESTS, dir, file), 'utf8');
      // Parsing YAML is the slow part: skip files without a relevant Content-Type.
      if (!/content-type:\s*["']?(?:application\/(?:soap\+)?xml|text\/xml|application\/json|multipart\/form-data)/i.test(text)) continue;
      const doc = parseYaml(text) as {
        tests?: { test_id: number; stages?: Stage[] }[];
      } | null;
      for (const test of doc?.tests ?? []) {
        for (const stage of test.stages ?? []) {
          const input = stage.input;
          const contentType = Object.entries(input?.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
          if (contentType === undefined || typeof input?.data !== 'string') continue;
          // go-ftw templates ({{ ... }}) are expanded by go-ftw, not here.
          if (input.data.includes('{{')) continue;
          const lower = contentType.toLowerCase();
          let body = Buffer.from(input.data, 'utf8').toString('latin1');
          let kind: Body['kind'];
          if (/^(?:application(?:\/soap\+|\/)|text\/)xml/.test(lower)) kind = 'xml';
          else if (lower.startsWith('application/json')) kind = 'json';
          else if (lower.startsWith('multipart/form-data')) {
            kind = 'multipart';
            // go-ftw sends multipart bodies with CRLF line ends.
            if (contentType.includes('multipart/form-data;')) body = body.replace(/\n/g, '\r\n');
          } else continue;
          out.push({ id: `${file}#${test.test_id}`, kind, contentType, body });
        }
      }
    }
  }
  return out;
}

/** The error v2 would report for this body, or undefined. */
function processError(b: Body): string | undefined {
  try {
    if (b.kind === 'json') parseJson(b.body, 512);
    else if (b.kind === 'xml') {
      const doc = parseXml(b.body);
      if (doc !== undefined) {
        xpath(doc, '/*');
        xpath(doc, '//@*');
      }
    } else {
      const r = parseMultipart(b.body, b.contentType);
      if (r.reqbodyError !== undefined) return r.reqbodyError;
      if (r.strictError) return `MULTIPART_STRICT_ERROR ${JSON.stringify(r.flags)}`;
    }
    return undefined;
  } catch (e) {
    if (e instanceof BodyParseError) return e.message;
    throw e;
  }
}

describe('CRS regression request bodies', () => {
  const bodies = collectBodies();

  it('finds the JSON, XML and multipart bodies of the suite', () => {
    const count = (k: Body['kind']): number => bodies.filter((b) => b.kind === k).length;
    assert.ok(count('json') > 200, `json: ${count('json')}`);
    assert.ok(count('xml') > 400, `xml: ${count('xml')}`);
    assert.ok(count('multipart') > 100, `multipart: ${count('multipart')}`);
  });

  it('parses every body, except those v2 rejects too', () => {
    const failures: Record<string, string> = {};
    for (const b of bodies) {
      const error = processError(b);
      if (error !== undefined) failures[b.id] = error;
    }
    assert.deepEqual(Object.keys(failures).sort(), Object.keys(EXPECTED_INVALID).sort(), JSON.stringify(failures, null, 1));
  });
});
