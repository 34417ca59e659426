/**
 * A tiny Waf implementing src/engine/api.ts, for proxy and mode tests until
 * (and alongside) the real engine. Its "rules":
 *
 *   1  phase 1  URI or a request header value contains `attack` → deny 403
 *               (`attack-drop` → drop, `attack-redirect` → redirect /blocked, `attack-418` → deny 418)
 *   2  phase 2  inspected request body contains `attack` → deny 403
 *   3  phase 3  response header `X-Leak` present → deny 403
 *   4  phase 4  inspected response body contains `secret-leak` → deny 403
 *   -  phase 1  URI contains `engine-throws` → the engine throws
 *
 * Body limits behave as api.ts says: past requestBodyLimit, Reject returns a
 * 413 interruption from appendRequestBody and ProcessPartial ignores the rest.
 * Every transaction is kept (with the bytes it inspected) for assertions.
 */
import type { EngineSettings, Interruption, MatchedRule, Transaction, Waf } from '../../src/engine/api.ts';

export const DEFAULT_SETTINGS: EngineSettings = {
  ruleEngine: 'On',
  requestBodyAccess: true,
  requestBodyLimit: 1024 * 1024,
  requestBodyNoFilesLimit: 1024 * 1024,
  requestBodyLimitAction: 'Reject',
  responseBodyAccess: false,
  responseBodyLimit: 512 * 1024,
  responseBodyLimitAction: 'ProcessPartial',
  responseBodyMimeTypes: ['text/plain', 'text/html'],
};

export class FakeTransaction implements Transaction {
  readonly id: string;
  readonly #settings: EngineSettings;
  readonly calls: string[] = [];
  client = '';
  clientPort = 0;
  uri = '';
  method = '';
  protocol = '';
  readonly requestHeaders: [string, string][] = [];
  readonly responseHeaders: [string, string][] = [];
  /** Request body bytes the engine kept (never more than the limit). */
  requestBody: Buffer[] = [];
  requestBodySize = 0;
  /** Bytes offered to appendRequestBody, kept or not. */
  requestBodyOffered = 0;
  responseBody: Buffer[] = [];
  responseBodySize = 0;
  responseStatus = 0;
  interruption: Interruption | null = null;
  wouldInterrupt: Interruption | null = null;
  readonly matchedRules: MatchedRule[] = [];
  logged = false;

  constructor(id: string, settings: EngineSettings) {
    this.id = id;
    this.#settings = settings;
  }

  get requestBodyAccess(): boolean {
    return this.#settings.requestBodyAccess;
  }

  get responseBodyAccess(): boolean {
    const type = (this.responseHeaders.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '').split(';')[0]!.trim();
    return this.#settings.responseBodyAccess && this.#settings.responseBodyMimeTypes.includes(type);
  }

  get auditRelevant(): boolean {
    return this.matchedRules.length > 0;
  }

  txValue(key: string): string {
    if (key.toLowerCase() === 'blocking_inbound_anomaly_score') return String(this.matchedRules.filter((r) => r.phase <= 2).length * 5);
    if (key.toLowerCase() === 'blocking_outbound_anomaly_score') return String(this.matchedRules.filter((r) => r.phase >= 3).length * 4);
    return '';
  }

  processConnection(clientAddress: string, clientPort: number): void {
    this.calls.push('connection');
    this.client = clientAddress;
    this.clientPort = clientPort;
  }

  processUri(uri: string, method: string, protocol: string): void {
    this.calls.push('uri');
    this.uri = uri;
    this.method = method;
    this.protocol = protocol;
  }

  addRequestHeader(name: string, value: string): void {
    this.requestHeaders.push([name, value]);
  }

