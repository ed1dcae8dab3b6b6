// A tiny, dependency-free static file server for the end-to-end test.
//
// Why not `python -m http.server` or an npm package: the test must be self-contained,
// must serve `.wasm` as `application/wasm` (WebAssembly.instantiateStreaming refuses any
// other type, and trunk's loader uses it), and must bind to 127.0.0.1 only, on a port the
// OS picks (port 0) so parallel runs never collide.
//
// Usage:
//   import { serve } from './static-server.mjs';
//   const { url, close } = await serve('/path/to/dist');   // url = 'http://127.0.0.1:PORT'
//   ...
//   await close();

import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Content type for a file name; unknown extensions are served as opaque bytes. */
export function contentType(file) {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Serves `dir` on 127.0.0.1 with an ephemeral port.
 * @param {string} dir directory to serve (e.g. trunk's `dist/`)
 * @param {{cors?: boolean}} options `cors`: let pages of any origin read the files
 *   (`Access-Control-Allow-Origin: *`), as a host of teachers' scenario files does
 * @returns {Promise<{url: string, close: () => Promise<void>}>}
 */
export async function serve(dir, { cors = false } = {}) {
  const root = path.resolve(dir);
  const rootStat = await stat(root).catch(() => null);
  if (!rootStat?.isDirectory()) {
    throw new Error(`static-server: ${root} is not a directory (build the app first?)`);
  }

  const server = createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      // The app routes with the URL hash, which browsers never send, so only the path
      // matters. Decode it, then resolve it inside the root and refuse anything that
      // escapes it (`..`, encoded slashes), so the server can't leak other files.
      let pathname;
      try {
        pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
      } catch {
        res.writeHead(400).end('bad request');
        return;
      }
      let file = path.join(root, pathname);
      if (file !== root && !file.startsWith(root + path.sep)) {
        res.writeHead(403).end('forbidden');
        return;
      }
      let info = await stat(file).catch(() => null);
      if (info?.isDirectory()) {
        file = path.join(file, 'index.html'); // "/" (and any directory) -> its index.html
        info = await stat(file).catch(() => null);
      }
      if (!info?.isFile()) {
        res.writeHead(404, {
          'Content-Type': 'text/plain; charset=utf-8',
          ...(cors ? { 'Access-Control-Allow-Origin': '*' } : {}),
        }).end('not found');
        return;
      }
      res.writeHead(200, {
        'Content-Type': contentType(file),
        'Content-Length': info.size,
        // Every test run must see the freshly built files, never a cached copy.
        'Cache-Control': 'no-store',
        ...(cors ? { 'Access-Control-Allow-Origin': '*' } : {}),
      });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      createReadStream(file)
        .on('error', () => res.destroy())
        .pipe(res);
    } catch (err) {
      if (!res.headersSent) res.writeHead(500).end(String(err));
      else res.destroy();
    }
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();

  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve, reject) => {
        // The browser may hold keep-alive sockets open; drop them so close() returns promptly.
        server.closeAllConnections?.();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
