// Reading the log of a container's current run from a real Docker daemon: Docker stamps a run's first lines a few ms
// before it records StartedAt, so a `since` of StartedAt loses them (a server failing at once would fail silently), and
// a run's last lines a few ms after the FinishedAt it records, so a `since` of FinishedAt keeps them in the next run.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELS } from '../../../src-main/engine/container-spec.js';
import { connectDocker } from '../../../src-main/engine/docker-connection.js';
import { DockerEngine } from '../../../src-main/engine/docker-engine.js';
import { currentRunSince, nextRunSince } from '../../../src-main/engine/readiness.js';
import { requireSimImage } from './engine-test-kit.js';

const docker = connectDocker();
const engine = new DockerEngine(docker);
const instance = `run-logs-${randomBytes(3).toString('hex')}`;
/** Several containers at once: the early stamping happens often but not always. */
const COPIES = 4;
/** Counts its runs in the container's own file system and prints the number at once. */
const COUNT_RUNS = 'n=$(cat /tmp/runs 2>/dev/null || echo 0); n=$((n+1)); echo $n > /tmp/runs; echo "run $n"';
/** Runs until stopped, printing a last line as it exits on SIGTERM (as a server does), stamped as it ends. */
const RUN_UNTIL_STOPPED = `trap 'echo "run $n ends"; exit 0' TERM; ${COUNT_RUNS}; sleep 30 & wait`;
let image: string;

/** Creates a container of the stand-in image running `script`, labelled as this file's. */
function create(script: string): Promise<string> {
  return engine.create({
    Image: image,
    Entrypoint: [],
    Cmd: ['/bin/sh', '-c', script],
    Labels: { [LABELS.managed]: 'true', [LABELS.instance]: instance },
  });
}

/** The lines of a running container's current run, as the engine status reads them. */
async function currentRun(id: string): Promise<string[]> {
  const info = await engine.inspect(id);
  return engine.logs(id, { since: currentRunSince(info!.State) });
}

/** Waits until `check` holds, polling (bounded). */
async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
}

beforeAll(async () => {
  image = (await requireSimImage(docker)).localTag;
});

afterAll(async () => {
  for (const container of await engine.findManaged(instance)) await engine.remove(container.id);
});

describe('the log of the current run', () => {
  it('reads a run that failed at once from where the run before ended, as a start does', async () => {
    const ids = await Promise.all(Array.from({ length: COPIES }, () => create(`${COUNT_RUNS}; exit 3`)));
    await Promise.all(ids.map((id) => engine.start(id)));
    await Promise.all(ids.map((id) => docker.getContainer(id).wait()));
    const since = await Promise.all(
      ids.map(async (id) => nextRunSince((await engine.inspect(id))!.State, await engine.lastLogTime(id))),
    );
    await Promise.all(ids.map((id) => engine.start(id)));
    await Promise.all(ids.map((id) => docker.getContainer(id).wait()));
    for (const [index, id] of ids.entries()) {
      expect(await engine.logs(id, { since: since[index] })).toEqual(['run 2']);
    }
  });

  it('reads a restarted run that is running, its first lines and none of the run before, even its last line', async () => {
    const ids = await Promise.all(Array.from({ length: COPIES }, () => create(RUN_UNTIL_STOPPED)));
    for (const id of ids) await engine.start(id);
    await Promise.all(ids.map((id) => until(async () => (await engine.logs(id)).includes('run 1'))));
    await Promise.all(ids.map((id) => engine.stop(id)));
    await Promise.all(ids.map((id) => engine.start(id)));
    await Promise.all(ids.map((id) => until(async () => (await engine.logs(id)).includes('run 2'))));
    for (const id of ids) {
      expect(await engine.logs(id)).toEqual(['run 1', 'run 1 ends', 'run 2']);
      expect((await engine.inspect(id))?.State.Running).toBe(true);
      expect(await currentRun(id)).toEqual(['run 2']);
    }
  });
});
