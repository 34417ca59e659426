import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { type MultipartFlags, type MultipartResult, multipartVariables, parseMultipart } from './multipart.ts';

const CT = 'multipart/form-data; boundary=boundary';
const lines = (...l: string[]): string => l.join('\r\n');

/** Anomalies raised, by their MULTIPART_* names (STRICT_ERROR included, CRLF_LINE is normal). */
function raised(r: MultipartResult): string[] {
  return Object.entries(multipartVariables(r))
    .filter(([k, v]) => v === '1' && k !== 'MULTIPART_CRLF_LINE')
    .map(([k]) => k)
    .sort();
}

const field = (name: string, value: string): string =>
  lines('--boundary', `Content-Disposition: form-data; name="${name}"`, '', value);

// --- CRS regression bodies -------------------------------------------------
// Tests read them from ../shared/crs-4.28.0 (never copied into the repo).
const CRS_TESTS = resolve(import.meta.dirname, '../../../../shared/crs-4.28.0/tests/regression-tests');

interface CrsInput {
  data?: string;
  encoded_request?: string;
  headers?: Record<string, string>;
}

/** Body and Content-Type of one CRS test stage, as go-ftw sends them. */
function crsRequest(file: string, testId: number): { body: string; contentType: string | undefined } {
  const path = resolve(CRS_TESTS, file);
  assert.ok(existsSync(path), `CRS regression tests missing at ${path}: unpack crs-4.28.0 into ../shared`);
  const doc = parseYaml(readFileSync(path, 'utf8')) as { tests: { test_id: number; stages: { input: CrsInput }[] }[] };
  const test = doc.tests.find((t) => t.test_id === testId);
  const input = test?.stages[0]?.input;
  assert.ok(input, `${file} has no test ${testId}`);
  if (input.encoded_request !== undefined) {
    const raw = Buffer.from(input.encoded_request, 'base64').toString('latin1');
    const split = raw.indexOf('\r\n\r\n');
    const head = raw.slice(0, split);
    const ct = /^content-type:[ \t]*([^\r\n]*)/im.exec(head)?.[1];
    return { body: raw.slice(split + 4), contentType: ct };
  }
  const contentType = input.headers?.['Content-Type'];
  let body = Buffer.from(input.data ?? '', 'utf8').toString('latin1');
  // go-ftw turns LF into CRLF for multipart/form-data bodies.
  if (contentType?.includes('multipart/form-data;')) body = body.replace(/\n/g, '\r\n');
  return { body, contentType };
}

