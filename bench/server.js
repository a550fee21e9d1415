// A tiny static file server for the benchmark page: no network beyond
// localhost, and the TF.js .wasm files come from node_modules. `mounts` maps
// URL prefixes to other folders (the lab's page and modules in www/).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.map': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export function serve(root, port = 0, mounts = {}) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (path.includes('..')) {
      res.writeHead(403).end();
      return;
    }
    const mount = Object.keys(mounts).find((prefix) => path.startsWith(prefix));
    const file = mount
      ? join(mounts[mount], path.slice(mount.length))
      : join(root, path === '/' ? 'page/index.html' : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () => resolve({ server, port: server.address().port })),
  );
}
