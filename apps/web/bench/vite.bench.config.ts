// The keystroke benchmark page: the playground's engine worker without the page around it.
import path from 'node:path';
import { defineConfig, mergeConfig } from 'vite';
import base from '../vite.config';

const repoRoot = path.resolve(__dirname, '../../..');

export default mergeConfig(
  base,
  defineConfig({
    root: __dirname,
    build: {
      outDir: path.join(repoRoot, 'dist/apps/web-bench'),
      rollupOptions: { input: path.join(__dirname, 'keystroke.html') },
    },
  }),
);
