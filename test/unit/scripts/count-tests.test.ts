// scripts/count-tests.mjs on the records of real vitest runs over throw-away test files in a temp folder (outside the
// include glob): a failed beforeAll, a failed import, a failed global set-up and a killed worker each count every test
// they kept from running, while `it.skip`, `it.todo` and a test that skipped itself count neither way.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countTests, declaredTestCount } from '../../../scripts/count-tests.mjs';
import { OUTCOMES_FILE, type OutcomesRecord } from '../../../scripts/test-outcomes-reporter.mjs';
import { makeTempDir } from '../../helpers/temp-dir.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const COUNTER = join(ROOT, 'scripts/count-tests.mjs');
const run = promisify(execFile);

interface VitestRun {
  code: number;
  record: OutcomesRecord;
  recordPath: string;
}

/** The environment without the outer vitest's worker variables, so the inner run behaves as a fresh one. */
function freshEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')));
}

/** Writes `files` into `dir` and runs vitest there with the outcomes reporter; `config` extends its test options. */
async function runVitest(dir: string, files: Record<string, string>, config = ''): Promise<VitestRun> {
  for (const [name, source] of Object.entries(files)) await writeFile(join(dir, name), source);
  await writeFile(
    join(dir, 'vitest.config.mjs'),
    `export default { test: { include: ['*.case.ts'], pool: 'forks', ${config} } };\n`,
  );
  const args = ['run', '--root', dir, '--reporter', join(ROOT, 'scripts/test-outcomes-reporter.mjs')];
  const code = await run(join(ROOT, 'node_modules/.bin/vitest'), args, { cwd: dir, env: freshEnv() }).then(
    () => 0,
    (error: { code?: number }) => error.code ?? -1,
  );
  const recordPath = join(dir, OUTCOMES_FILE);
  return { code, record: JSON.parse(await readFile(recordPath, 'utf8')) as OutcomesRecord, recordPath };
}

const SET_UP_FAILURES = {
  'docker-setup.case.ts': `import { beforeAll, describe, it } from 'vitest';
describe('needs Docker', () => {
  beforeAll(() => { throw new Error('Docker is not running'); });
  it('starts an engine', () => {});
  it('stops an engine', () => {});
  it.skip('is skipped on purpose', () => {});
  describe('nested', () => { it('pulls an image', () => {}); });
});
describe('needs nothing', () => { it('passes', () => {}); });
`,
  'chromium-setup.case.ts': `import { beforeAll, it } from 'vitest';
beforeAll(() => { throw new Error('Chromium is not installed'); });
it('opens the page', () => {});
it('clicks a button', () => {});
it.todo('some day');
`,
  'broken-import.case.ts': `import { it } from 'vitest';
import { missing } from './missing.js';
it('uses the import', () => { missing(); });
it('does not', () => {});
`,
  'ordinary.case.ts': `import { expect, it } from 'vitest';
it('passes', () => {});
it('fails', () => { expect(1).toBe(2); });
it.skip('is skipped on purpose', () => {});
it('skips itself', (context) => { context.skip(); });
`,
  'teardown.case.ts': `import { afterAll, it } from 'vitest';
afterAll(() => { throw new Error('could not remove the container'); });
it('passes before the teardown fails', () => {});
`,
};

describe('a run with failed set-ups', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  let result: VitestRun;

  beforeAll(async () => {
    dir = await makeTempDir('count-tests');
    result = await runVitest(dir.path, SET_UP_FAILURES);
  });

  afterAll(() => dir?.remove());

  it('counts every test a failed beforeAll or import kept from running, and a failed teardown once', () => {
    expect(result.code).not.toBe(0);
    const { passed, failed, notes } = countTests(result.record);
    expect(notes.join('\n')).toMatch(/docker-setup.case.ts: 3 failed: .*not run: Docker is not running/);
    expect(notes.join('\n')).toMatch(
      /chromium-setup.case.ts: 2 failed: .*not run: Chromium is not installed/,
    );
    expect(notes.join('\n')).toMatch(/broken-import.case.ts: 2 failed, its tests did not run: .*missing\.js/);
    expect(notes.join('\n')).toMatch(/ordinary.case.ts: 1 failed: fails \(failed\)/);
    expect(notes.join('\n')).toMatch(
      /teardown.case.ts: 1 failed: the file failed: could not remove the container/,
    );
    expect({ passed, failed }).toEqual({ passed: 3, failed: 3 + 2 + 2 + 1 + 1 });
  });

  it('prints "<passed> <failed>" for scripts/test-all.sh', async () => {
    const { stdout } = await run(process.execPath, [COUNTER, result.recordPath], { cwd: dir.path });
    expect(stdout).toBe('3 9\n');
  });
});

describe('runs in which tests never started', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;

  beforeAll(async () => {
    dir = await makeTempDir('count-tests-unstarted');
  });

  afterAll(() => dir?.remove());

  it('counts every declared test as failed when the global set-up fails', async () => {
    const result = await runVitest(
      dir.path,
      {
        'setup.mjs': `export default function () { throw new Error('the build failed'); }\n`,
        'first.case.ts': `import { it } from 'vitest';\nit('a', () => {});\nit('b', () => {});\n`,
        'second.case.ts': `import { it } from 'vitest';\nfor (const n of [1, 2]) it.each([n])('c%s', () => {});\n`,
      },
      `globalSetup: ['./setup.mjs']`,
    );
    expect(result.code).not.toBe(0);
    expect(countTests(result.record)).toMatchObject({ passed: 0, failed: 3 });
  });

  it('counts the tests of a killed worker that never reported a result as failed', async () => {
    const result = await runVitest(dir.path, {
      'first.case.ts': `import { it } from 'vitest';\nit('a', () => {});\n`,
      'second.case.ts': `import { it } from 'vitest';\nit('b', () => {});\n`,
      'crash.case.ts': `import { it } from 'vitest';
it('before the crash', () => {});
it('crashes', () => { process.kill(process.pid, 'SIGKILL'); });
it('after the crash', () => {});
`,
    });
    expect(result.code).not.toBe(0);
    const { passed, failed, notes } = countTests(result.record);
    const crashNote = notes.find((note) => note.includes('crash.case.ts'));
    expect(crashNote).toMatch(/crashes \(never finished\).*after the crash \(never finished\)/);
    expect(passed).toBeGreaterThanOrEqual(2);
    expect(passed).toBeLessThanOrEqual(3);
    expect(failed - result.record.unhandledErrors.length).toBe(5 - passed);
  });
});

describe('counting declared tests in a file that could not be loaded', () => {
  it('counts it, test and their modifiers, but not skipped, todo or commented-out tests', () => {
    const source = `
      it('one', () => {});
      test('two', () => {});
      it.each([1, 2])('three %s', () => {});
      test.concurrent('four', async () => {});
      it.skip('skipped', () => {});
      it.todo('todo');
      // it('commented out', () => {});
      /* test('also commented out') */
      submit('not a test');
      const url = 'http://example.org/it(';
      describe('a suite', () => { it('five', () => {}); });
    `;
    expect(declaredTestCount(source)).toBe(5);
  });
});
