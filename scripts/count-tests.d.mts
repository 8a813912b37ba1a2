// Types of scripts/count-tests.mjs, for the TypeScript tests that import it.
import type { OutcomesRecord } from './test-outcomes-reporter.mjs';

/** Passed and failed tests of a run, and one note per file with failures. */
export interface TestCount {
  passed: number;
  failed: number;
  notes: string[];
}

/** How many tests a source file declares, counted from its text (a test declared in a loop counts once). */
export declare function declaredTestCount(source: string): number;
/** Counts a record written by test-outcomes-reporter.mjs; `readSource` reads files that listed no tests. */
export declare function countTests(record: OutcomesRecord, readSource?: (path: string) => string): TestCount;
