// What the benches in Chromium share: the built renderer, and quantiles of measured times.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../test/e2e/bridge/page-fixture.js';

/** Builds the renderer when out/renderer has none. */
export function ensureRenderer(): void {
  if (existsSync(join(ROOT, 'out/renderer/index.html'))) return;
  execFileSync('npm', ['run', '--silent', 'build:renderer'], { cwd: ROOT, stdio: 'inherit' });
}

/** The value at fraction `q` of `values` (sorted here). */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/** A duration in whole ms. */
export const ms = (value: number): string => `${value.toFixed(0)} ms`;
