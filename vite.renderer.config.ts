// Builds the Svelte renderer into out/renderer, loaded by the app with loadFile (hence relative asset paths).
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./src-renderer', import.meta.url)),
  base: './',
  plugins: [svelte({ configFile: false })],
  // Vitest runs in Node: ask for Svelte's client build there too. Vite's own defaults already do for `vite build`.
  resolve: process.env.VITEST ? { conditions: ['browser'] } : {},
  build: {
    outDir: fileURLToPath(new URL('./out/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome140',
    sourcemap: true,
  },
});
