// Types of scripts/test-outcomes-reporter.mjs, for the TypeScript tests that read its record.

/** Where the record is written, relative to vitest's root. */
export declare const OUTCOMES_FILE: '.cache/test-outcomes.json';

/** One test as the record keeps it. */
export interface TestOutcome {
  name: string;
  state: 'passed' | 'failed' | 'skipped' | 'pending';
  mode: 'run' | 'only' | 'skip' | 'todo';
  /** The first error of its suites or file (a failed beforeAll), or null. */
  setUpError: string | null;
}

/** One test file as the record keeps it. */
export interface FileOutcome {
  file: string;
  state: 'not started' | 'queued' | 'pending' | 'passed' | 'failed' | 'skipped';
  /** First lines of the errors of the file and its suites (failed hooks, a failed import). */
  errors: string[];
  tests: TestOutcome[];
}

/** What a vitest run left behind. */
export interface OutcomesRecord {
  reason: 'passed' | 'failed' | 'interrupted';
  unhandledErrors: string[];
  files: FileOutcome[];
}

/** Writes OUTCOMES_FILE under vitest's root at the end of every run. */
export default class TestOutcomesReporter {}