describe('parseMultipart: well-formed bodies', () => {
  it('parses CRS 922100 test 1 (CRLF, as go-ftw sends it) without any flag', () => {
    const { body, contentType } = crsRequest('REQUEST-922-MULTIPART-ATTACK/922100.yaml', 1);
    const r = parseMultipart(body, contentType);
    assert.equal(r.reqbodyError, undefined);
    assert.deepEqual(raised(r), []);
    assert.equal(multipartVariables(r).MULTIPART_CRLF_LINE, '1');
    assert.deepEqual(r.args, [
      { name: '_charset_', value: 'utf-7' },
      { name: 'positive', value: 'Let me see if I can use utf-7.' },
    ]);
  });

  it('collects MULTIPART_PART_HEADERS per part name (CRS 922110 test 2)', () => {
    const { body, contentType } = crsRequest('REQUEST-922-MULTIPART-ATTACK/922110.yaml', 2);
    const r = parseMultipart(body, contentType);
    assert.deepEqual(r.partHeaders, [
      { name: 'username', value: 'Content-Disposition: form-data; name="username"' },
      { name: 'username', value: 'Content-Type: text/plain; charset=utf-7' },
      { name: 'dummy', value: 'Content-Disposition: form-data; name="dummy"' },
      { name: 'dummy', value: 'Content-Type: text/plain; charset=utf-8' },
    ]);
    assert.equal(r.parts[0]?.contentType, 'text/plain; charset=utf-7');
  });

  it('reports files, FILES_COMBINED_SIZE and MULTIPART_FILENAME (CRS 920410 test 1)', () => {
    const { body, contentType } = crsRequest('REQUEST-920-PROTOCOL-ENFORCEMENT/920410.yaml', 1);
    const r = parseMultipart(body, contentType);
    assert.equal(r.reqbodyError, undefined);
    assert.equal(r.files.length, 1);
    const file = r.files[0];
    assert.equal(file?.name, 'bigfile');
    assert.equal(file?.filename, 'file=.txt');
    // The content ends before the CRLF that precedes the boundary.
    const start = body.indexOf('\r\n\r\n') + 4;
    const end = body.lastIndexOf('\r\n----------111111--');
    assert.equal(file?.size, end - start);
    assert.equal(file?.value, body.slice(start, end));
    assert.equal(r.filesCombinedSize, end - start);
    assert.equal(r.multipartFilename, 'file=.txt');
    assert.equal(r.multipartName, 'bigfile');
    assert.deepEqual(r.args, []);
  });

  it('keeps names and filenames as written (CRS 920120 tests 2 and 3, 920121 tests 3 and 6)', () => {
    const t2 = crsRequest('REQUEST-920-PROTOCOL-ENFORCEMENT/920120.yaml', 2);
    const r2 = parseMultipart(t2.body, t2.contentType);
    assert.deepEqual(r2.files.map((f) => [f.name, f.filename]), [['fi=le', 'test']]);
    assert.deepEqual(r2.args, [{ name: 'note', value: 'Contact info.' }]);
    assert.equal(r2.files[0]?.value, 'email: security@example.com\r\n');
    const t3 = crsRequest('REQUEST-920-PROTOCOL-ENFORCEMENT/920120.yaml', 3);
    assert.deepEqual(parseMultipart(t3.body, t3.contentType).files.map((f) => f.name), ['fi;le']);
    // Only the quote and '\' can be escaped; other backslashes stay.
    const q = crsRequest('REQUEST-920-PROTOCOL-ENFORCEMENT/920121.yaml', 3);
    assert.equal(parseMultipart(q.body, q.contentType).files[0]?.filename, 'te"st.txt');
    const b = crsRequest('REQUEST-920-PROTOCOL-ENFORCEMENT/920121.yaml', 6);
    assert.equal(parseMultipart(b.body, b.contentType).files[0]?.filename, '1.j\\s\\p');
  });

  it('accepts an empty name and an empty filename (CRS 920120 name="" filename="")', () => {
    const body = lines('--boundary', 'Content-Disposition: form-data; name=""; filename=""', '', 'x', '--boundary--', '');
    const r = parseMultipart(body, CT);
    assert.deepEqual(r.files.map((f) => [f.name, f.filename, f.value]), [['', '', 'x']]);
    assert.deepEqual(raised(r), []);
  });

  it('gives an empty field an empty value', () => {
    const r = parseMultipart(lines(field('a', ''), '--boundary--', ''), CT);
    assert.deepEqual(r.args, [{ name: 'a', value: '' }]);
    assert.deepEqual(raised(r), []);
  });

  it('keeps repeated names, in order', () => {
    const r = parseMultipart(lines(field('a', '1'), field('a', '2'), '--boundary--', ''), CT);
    assert.deepEqual(r.args, [
      { name: 'a', value: '1' },
      { name: 'a', value: '2' },
    ]);
  });

  it('keeps line breaks inside values and data lines longer than the 4096-byte buffer', () => {
    const long = 'x'.repeat(10000);
    const value = `${long}\r\nsecond\nthird\r`;
    const r = parseMultipart(lines(field('a', value), '--boundary--', ''), CT);
    assert.equal(r.args[0]?.value, value);
    assert.deepEqual(raised(r), []);
  });

  it('accepts part header lines up to 4095 bytes with their line end (v2 buffer)', () => {
    const header = (total: number): string => `X-Pad: ${'p'.repeat(total - 'X-Pad: '.length - 2)}`;
    const body = (total: number): string =>
      lines('--boundary', 'Content-Disposition: form-data; name="a"', header(total), '', '1', '--boundary--', '');
    assert.equal(parseMultipart(body(4095), CT).reqbodyError, undefined);
    assert.equal(
      parseMultipart(body(4096), CT).reqbodyError,
      'Multipart parsing error: Multipart: Part header line over 4096 bytes long',
    );
  });

  it('accepts the final boundary without a line ending', () => {
    const r = parseMultipart(lines(field('a', '1'), '--boundary--'), CT);
    assert.equal(r.reqbodyError, undefined);
    assert.deepEqual(r.args, [{ name: 'a', value: '1' }]);
  });

  it('does nothing for an empty body', () => {
    const r = parseMultipart('', CT);
    assert.equal(r.reqbodyError, undefined);
    assert.deepEqual(r.parts, []);
    assert.equal(r.strictError, false);
  });
});

