// For tests of the app's Linux recordings, where main records the system audio itself: a library whose services
// record it from a PulseAudio daemon of the test file's own (its default output 'meeting', whose monitor is the default
// monitor; main's ffmpeg finds the daemon through XDG_RUNTIME_DIR and HOME, given back on close), and the ffmpeg
// processes this test process runs.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createAppService, type AppService } from '../../../src-main/application/app-service.js';
import type { EmitEvent } from '../../../src-main/application/events.js';
import { createServices, type Services } from '../../../src-main/services.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { NO_DOCKER } from './call-audio.js';
import { startPulseDaemon, type PulseDaemon } from './pulse-daemon.js';

const run = promisify(execFile);

/** The sink the daemon plays into, and the default output whose monitor main records. */
export const MEETING_SINK = 'meeting';

/** A temp folder, the daemon, the services and the application service on them. */
export interface MonitorLibrary {
  data: Awaited<ReturnType<typeof makeTempDir>>;
  pulse: PulseDaemon;
  services: Services;
  app: AppService;
  /** Closes the services, gives the environment back, stops the daemon and removes the folder. */
  close(): Promise<void>;
}

/** Starts the daemon and a library in a temp folder named after `name`; the service's events go to `emit`. */
export async function startMonitorLibrary(name: string, emit: EmitEvent): Promise<MonitorLibrary> {
  const data = await makeTempDir(name);
  const savedEnv = { XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR, HOME: process.env.HOME };
  let pulse: PulseDaemon | undefined;
  let services: Services | undefined;
  const close = async (): Promise<void> => {
    delete process.env.PULSE_SERVER;
    await services?.close();
    Object.assign(process.env, savedEnv);
    await pulse?.stop();
    await data.remove();
  };
  try {
    pulse = await startPulseDaemon([MEETING_SINK]);
    Object.assign(process.env, { XDG_RUNTIME_DIR: pulse.env.XDG_RUNTIME_DIR, HOME: pulse.env.HOME });
    services = await createServices({
      dataDir: join(data.path, 'library'),
      env: NO_DOCKER,
      systemAudioFromMonitor: true,
    });
    return { data, pulse, services, app: createAppService(services, emit), close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The ffmpeg processes this test process started that are still running: pid and command line. */
export async function ffmpegChildren(): Promise<{ pid: number; args: string }[]> {
  const { stdout } = await run('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)]).catch(() => ({
    stdout: '',
  }));
  return stdout
    .split('\n')
    .filter((line) => line.includes('ffmpeg'))
    .map((line) => ({ pid: Number.parseInt(line, 10), args: line.trim() }));
}
