/**
 * The bench backend: node:http answering every request with 200 and a small
 * body after reading the request body. Run as a child: node bench/backend-server.ts PORT
 */
import { createServer } from 'node:http';

const body = Buffer.from('{"ok":true,"service":"bench-backend"}');
const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 30_000;
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