describe('parseMultipart: one test per anomaly flag', () => {
  const ok = lines(field('a', '1'), '--boundary--', '');
  const cases: { flag: keyof MultipartFlags; variable: string; body: string; ct?: string; also?: string[] }[] = [
    // boundary="boundary" in the Content-Type.
    { flag: 'boundaryQuoted', variable: 'MULTIPART_BOUNDARY_QUOTED', body: ok, ct: 'multipart/form-data; boundary="boundary"' },
    { flag: 'boundaryWhitespace', variable: 'MULTIPART_BOUNDARY_WHITESPACE', body: ok, ct: 'multipart/form-data; boundary =boundary' },
    { flag: 'missingSemicolon', variable: 'MULTIPART_MISSING_SEMICOLON', body: ok, ct: 'multipart/form-data boundary=boundary' },
    { flag: 'dataBefore', variable: 'MULTIPART_DATA_BEFORE', body: `preamble\r\n${ok}` },
    { flag: 'dataAfter', variable: 'MULTIPART_DATA_AFTER', body: `${ok}epilogue` },
    {
      flag: 'headerFolding',
      variable: 'MULTIPART_HEADER_FOLDING',
      body: lines('--boundary', 'Content-Disposition: form-data;', ' name="a"', '', '1', '--boundary--', ''),
    },
    {
      flag: 'invalidHeaderFolding',
      variable: 'MULTIPART_INVALID_HEADER_FOLDING',
      body: lines('--boundary', 'Content-Disposition: form-data;', '\x0bname="a"', '', '1', '--boundary--', ''),
      also: ['MULTIPART_HEADER_FOLDING'],
    },
    {
      flag: 'invalidQuoting',
      variable: 'MULTIPART_INVALID_QUOTING',
      body: lines('--boundary', "Content-Disposition: form-data; name='a'", '', '1', '--boundary--', ''),
    },
    {
      // The final boundary where part data should begin.
      flag: 'invalidPart',
      variable: 'MULTIPART_INVALID_PART',
      body: lines('--boundary', 'Content-Disposition: form-data; name="a"', '', '--boundary--'),
    },
    {
      flag: 'unmatchedBoundary',
      variable: 'MULTIPART_UNMATCHED_BOUNDARY',
      body: lines(field('a', '--other'), '--boundary--', ''),
    },
  ];
  for (const c of cases) {
    it(`${c.variable}`, () => {
      const r = parseMultipart(c.body, c.ct ?? CT);
      assert.equal(r.flags[c.flag], true);
      assert.equal(multipartVariables(r)[c.variable], '1');
      assert.equal(r.reqbodyError, undefined);
      // UNMATCHED_BOUNDARY is not part of MULTIPART_STRICT_ERROR.
      const strict = c.flag === 'unmatchedBoundary' ? [] : ['MULTIPART_STRICT_ERROR'];
      const expectedFlags = [...strict, c.variable, ...(c.also ?? [])].sort();
      assert.deepEqual(raised(r), expectedFlags);
      assert.equal(r.args[0]?.name, 'a');
    });
  }

  it('MULTIPART_HEADER_FOLDING joins folded lines with a space', () => {
    const r = parseMultipart(cases[5]?.body ?? '', CT);
    assert.deepEqual(r.partHeaders, [{ name: 'a', value: 'Content-Disposition: form-data; name="a"' }]);
    assert.equal(r.parts[0]?.headers[0]?.value, 'form-data; name="a"');
  });

  it('MULTIPART_INVALID_QUOTING for a single quote in an unquoted filename, not inside double quotes', () => {
    const unquoted = lines('--boundary', "Content-Disposition: form-data; name=f; filename=te'st", '', 'x', '--boundary--', '');
    const r = parseMultipart(unquoted, CT);
    assert.equal(r.flags.invalidQuoting, true);
    assert.equal(r.files[0]?.filename, "te'st");
    // CRS 920121 test 2: "te'st.txt" inside double quotes is not invalid quoting since v2.9.5.
    const q = crsRequest('REQUEST-920-PROTOCOL-ENFORCEMENT/920121.yaml', 2);
    assert.equal(parseMultipart(q.body, q.contentType).flags.invalidQuoting, false);
  });

  it('MULTIPART_LF_LINE for bare LF line ends (CRS 922100 test 1 as written in the YAML)', () => {
    const { body } = crsRequest('REQUEST-922-MULTIPART-ATTACK/922100.yaml', 1);
    const r = parseMultipart(body.replace(/\r\n/g, '\n'), CT);
    assert.equal(r.reqbodyError, undefined);
    assert.deepEqual(raised(r), ['MULTIPART_LF_LINE', 'MULTIPART_STRICT_ERROR']);
    assert.equal(r.args.length, 2);
  });

  it('MULTIPART_CRLF_LF_LINES when both line ends are used', () => {
    const body = `--boundary\r\nContent-Disposition: form-data; name="a"\n\r\n1\r\n--boundary--\r\n`;
    const r = parseMultipart(body, CT);
    const v = multipartVariables(r);
    assert.equal(v.MULTIPART_CRLF_LF_LINES, '1');
    assert.equal(v.MULTIPART_LF_LINE, '1');
    assert.equal(v.MULTIPART_CRLF_LINE, '1');
    assert.equal(r.strictError, true);
  });

  it('MULTIPART_LF_LINE when a bare LF precedes a boundary line', () => {
    const body = `--boundary\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\n--boundary--\r\n`;
    const r = parseMultipart(body, CT);
    assert.equal(r.flags.lfLine, true);
    assert.deepEqual(r.args, [{ name: 'a', value: '1' }]);
  });

  it('MULTIPART_FILE_LIMIT_EXCEEDED past SecUploadFileLimit', () => {
    const file = (n: string): string =>
      lines('--boundary', `Content-Disposition: form-data; name="${n}"; filename="${n}.txt"`, '', 'data');
    const body = lines(file('f1'), file('f2'), '--boundary--', '');
    const r = parseMultipart(body, CT, { fileLimit: 1 });
    assert.deepEqual(raised(r), ['MULTIPART_FILE_LIMIT_EXCEEDED', 'MULTIPART_STRICT_ERROR']);
    assert.equal(r.reqbodyError, undefined);
    assert.equal(r.files.length, 2);
    assert.equal(parseMultipart(body, CT, { fileLimit: 2 }).flags.fileLimitExceeded, false);
    assert.equal(parseMultipart(body, CT).flags.fileLimitExceeded, false);
  });

  it('MULTIPART_UNMATCHED_BOUNDARY for the boundary inside a line', () => {
    const r = parseMultipart(lines(field('a', 'x--boundary'), '--boundary--', ''), CT);
    assert.equal(r.flags.unmatchedBoundary, true);
    assert.equal(r.args[0]?.value, 'x--boundary');
  });
});

