import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

const clientRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: clientRoot,
  base: '/',
  // Nothing from public/ and no favicon requests to paths the server does not have.
  publicDir: false,
  plugins: [preact()],
  css: {
    preprocessorOptions: {
      scss: {
        loadPaths: [`${repoRoot}node_modules`],
        // govuk-frontend's own deprecation notices are not ours to fix.
        quietDeps: true,
      },
    },
  },
  // The proof-of-work worker imports libsodium: ES module workers keep it one chunk, loaded with `type: 'module'`.
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Inlined assets would become data: URLs for fonts or scripts; keep everything as files.
    assetsInlineLimit: 0,
  },
  server: {
    fs: { allow: [repoRoot] },
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
  preview: {
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
});
