// Bundles the sandboxed preload into one CommonJS file (out/preload/preload.cjs): a sandboxed preload can
// require only 'electron', so the contract it imports must be inlined.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'out/preload',
    emptyOutDir: true,
    target: 'chrome140',
    minify: false,
    sourcemap: false,
    lib: {
      entry: fileURLToPath(new URL('./src-main/app/preload.ts', import.meta.url)),
      formats: ['cjs'],
      fileName: () => 'preload.cjs',
    },
    rolldownOptions: {
      external: ['electron'],
    },
  },
});