describe('parseMultipart: REQBODY_PROCESSOR_ERROR conditions', () => {
  const ok = lines(field('a', '1'), '--boundary--', '');
  const ctErrors: [string | undefined, string][] = [
    [undefined, 'Multipart: Content-Type header not available.'],
    ['multipart/mixed; boundary=boundary', 'Multipart: Invalid MIME type.'],
    ['multipart/form-data', 'Multipart: Boundary not found in C-T.'],
    ['multipart/form-data; BOUNDARY=xyz', 'Multipart: Invalid boundary in C-T (case sensitivity).'],
    // v2 finds "boundary" case-sensitively: here in the value, after other text.
    ['multipart/form-data; Boundary=boundary', 'Multipart: Invalid boundary in C-T (malformed).'],
    ['multipart/form-data; boundary=boundary; charset=utf-8', 'Multipart: Multiple boundary parameters in C-T.'],
    ['multipart/form-data; boundary=a; boundary=b', 'Multipart: Multiple boundary parameters in C-T.'],
    ['multipart/form-data; boundary="boundary', 'Multipart: Invalid boundary in C-T (quote).'],
    ['multipart/form-data; boundary=boundary"', 'Multipart: Invalid boundary in C-T (quote).'],
    ['multipart/form-data; boundary=', 'Multipart: Invalid boundary in C-T (empty).'],
    ['multipart/form-data; boundary=a{b', 'Multipart: Invalid boundary in C-T (characters).'],
    // Everything after '=' is the boundary, later parameters included.
    ['multipart/form-data; boundary=b; charset=utf-8', 'Multipart: Invalid boundary in C-T (characters).'],
    ['multipart/form-data; boundary=ab ', 'Multipart: Invalid boundary in C-T (characters).'],
    ['multipart/form-data; x; boundary=b', 'Multipart: Invalid boundary in C-T (malformed).'],
    ['multipart/form-data; boundaryx=b', 'Multipart: Invalid boundary in C-T (parameter name).'],
    [`multipart/form-data; boundary=${'a'.repeat(1100)}`, 'Multipart: Invalid boundary in C-T (length).'],
  ];
  for (const [ct, message] of ctErrors) {
    it(`rejects Content-Type ${JSON.stringify(ct?.slice(0, 60))}`, () => {
      const r = parseMultipart(ok, ct);
      assert.equal(r.reqbodyError, message);
      assert.equal(r.flags.error, true);
      assert.equal(r.strictError, true);
      assert.deepEqual(r.args, []);
      assert.deepEqual(r.parts, []);
    });
  }

  const bodyErrors: [string, string, string, boolean][] = [
    ['no boundary at all', 'just some text\r\n', 'Multipart: No boundaries found in payload.', false],
    ['a missing final boundary', lines(field('a', '1'), ''), 'Multipart: Final boundary missing.', false],
    ['a part without Content-Disposition', lines('--boundary', 'Content-Type: text/plain', '', '1', '--boundary--', ''), 'Multipart: Part missing Content-Disposition header.', true],
    ['a Content-Disposition without name', lines('--boundary', 'Content-Disposition: form-data', '', '1', '--boundary--', ''), 'Multipart: Content-Disposition header missing name field.', true],
    ['a header without colon', lines('--boundary', 'Content-Disposition form-data', '', '--boundary--', ''), 'Multipart: Invalid part header (colon missing): Content-Disposition form-data\\x0d\\x0a.', true],
    ['a duplicate part header', lines('--boundary', 'Content-Disposition: form-data; name="a"', 'content-disposition: form-data; name="b"', '', '1', '--boundary--', ''), 'Multipart: Duplicate part header: content-disposition.', true],
    ['a duplicate name parameter', lines('--boundary', 'Content-Disposition: form-data; name="a"; name="b"', '', '1', '--boundary--', ''), 'Multipart: Invalid Content-Disposition header (-14): form-data; name="a"; name="b".', true],
    ['an unknown C-D parameter (filename*)', lines('--boundary', "Content-Disposition: form-data; name=\"a\"; filename*=UTF-8''x", '', '1', '--boundary--', ''), "Multipart: Invalid Content-Disposition header (-11): form-data; name=\"a\"; filename*=UTF-8''x.", true],
    ['garbage after a quoted value', lines('--boundary', 'Content-Disposition: form-data; name="a"x', '', '1', '--boundary--', ''), 'Multipart: Invalid Content-Disposition header (-12): form-data; name="a"x.', true],
    ['a non form-data disposition', lines('--boundary', 'Content-Disposition: attachment; name="a"', '', '1', '--boundary--', ''), 'Multipart: Invalid Content-Disposition header (-1): attachment; name="a".', true],
    ['folding without a header', lines('--boundary', ' name="a"', '', '1', '--boundary--', ''), 'Multipart: Invalid part header (folding error).', true],
    ['a boundary with trailing garbage', lines(field('a', '1'), '--boundary--x', ''), 'Multipart: Invalid boundary: --boundary--x\\x0d\\x0a', true],
    ['a second final boundary', lines(field('a', '1'), '--boundary--', '--boundary--', ''), '', false],
    ['a whitespace-prefixed boundary', lines(field('a', '1'), '-- boundary--', ''), 'Multipart: Invalid boundary (whitespace).', true],
    ['a NUL byte in part headers', lines('--boundary', 'Content-Disposition: form-data; name="a\0"', '', '1', '--boundary--', ''), 'Multipart: Nul byte in part headers.', true],
    ['a header line over 4096 bytes', lines('--boundary', `X-Long: ${'a'.repeat(5000)}`, '', '1', '--boundary--', ''), 'Multipart: Part header line over 4096 bytes long', true],
  ];
  for (const [what, body, message, flagsError] of bodyErrors) {
    if (message === '') continue;
    it(`rejects ${what}`, () => {
      const r = parseMultipart(body, CT);
      assert.equal(r.reqbodyError, `Multipart parsing error: ${message}`);
      assert.equal(r.flags.error, flagsError);
      assert.deepEqual(r.args, []);
    });
  }

  it('treats data after the final boundary as DATA_AFTER, not a second final boundary', () => {
    const r = parseMultipart(lines(field('a', '1'), '--boundary--', '--boundary--', ''), CT);
    assert.equal(r.reqbodyError, undefined);
    assert.equal(r.flags.dataAfter, true);
  });

  it('rejects quotes around the boundary in the body when the C-T quoted it', () => {
    const body = lines('--"boundary"', 'Content-Disposition: form-data; name="a"', '', '1', '--boundary--', '');
    const r = parseMultipart(body, 'multipart/form-data; boundary="boundary"');
    assert.equal(r.reqbodyError, 'Multipart parsing error: Multipart: Invalid boundary (quotes).');
  });

  it('fails on an invalid part header character (CRS 922130 tests 1, 2 and 4)', () => {
    for (const id of [1, 2, 4]) {
      const { body, contentType } = crsRequest('REQUEST-922-MULTIPART-ATTACK/922130.yaml', id);
      const r = parseMultipart(body, contentType);
      assert.equal(r.reqbodyError, 'Multipart parsing error: Multipart: Invalid part header (contains invalid character).');
      assert.equal(r.strictError, true);
      assert.deepEqual(r.args, []);
    }
    // Test 5: '!' is a valid header name character; the part then lacks a
    // Content-Disposition, which is another error.
    const neg = crsRequest('REQUEST-922-MULTIPART-ATTACK/922130.yaml', 5);
    assert.equal(
      parseMultipart(neg.body, neg.contentType).reqbodyError,
      'Multipart parsing error: Multipart: Part missing Content-Disposition header.',
    );
  });

  it('keeps parts closed before an error in FILES but adds no argument', () => {
    const body = lines(field('a', '1'), '--boundary', 'Bad header', '', '--boundary--', '');
    const r = parseMultipart(body, CT);
    assert.match(r.reqbodyError ?? '', /colon missing/);
    assert.deepEqual(r.parts.map((p) => p.name), ['a']);
    assert.deepEqual(r.args, []);
  });
});

