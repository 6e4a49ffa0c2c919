// Builds the playground page to dist/apps/web, which apps/api serves at `/` and `/embed/…`.
// The engine is bundled from its sources (it is pure TypeScript) for the Web Worker; the typed API
// client (@netplay/sdk) from its sources too.
import path from 'node:path';
import { defineConfig } from 'vite';

const repoRoot = path.resolve(__dirname, '../..');

export default defineConfig({
  root: __dirname,
  base: '/',
  resolve: {
    alias: {
      '@netplay/engine': path.join(repoRoot, 'libs/engine/src/index.ts'),
      '@netplay/grading': path.join(repoRoot, 'libs/grading/src/index.ts'),
      '@netplay/sdk': path.join(repoRoot, 'libs/sdk/src/index.ts'),
    },
  },
  build: {
    outDir: path.join(repoRoot, 'dist/apps/web'),
    emptyOutDir: true,
    target: 'es2022',
    // Budget: the critical path stays under 400 KB gzipped; the editor and the engine load apart.
    chunkSizeWarningLimit: 900,
  },
  worker: { format: 'es' },
  server: { proxy: { '/v1': 'http://localhost:3000', '/graphql': 'http://localhost:3000' } },
});
