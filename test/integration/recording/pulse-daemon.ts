// A PulseAudio daemon of its own for a test file (toolchain.md §6b): null sinks whose monitors are sources, so a file
// played into a sink is what `funscribe record` hears. It fails with the reason when PulseAudio cannot start.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A running daemon: the environment that reaches it, playing a file into a sink, pactl, and stopping it. */
export interface PulseDaemon {
  env: NodeJS.ProcessEnv;
  /** Plays a WAV file into the sink and resolves when it has been played. */
  play(sink: string, wavPath: string): Promise<void>;
  /** Runs `pactl` against the daemon (e.g. load-module) and resolves to what it printed, trimmed. */
  pactl(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** Options of `startPulseDaemon`. */
export interface PulseDaemonOptions {
  /**
   * Keep an output when the last sink goes (module-always-sink; default true). Off, the sinks given are the only ones
   * and a source can go with nothing left for PulseAudio to move its recording streams to.
   */
  alwaysSink?: boolean;
}

/** Starts `pulseaudio` with a null sink for each name; the first one is the default output. */
export async function startPulseDaemon(
  sinks: string[],
  options: PulseDaemonOptions = {},
): Promise<PulseDaemon> {
  const runtimeDir = await mkdtemp(join(tmpdir(), 'funscribe-pulse-'));
  const env = { ...process.env, XDG_RUNTIME_DIR: runtimeDir, HOME: runtimeDir };
  const modules = sinks.map((name) => `--load=module-null-sink sink_name=${name}`);
  if (options.alwaysSink ?? true) modules.push('--load=module-always-sink');
  try {
    await run(
      'pulseaudio',
      ['-D', '--exit-idle-time=-1', '-n', '--load=module-native-protocol-unix', ...modules],
      { env, timeout: 30_000 },
    );
    if (sinks[0] !== undefined) await run('pactl', ['set-default-sink', sinks[0]], { env, timeout: 30_000 });
  } catch (error) {
    await rm(runtimeDir, { recursive: true, force: true });
    const { message, stderr } = error as Error & { stderr?: string };
    throw new Error(
      `PulseAudio could not start (install it with scripts/install-test-deps.sh): ${message}\n${stderr ?? ''}`,
      { cause: error },
    );
  }
  return {
    env,
    async play(sink, wavPath) {
      await run('paplay', ['-d', sink, wavPath], { env, timeout: 60_000 });
    },
    async pactl(...args) {
      const { stdout } = await run('pactl', args, { env, timeout: 30_000 });
      return stdout.trim();
    },
    async stop() {
      await run('pulseaudio', ['--kill'], { env, timeout: 30_000 }).catch(() => undefined);
      await rm(runtimeDir, { recursive: true, force: true });
    },
  };
}
