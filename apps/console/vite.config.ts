import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// The local stack serves `dist/` under /_imgpipe/ on its edge port; the API and the buckets share that origin.
export default defineConfig(({ command }) => ({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/_imgpipe/',
  // The devtools bridge is for `nx run console:dev` only: in a production build the preset's devtools
  // plugin still rewrites the entry without a source map, and Vite warns on every build (`npm start`).
  plugins: [preact({ devToolsEnabled: command === 'serve' })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    // `nx run console:dev` against a running `npm start`.
    proxy: {
      '/_imgpipe/api': 'http://127.0.0.1:4566',
      '/_imgpipe/health': 'http://127.0.0.1:4566',
      '/_api': 'http://127.0.0.1:4566',
      '/_cdn': 'http://127.0.0.1:4566',
      '/imgpipe-source': 'http://127.0.0.1:4566',
      '/imgpipe-derived': 'http://127.0.0.1:4566',
    },
  },
}));
