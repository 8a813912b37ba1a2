// The lint's dependency rules bite: dependency-cruiser, run with the arguments `npm run lint` gives it, finds nothing on
// the real tree, and on a copy of the source folders it reports each deliberately added wrong import under the rule
// that forbids it (an upward import, an import between sibling layers, a file circle of type-only imports, a module
// outside every layer, the database driver outside store/, src-shared reaching a Node built-in, the renderer reaching a
// Node package or src-main). ESLint refuses a renderer file that imports src-main.
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../helpers/temp-dir.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);
const CRUISE_TIMEOUT_MS = 180_000;

/** What the copy needs beside the cruised folders: the rules and what they read (package.json, the tsconfigs). */
const COPIED = ['.dependency-cruiser.mjs', 'package.json', 'tsconfig.json', 'tsconfig.base.json'];

/** Files added to the copy, each with one import the rules forbid. */
const PROBES: Record<string, string> = {
  'src-main/store/__upward_probe.ts':
    "import * as queue from '../jobs/queue.js';\nexport const probe = queue;\n",
  'src-main/cli/__sibling_probe.ts': "import * as main from '../app/main.js';\nexport const probe = main;\n",
  'src-main/util/__circle_a.ts':
    "import type { B } from './__circle_b.js';\nexport interface A {\n  b?: B;\n}\n",
  'src-main/util/__circle_b.ts':
    "import type { A } from './__circle_a.js';\nexport interface B {\n  a?: A;\n}\n",
  'src-main/__stray_probe.ts':
    "import { FunscribeError } from './util/errors.js';\nexport const probe = FunscribeError;\n",
  'src-main/jobs/__database_probe.ts':
    "import type { Database } from 'better-sqlite3';\nexport type Probe = Database;\n",
  'src-shared/__probe.ts': "import { join } from 'node:path';\nexport const probe = join;\n",
  'src-renderer/lib/__package_probe.ts': "import { WebSocket } from 'ws';\nexport const probe = WebSocket;\n",
  'src-renderer/lib/__probe.svelte':
    '<script lang="ts">\n  import { toErrorInfo } from \'../../src-main/util/errors.js\';\n</script>\n\n' +
    '<p>{toErrorInfo(null).message}</p>\n',
};

/** One reported violation, as `rule: from → to`. */
type Violation = string;

/** The depcruise arguments of `npm run lint` (its options and the folders it cruises). */
async function lintCruiseArgs(): Promise<string[]> {
  const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: { lint: string };
  };
  const command = manifest.scripts.lint
    .split('&&')
    .map((part) => part.trim())
    .find((part) => part.startsWith('depcruise '));
  if (command === undefined) throw new Error('npm run lint does not run depcruise');
  return command.split(/\s+/).slice(1);
}

/** The folders `npm run lint` cruises: its depcruise arguments that name a folder of the repository. */
async function cruisedFolders(): Promise<string[]> {
  const args = await lintCruiseArgs();
  const isFolder = await Promise.all(
    args.map((arg) =>
      stat(join(ROOT, arg)).then(
        (found) => found.isDirectory(),
        () => false,
      ),
    ),
  );
  return args.filter((_, index) => isFolder[index]);
}

/** Runs depcruise in `dir` as the lint does, plus `extraArgs`: its exit code and what it printed. */
async function depcruise(dir: string, extraArgs: string[] = []): Promise<{ code: number; stdout: string }> {
  const args = [...(await lintCruiseArgs()), ...extraArgs];
  const options = { cwd: dir, maxBuffer: 256 * 1024 * 1024 };
  return run(join(ROOT, 'node_modules/.bin/depcruise'), args, options).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code?: number; stdout?: string }) => ({ code: error.code ?? -1, stdout: error.stdout ?? '' }),
  );
}

/** The violations depcruise finds in `dir` (from its JSON output, which replaces the lint's and exits 0), sorted. */
async function violations(dir: string): Promise<Violation[]> {
  const result = JSON.parse((await depcruise(dir, ['--output-type', 'json'])).stdout) as {
    summary: { violations: { rule: { name: string }; from: string; to: string }[] };
  };
  return result.summary.violations.map(({ rule, from, to }) => `${rule.name}: ${from} → ${to}`).sort();
}

