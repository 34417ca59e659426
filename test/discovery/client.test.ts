import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { parseEventStream, type SwarmEvent } from '../../src/discovery/swarm/client.ts';

describe('parseEventStream', () => {
  it('splits JSON lines across chunk boundaries and skips malformed lines', async () => {
    const chunks = ['{"Type":"service","Act', 'ion":"update"}\n\n{not json}\n{"Type":"container",', '"Action":"start"}\n{"Type":"x"'];
    const events: SwarmEvent[] = [];
    for await (const e of parseEventStream(Readable.from(chunks.map((c) => Buffer.from(c))))) events.push(e);
    assert.deepEqual(events, [
      { Type: 'service', Action: 'update' },
      { Type: 'container', Action: 'start' },
    ]);
  });
});
