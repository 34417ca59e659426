// A read-only Docker API proxy for the e2e stack, standing in for the socket
// proxy image of deploy/swarm/sidecar.yml (no registry here to pull it from).
// It forwards to the Docker socket only the GET endpoints picket's Swarm
// discovery uses and answers 403 to everything else, so the e2e fails if
// discovery ever needs more than it claims.
import { createServer, request } from 'node:http';

const socketPath = process.env.DOCKER_SOCKET ?? '/var/run/docker.sock';
const port = Number(process.env.PORT ?? 2375);
const ALLOWED = /^(\/v\d+\.\d+)?\/(_ping|version|services|tasks|networks|events)(\?|\/?$)/;

createServer((req, res) => {
  const allowed = (req.method === 'GET' || req.method === 'HEAD') && ALLOWED.test(req.url ?? '');
  if (!allowed) {
    console.log(`denied ${req.method} ${req.url}`);
    res.writeHead(403, { 'content-type': 'text/plain' });
    res.end('denied by the read-only socket proxy\n');
    return;
  }
  const upstream = request({ socketPath, method: req.method, path: req.url, headers: req.headers }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  upstream.on('error', (e) => {
    if (!res.headersSent) res.writeHead(502);
    res.end(String(e.message));
  });
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
}).listen(port, () => console.log(`read-only docker socket proxy on ${port}`));

// PID 1 gets no default SIGTERM handling: exit at once instead of waiting for SIGKILL.
process.on('SIGTERM', () => process.exit(0));
