// Links bin/funscribe.js into node_modules/.bin so `npx funscribe` works inside a checkout
// (npm links the bins of dependencies there, never the root package's own).
import { mkdirSync, rmSync, symlinkSync, chmodSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'bin', 'funscribe.js');
const binDir = join(root, 'node_modules', '.bin');
const link = join(binDir, 'funscribe');
mkdirSync(binDir, { recursive: true });
rmSync(link, { force: true });
symlinkSync(relative(binDir, target), link);
chmodSync(target, 0o755);
