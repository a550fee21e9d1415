import { defineConfig } from 'vite';
import { offlinePlugin } from './offline-plugin.js';
import { samplesPlugin } from './samples-plugin.js';

// The page may load only its own files; wasm needs 'wasm-unsafe-eval' to be
// compiled, nothing else is relaxed (no inline script or style, no eval, no
// other origin). Sent as a header by `vite preview` (make serve) and written
// into index.html as a meta tag for any other static host.
const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const cspMeta = {
  name: 'content-security-policy-meta',
  transformIndexHtml: () => [{
    tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend',
  }],
};

// The page is plain ES modules; the training worker is a module worker that
// imports the wasm-pack output in ./pkg (built by `make wasm`).
export default defineConfig({
  base: './',
  plugins: [cspMeta, samplesPlugin(), offlinePlugin()],
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
  preview: {
    host: 'localhost',
    headers: { 'Content-Security-Policy': `${CSP}; frame-ancestors 'none'`, 'X-Content-Type-Options': 'nosniff' },
  },
});
