#!/usr/bin/env node
// Entry point of the `funscribe` command: runs the compiled CLI (built by `npm install` / `npm run build:main`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/src-main/cli/main.js', import.meta.url));
if (!existsSync(cli)) {
  console.error(
    'funscribe: the command line is not built yet. Run "npm install" (or "npm run build:main") first.',
  );
  process.exit(1);
}
const { main } = await import(pathToFileURL(cli).href);
await main();
