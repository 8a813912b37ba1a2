// A vitest reporter that records what happened to every test file, for scripts/count-tests.mjs: each test with its
// result and whether it was meant to run, the errors of files and suites (a failed beforeAll, a failed import), and
// every file vitest was asked to run, so that tests which never ran (a failed global set-up, a crashed worker) can
// still be counted. vitest's own JSON report cannot tell a test skipped by a failed beforeAll from an `it.skip`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where the record is written, relative to vitest's root. */
export const OUTCOMES_FILE = '.cache/test-outcomes.json';

/** The first line of an error, as vitest serialised it. */
function messageOf(error) {
  return String(error?.message ?? error).split('\n')[0];
}

/** The first error of the test's suites or file: the set-up that kept it from running. */
function setUpError(test) {
  for (let parent = test.parent; parent; parent = parent.type === 'module' ? undefined : parent.parent) {
    const [error] = parent.errors();
    if (error) return messageOf(error);
  }
  return null;
}

/** The outcome of one test file; `testModule` is undefined when the file never started. */
function fileOutcome(file, testModule) {
  if (!testModule) return { file, state: 'not started', errors: [], tests: [] };
  const suites = [testModule, ...testModule.children.allSuites()];
  return {
    file,
    state: testModule.state(),
    errors: suites.flatMap((suite) => suite.errors().map(messageOf)),
    tests: [...testModule.children.allTests()].map((test) => ({
      name: test.fullName,
      state: test.result().state,
      mode: test.options.mode,
      setUpError: setUpError(test),
    })),
  };
}

/** Writes OUTCOMES_FILE under vitest's root at the end of every run. */
export default class TestOutcomesReporter {
  #root = process.cwd();
  #files = [];

  onInit(vitest) {
    this.#root = vitest.config.root;
  }

  onTestRunStart(specifications) {
    this.#files = specifications.map((specification) => specification.moduleId);
  }

  onTestRunEnd(testModules, unhandledErrors, reason) {
    const byFile = new Map(testModules.map((testModule) => [testModule.moduleId, testModule]));
    const files = [...new Set([...this.#files, ...byFile.keys()])];
    const record = {
      reason,
      unhandledErrors: unhandledErrors.map(messageOf),
      files: files.map((file) => fileOutcome(file, byFile.get(file))),
    };
    const path = join(this.#root, OUTCOMES_FILE);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${JSON.stringify(record, null, 2)}\n`);
  }
}
