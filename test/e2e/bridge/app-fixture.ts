// What most browser tests start from: a fresh library in a temp folder with the real services, optionally the
// stand-in FunASR server set up as the remote engine, then the app opened in Chromium; and one `close` for all of it.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createServices, type Services, type ServicesOptions } from '../../../src-main/services.js';
import { startSimServer, type SimServer } from '../../funasr-sim/server.js';
import { generateConversation, MEETING_SCRIPT, type Conversation } from '../../fixtures/speech.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { openAppPage, ROOT, type AppPage, type AppPageOptions } from './page-fixture.js';

/** A temp folder and what removes it. */
export type TempDir = Awaited<ReturnType<typeof makeTempDir>>;

/** Options of `startAppFixture`. */
export interface AppFixtureOptions {
  /** The library's folder inside the temp folder (default: the temp folder itself). */
  libraryDir?: string;
  /** Start the stand-in FunASR server (offline protocol). */
  standIn?: {
    /** The language of its placeholder text (the stand-in's default when left out). */
    language?: 'zh' | 'en';
    /** Also make it the settings' remote engine, with this many files at once. */
    remoteConcurrency?: number;
  };
  /** Settings to save before the page opens. */
  settings?: Parameters<Services['updateSettings']>[0];
  /** The services' environment (e.g. a DOCKER_HOST nobody listens on). */
  env?: ServicesOptions['env'];
  /** Main records the system audio of two-channel recordings from the PulseAudio monitor (as the app on Linux). */
  systemAudioFromMonitor?: boolean;
  /** How long a deleted meeting can be restored (shortened by tests that wait for the purge). */
  meetingUndoWindowMs?: number;
  /** The speaker models offered (models a local HTTP server serves). */
  speakerModelCatalog?: ServicesOptions['speakerModelCatalog'];
}

/** The services of one test file, the stand-in, and the page once opened. */
export interface AppFixture {
  data: TempDir;
  services: Services;
  /** The stand-in server (throws when the options did not ask for it). */
  readonly sim: SimServer;
  /** Serves the built renderer and opens it in Chromium against these services. */
  open(options?: AppPageOptions): Promise<AppPage>;
  /** Closes the page, the services and the stand-in, and removes the temp folder. */
  close(): Promise<void>;
}

/** Makes a temp library named after `name`, with the real services and (if asked) the stand-in as remote engine. */
export async function startAppFixture(name: string, options: AppFixtureOptions = {}): Promise<AppFixture> {
  const data = await makeTempDir(name);
  let sim: SimServer | undefined;
  let services: Services | undefined;
  let app: AppPage | undefined;
  const close = async (): Promise<void> => {
    await app?.close();
    await services?.close();
    await sim?.close();
    await data.remove();
  };
  try {
    if (options.standIn) {
      const { language } = options.standIn;
      sim = await startSimServer({
        protocol: 'offline',
        port: 0,
        log: () => undefined,
        ...(language && { language }),
      });
    }
    const dataDir = options.libraryDir ? join(data.path, options.libraryDir) : data.path;
    const created = await createServices({
      dataDir,
      systemAudioFromMonitor: options.systemAudioFromMonitor,
      speakerModelCatalog: options.speakerModelCatalog,
      ...(options.env && { env: options.env }),
    });
    services =
      options.meetingUndoWindowMs === undefined
        ? created
        : { ...created, meetingUndoWindowMs: options.meetingUndoWindowMs };
    const concurrency = options.standIn?.remoteConcurrency;
    if (sim && concurrency !== undefined)
      services.updateSettings({ engineMode: 'remote', remoteEngines: [{ url: sim.url, concurrency }] });
    if (options.settings) services.updateSettings(options.settings);
  } catch (error) {
    await close();
    throw error;
  }
  const started = services;
  return {
    data,
    services: started,
    get sim(): SimServer {
      if (!sim) throw new Error('this fixture was started without the stand-in server');
      return sim;
    },
    async open(pageOptions) {
      app = await openAppPage(started, pageOptions);
      return app;
    },
    close,
  };
}

/** The four-turn meeting recording (English and Mandarin voices), generated once and cached. */
export async function meetingConversation(): Promise<Conversation> {
  const speechDir = join(ROOT, 'test/fixtures/generated/speech');
  await mkdir(speechDir, { recursive: true });
  return generateConversation(speechDir, 'meeting-4-turns', MEETING_SCRIPT);
}
