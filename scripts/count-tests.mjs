// Counts passed and failed tests honestly from the record of scripts/test-outcomes-reporter.mjs:
// - a test that was meant to run but did not, because a beforeAll of its suite or file failed, counts as failed;
// - a file that never got as far as listing its tests (a failed import, a failed global set-up, a crashed worker)
//   counts as many failures as the tests it declares (at least one);
// - a file or suite error that failed no test (an afterAll that threw) and every unhandled error count one each;
// - `it.skip`, `it.todo` and tests that skipped themselves count neither way.
// Run as `node scripts/count-tests.mjs [record]`: prints what it counted as failed, and why, on stderr and
// "<passed> <failed>" on stdout.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { OUTCOMES_FILE } from './test-outcomes-reporter.mjs';

/** Calls that declare a test: it(…), test(…), it.each(…)(…), test.concurrent(…), but not it.skip or it.todo. */
const TEST_DECLARATION = /(?<![\w$./])(?:it|test)((?:\.\w+)*)(?:\(|`)/g;

/** Lines and blocks of comments, dropped before declarations are counted. */
const COMMENT = /\/\*[\s\S]*?\*\/|(?<![:'"`\w])\/\/.*$/gm;

/** How many tests a source file declares, counted from its text (a test declared in a loop counts once). */
export function declaredTestCount(source) {
  let count = 0;
  for (const [, modifiers] of source.replace(COMMENT, '').matchAll(TEST_DECLARATION)) {
    if (!/\.(?:skip|todo)\b/.test(modifiers)) count += 1;
  }
  return count;
}

/** Whether a test was written to run (not `it.skip` or `it.todo`, and not left out by an `.only` elsewhere). */
function meantToRun(test) {
  return test.mode === 'run' || test.mode === 'only';
}

/** Why a test that was meant to run counts as failed, or null when it does not. */
function failureReason(test, reason) {
  if (test.state === 'failed') return 'failed';
  if (test.state === 'passed' || !meantToRun(test)) return null;
  if (test.state === 'pending') return 'never finished';
  if (test.setUpError) return `not run: ${test.setUpError}`;
  return reason === 'interrupted' ? 'not run: the run was interrupted' : null;
}

/** The failures of a file that listed no tests: as many as it declares, at least one. */
function unlistedFailures(file, readSource) {
  let declared = 0;
  try {
    declared = declaredTestCount(readSource(file.file));
  } catch {
    // An unreadable file still failed once.
  }
  const why =
    file.errors[0] ?? `the file ${file.state === 'not started' ? 'never started' : 'did not finish'}`;
  return { count: Math.max(1, declared), why: `its tests did not run: ${why}` };
}

/**
 * Counts a record written by test-outcomes-reporter.mjs. `readSource` reads a test file, for files that failed
 * before listing their tests. Returns the counts and one note per file that has failures.
 */
export function countTests(record, readSource = (path) => readFileSync(path, 'utf8')) {
  let passed = 0;
  let failed = record.unhandledErrors.length;
  const notes = record.unhandledErrors.map((message) => `unhandled error: ${message}`);
  for (const file of record.files) {
    const name = relative(process.cwd(), file.file);
    if (file.tests.length === 0) {
      const { count, why } = unlistedFailures(file, readSource);
      failed += count;
      notes.push(`${name}: ${count} failed, ${why}`);
      continue;
    }
    const reasons = [];
    for (const test of file.tests) {
      if (test.state === 'passed') passed += 1;
      const why = failureReason(test, record.reason);
      if (why) reasons.push(`${test.name} (${why})`);
    }
    if (reasons.length === 0 && file.errors.length > 0) reasons.push(`the file failed: ${file.errors[0]}`);
    failed += reasons.length;
    if (reasons.length > 0) notes.push(`${name}: ${reasons.length} failed: ${reasons.join('; ')}`);
  }
  return { passed, failed, notes };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { passed, failed, notes } = countTests(
    JSON.parse(readFileSync(process.argv[2] ?? OUTCOMES_FILE, 'utf8')),
  );
  for (const note of notes) console.error(note);
  console.log(`${passed} ${failed}`);
}
