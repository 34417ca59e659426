// The e2e upstream: answers every request with the Swarm task that served it
// and the request it received.
// On SIGTERM it keeps serving for DRAIN_MS (as a well-behaved app drains), and
// says so in x-draining-ms, so the test can see whether picket still sent it
// traffic after Swarm decided to stop it. Then it closes and exits.
import { createServer } from 'node:http';
import { hostname } from 'node:os';

const port = Number(process.env.PORT ?? 8080);
const task = process.env.TASK_ID ?? hostname();
const drainMs = Number(process.env.DRAIN_MS ?? 4000);
let sigtermAt;

const server = createServer((req, res) => {
  if (req.url === '/healthz') {
    res.end('ok');
    return;
  }
  // The request as the app received it (method, URI, body size): the mirror
  // test checks that what reached the app is exactly what the client sent.
  let bodyBytes = 0;
  req.on('data', (chunk) => (bodyBytes += chunk.length));
  req.on('end', () => {
    const headers = { 'content-type': 'application/json', 'x-task': task };
    if (sigtermAt !== undefined) headers['x-draining-ms'] = String(Date.now() - sigtermAt);
    res.writeHead(200, headers);
    res.end(JSON.stringify({ task, slot: process.env.TASK_SLOT ?? null, host: hostname(), method: req.method, url: req.url, bodyBytes }));
  });
});
server.keepAliveTimeout = 5000;
server.listen(port, () => console.log(`app ${task} listening on ${port}`));

process.on('SIGTERM', () => {
  if (sigtermAt !== undefined) return;
  sigtermAt = Date.now();
  console.log(`app ${task}: SIGTERM, draining for ${drainMs} ms`);
  setTimeout(() => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  }, drainMs).unref();
  setTimeout(() => process.exit(0), drainMs + 2000).unref();
});
