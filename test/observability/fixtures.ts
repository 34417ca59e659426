import type { TransactionReport } from '../../src/observability/types.ts';

export function report(overrides: Partial<TransactionReport> = {}): TransactionReport {
  return {
    id: 'tx-1',
    time: '2026-01-01T00:00:00.000Z',
    mode: 'inline',
    verdict: 'blocked',
    client: { address: '192.0.2.7', port: 51000 },
    request: {
      method: 'GET',
      uri: "/?id=1'%20OR%20'1'='1",
      protocol: 'HTTP/1.1',
      headers: [
        ['Host', 'shop.example'],
        ['Authorization', 'Bearer secret-token'],
        ['Cookie', 'session=s3cr3t'],
        ['X-CRS-Test', '942100-1 marker'],
        ['User-Agent', 'curl/8.0'],
      ],
    },
    status: 403,
    matchedRules: [{
      id: 1515000, phase: 2, file: 'rulesets/picket-core/40-sql-injection.conf', line: 4,
      msg: 'SQL injection detected by libinjection', logdata: "Matched Data: 1' OR '1'='1 found within ARGS:id",
      severity: 2, tags: ['picket-core', 'attack-sqli'], matchedVar: 'ARGS:id', matchedValue: "1' OR '1'='1", disruptive: 'pass',
    }],
    scores: { inbound: 10, outbound: 0 },
    interruptionStatus: 403,
    interruptionRuleId: 1519000,
    engineMs: 0.4321,
    auditRelevant: true,
    ...overrides,
  };
}