describe('parseMultipart properties', () => {
  const byte = fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c));
  const piece = fc.constantFrom(
    '--boundary',
    '--boundary--',
    '\r\n',
    '\n',
    'Content-Disposition: form-data; name="a"',
    '; filename="f"',
    'Content-Type: text/plain',
    ' ',
    '"',
    "'",
    'x',
    '--',
    '\0',
  );
  const structured = fc.array(piece, { maxLength: 40 }).map((p) => p.join(''));
  const mutated = fc.tuple(fc.nat(), byte).map(([at, c]) => {
    const base = lines(field('a', '1'), '--boundary', 'Content-Disposition: form-data; name="f"; filename="x"', '', 'data', '--boundary--', '');
    const i = at % base.length;
    return base.slice(0, i) + c + base.slice(i + 1);
  });
  const contentType = fc.oneof(
    fc.constant(CT),
    fc.constant('multipart/form-data; boundary="boundary"'),
    fc.string({ unit: byte, maxLength: 60 }).map((s) => `multipart/form-data; ${s}`),
  );

  it('never throws; output is bounded by the input', () => {
    fc.assert(
      fc.property(fc.oneof(structured, mutated, fc.string({ unit: byte, maxLength: 300 })), contentType, (body, ct) => {
        const r = parseMultipart(body, ct);
        const data = r.parts.reduce((n, p) => n + p.size, 0);
        assert.ok(data <= body.length);
        assert.ok(r.parts.length <= body.length);
        assert.ok(r.partHeaders.reduce((n, h) => n + h.value.length, 0) <= body.length * 2);
        assert.equal(r.strictError, r.strictError || r.flags.error);
        if (r.reqbodyError !== undefined) assert.deepEqual(r.args, []);
      }),
      { numRuns: 1000 },
    );
  });

  it('round-trips generated forms', () => {
    const value = fc.string({ unit: byte, maxLength: 50 }).filter((v) => !v.includes('--boundary'));
    const name = fc.string({ unit: fc.constantFrom('a', 'b', '_', '.', '1'), minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(fc.array(fc.tuple(name, value), { minLength: 1, maxLength: 5 }), (fields) => {
        const body = lines(...fields.map(([n, v]) => field(n, v)), '--boundary--', '');
        const r = parseMultipart(body, CT);
        fc.pre(!r.flags.unmatchedBoundary);
        assert.equal(r.reqbodyError, undefined);
        assert.deepEqual(r.args.map((a) => [a.name, a.value]), fields);
      }),
      { numRuns: 300 },
    );
  });
});
