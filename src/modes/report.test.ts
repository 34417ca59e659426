import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isoTime } from './report.ts';

describe('isoTime', () => {
  it('equals Date#toISOString on consecutive and random times and at the edges', () => {
    const start = Date.UTC(2026, 10, 22, 23, 59, 58, 990);
    for (let ms = start; ms < start + 3000; ms += 3) assert.equal(isoTime(ms), new Date(ms).toISOString());
    for (let i = 0; i < 20_000; i++) {
      const ms = Math.floor(Math.random() * 253402300799999);
      assert.equal(isoTime(ms), new Date(ms).toISOString());
    }
    for (const ms of [0, 7, 99, 999, 1000, -1, -1001, 253402300799999, 253402300800000, -62167219200001]) {
      assert.equal(isoTime(ms), new Date(ms).toISOString(), String(ms));
    }
  });
});
