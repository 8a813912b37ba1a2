// Vitest global setup: compile the main process and the renderer once, so CLI and browser tests run what users run.
import { execFileSync } from 'node:child_process';

/** Builds out/main and out/renderer before any test file runs (unless the test command has just built them). */
export default function setup(): void {
  if (process.env.FUNSCRIBE_PREBUILT === '1') return;
  execFileSync('npm', ['run', '--silent', 'build:main'], { stdio: 'inherit' });
  execFileSync('npm', ['run', '--silent', 'build:renderer'], { stdio: 'inherit' });
}
