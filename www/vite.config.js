import { defineConfig } from 'vite';

// The page is plain ES modules; the training worker is a module worker that
// imports the wasm-pack output in ./pkg (built by `make wasm`).
export default defineConfig({
  base: './',
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
  preview: { host: 'localhost' },
});