describe('dependency rules of npm run lint', () => {
  let copy: { path: string; remove: () => Promise<void> };

  beforeAll(async () => {
    copy = await makeTempDir('layering');
    for (const name of [...(await cruisedFolders()), ...COPIED])
      await cp(join(ROOT, name), join(copy.path, name), { recursive: true });
    await symlink(join(ROOT, 'node_modules'), join(copy.path, 'node_modules'), 'dir');
  });

  afterAll(async () => {
    await copy?.remove();
  });

  it(
    'finds no violation in the real tree',
    async () => {
      const lint = await depcruise(ROOT);
      expect(lint.stdout).toContain('no dependency violations found');
      expect(lint.code).toBe(0);
    },
    CRUISE_TIMEOUT_MS,
  );

  it(
    'reports each added wrong import under the rule that forbids it, and fails',
    async () => {
      const before = await violations(copy.path);
      for (const [name, source] of Object.entries(PROBES)) {
        await mkdir(dirname(join(copy.path, name)), { recursive: true });
        await writeFile(join(copy.path, name), source);
      }
      const added = (await violations(copy.path)).filter((violation) => !before.includes(violation));
      expect(added).toEqual([
        'database-only-in-store: src-main/jobs/__database_probe.ts → node_modules/better-sqlite3/lib/index.js',
        'layering/cli: src-main/cli/__sibling_probe.ts → src-main/app/main.ts',
        'layering/store: src-main/store/__upward_probe.ts → src-main/jobs/queue.ts',
        'no-circular: src-main/util/__circle_a.ts → src-main/util/__circle_b.ts',
        'renderer-imports-only-src-shared: src-renderer/lib/__package_probe.ts → node_modules/ws/wrapper.mjs',
        'renderer-imports-only-src-shared: src-renderer/lib/__probe.svelte → src-main/util/errors.ts',
        'src-main-outside-the-layers: src-main/__stray_probe.ts → src-main/util/errors.ts',
        'src-shared-stands-alone: src-shared/__probe.ts → path',
      ]);
      const lint = await depcruise(copy.path);
      expect(lint.stdout).toContain(
        'error layering/store: src-main/store/__upward_probe.ts → src-main/jobs/queue.ts',
      );
      expect(lint.code).not.toBe(0);
    },
    2 * CRUISE_TIMEOUT_MS,
  );
});

describe('ESLint in src-renderer', () => {
  const eslint = new ESLint({ cwd: ROOT });

  /** The messages of no-restricted-imports for `code` linted as the renderer file `name`. */
  async function restrictedImports(name: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: join(ROOT, 'src-renderer', name) });
    return (result?.messages ?? [])
      .filter((message) => message.ruleId === 'no-restricted-imports')
      .map((message) => message.message);
  }

  it('refuses an import of src-main in a TypeScript file and a Svelte component, type-only ones included', async () => {
    const typeImport =
      "import type { Services } from '../../src-main/services.js';\nexport type S = Services;\n";
    const valueImport =
      "import { toErrorInfo } from '../../src-main/util/errors.js';\nexport const f = toErrorInfo;\n";
    const component = `<script lang="ts">\n  ${valueImport.split('\n')[0]}\n  console.log(toErrorInfo);\n</script>\n`;
    for (const [name, code] of [
      ['lib/__probe.ts', typeImport],
      ['lib/__probe.ts', valueImport],
      ['lib/__probe.svelte', component],
    ] as const) {
      const messages = await restrictedImports(name, code);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain('The renderer imports only src-shared and itself');
    }
  }, 120_000);

  it('lets the renderer import src-shared', async () => {
    const code = "import { formatClock } from '../../src-shared/time.js';\nexport const f = formatClock;\n";
    expect(await restrictedImports('lib/__probe.ts', code)).toEqual([]);
  }, 120_000);
});
