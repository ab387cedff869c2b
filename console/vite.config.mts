// The console's own build: static files in console/dist, served by the API at `/` (src/console).
// Everything is bundled — the console loads nothing from another origin, so it works offline.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
  server: {
    // `npm run console:dev`: Vite on :5173, the API (npm start) on :8000.
    proxy: { '/api': { target: 'http://127.0.0.1:8000', changeOrigin: false } },
  },
});
