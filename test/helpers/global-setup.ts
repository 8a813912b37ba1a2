// Vitest global setup: compile the main process once so CLI tests run the same JavaScript users run.
import { execFileSync } from 'node:child_process';

/** Builds out/main before any test file runs. */
export default function setup(): void {
  execFileSync('npm', ['run', '--silent', 'build:main'], { stdio: 'inherit' });
}