  processRequestHeaders(): Interruption | null {
    this.calls.push('phase1');
    if (this.uri.includes('engine-throws')) throw new Error('rule evaluation exploded');
    const hit = [this.uri, ...this.requestHeaders.map(([, v]) => v)].find((v) => v.includes('attack'));
    if (hit === undefined) return null;
    if (hit.includes('attack-drop')) return this.#match(1, 1, { action: 'drop', status: 0, ruleId: 1 });
    if (hit.includes('attack-redirect')) return this.#match(1, 1, { action: 'redirect', status: 302, ruleId: 1, url: '/blocked' });
    if (hit.includes('attack-418')) return this.#match(1, 1, { action: 'deny', status: 418, ruleId: 1 });
    return this.#match(1, 1, { action: 'deny', status: 403, ruleId: 1 });
  }

  appendRequestBody(chunk: Buffer): Interruption | null {
    this.requestBodyOffered += chunk.length;
    const room = this.#settings.requestBodyLimit - this.requestBodySize;
    if (chunk.length > room) {
      if (this.#settings.requestBodyLimitAction === 'Reject') {
        return this.#match(0, 2, { action: 'deny', status: 413, ruleId: 0 });
      }
      if (room > 0) this.#keepRequest(chunk.subarray(0, room));
      return null;
    }
    this.#keepRequest(chunk);
    return null;
  }

  #keepRequest(chunk: Buffer): void {
    this.requestBody.push(Buffer.from(chunk));
    this.requestBodySize += chunk.length;
  }

  processRequestBody(): Interruption | null {
    this.calls.push('phase2');
    if (Buffer.concat(this.requestBody).includes('attack')) return this.#match(2, 2, { action: 'deny', status: 403, ruleId: 2 });
    return null;
  }

  addResponseHeader(name: string, value: string): void {
    this.responseHeaders.push([name, value]);
  }

  processResponseHeaders(status: number): Interruption | null {
    this.calls.push('phase3');
    this.responseStatus = status;
    if (this.responseHeaders.some(([n]) => n.toLowerCase() === 'x-leak')) return this.#match(3, 3, { action: 'deny', status: 403, ruleId: 3 });
    return null;
  }

  appendResponseBody(chunk: Buffer): Interruption | null {
    const room = this.#settings.responseBodyLimit - this.responseBodySize;
    if (chunk.length > room) {
      if (this.#settings.responseBodyLimitAction === 'Reject') return this.#match(0, 4, { action: 'deny', status: 500, ruleId: 0 });
      if (room > 0) {
        this.responseBody.push(Buffer.from(chunk.subarray(0, room)));
        this.responseBodySize += room;
      }
      return null;
    }
    this.responseBody.push(Buffer.from(chunk));
    this.responseBodySize += chunk.length;
    return null;
  }

  processResponseBody(): Interruption | null {
    this.calls.push('phase4');
    if (Buffer.concat(this.responseBody).includes('secret-leak')) return this.#match(4, 4, { action: 'deny', status: 403, ruleId: 4 });
    return null;
  }

  processLogging(): void {
    this.calls.push('phase5');
    this.logged = true;
  }

  #match(id: number, phase: number, interruption: Interruption): Interruption | null {
    this.matchedRules.push({
      id, phase, file: 'fake.conf', line: id, msg: `fake rule ${id}`, logdata: '', tags: [],
      matchedVar: 'ARGS', matchedValue: 'attack', disruptive: interruption.action,
    });
    if (this.#settings.ruleEngine === 'Off') return null;
    if (this.#settings.ruleEngine === 'DetectionOnly') {
      this.wouldInterrupt ??= interruption;
      return null;
    }
    this.interruption = interruption;
    return interruption;
  }
}

export class FakeWaf implements Waf {
  readonly settings: EngineSettings;
  readonly ruleCount = 4;
  readonly transactions: FakeTransaction[] = [];

  constructor(settings: Partial<EngineSettings> = {}) {
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
  }

  newTransaction(id: string): FakeTransaction {
    const tx = new FakeTransaction(id, this.settings);
    this.transactions.push(tx);
    return tx;
  }

  /** The fake keeps no value cache. */
  setValueCacheBudget(): void {}
  forgetValues(): void {}

  /** The transaction with this id (throws when absent, so a test fails loudly). */
  tx(id: string): FakeTransaction {
    const found = this.transactions.find((t) => t.id === id);
    if (!found) throw new Error(`no transaction ${id}`);
    return found;
  }
}
