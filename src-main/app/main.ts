// The Electron main process. Boot is a list of setupX() steps; everything with logic lives in plain modules.
import {
  app,
  BrowserWindow,
  desktopCapturer,
  dialog,
  ipcMain,
  session,
  shell,
  systemPreferences,
  type WebContents,
} from 'electron';
import { dirname, join } from 'node:path';
import { eventChannel } from '../../src-shared/contract.js';
import { createAppService } from '../application/app-service.js';
import type { EmitEvent } from '../application/events.js';
import { createServices, type Services } from '../services.js';
import { startDataFolder } from '../application/data-folder-change.js';
import type { DataFolderChoice } from '../application/application-parts.js';
import { dataFolderLocationFile, platformDataDir } from '../util/data-dir.js';
import { toErrorInfo } from '../util/errors.js';
import { registerIpcRouter } from './ipc-router.js';
import { handleMediaScheme, registerMediaScheme } from './media-protocol.js';
import { launchUtilityWorker } from './utility-worker.js';
import { ensureRecordingAccess, type MediaAccessSystem } from './recording-access.js';
import { showRecordingIndicator } from './recording-indicator.js';
import {
  hidesInsteadOfClosing,
  STOP_BEFORE_QUIT_MS,
  stopsBeforeQuitting,
  trayLanguage,
} from './recording-tray.js';
import { watchRecordings } from './recording-watch.js';
import { grantsSystemAudio, MAC_LOOPBACK_FEATURES, withFeatures } from './system-audio.js';
import {
  isAppPageUrl,
  isAppResourceUrl,
  isPermissionAllowed,
  isPermissionCheckAllowed,
  isSafeExternalUrl,
  withContentSecurityPolicy,
} from './security-policy.js';

/** Names a better-sqlite3 addon built for Electron; set by scripts/start.mjs (see NATIVE_BINDING_ENV there). */
const NATIVE_BINDING_ENV = 'FUNSCRIBE_NATIVE_BINDING';

const INDEX_HTML = join(app.getAppPath(), 'out', 'renderer', 'index.html');
const PRELOAD = join(app.getAppPath(), 'out', 'preload', 'preload.cjs');
const TRAY_ICONS = join(app.getAppPath(), 'resources', 'tray');

let mainWindow: BrowserWindow | null = null;
let services: Services | null = null;
/** A recording is going on (the tray shows it, and closing the window only hides it). */
let recording = false;
let quitting = false;
let drawIndicator: ((recording: boolean) => void) | null = null;
/** Stops the recordings of a page that is gone (set once the IPC handlers are). */
let stopOrphanedRecordings: () => Promise<void> = () => Promise.resolve();
/** Set once a quit has asked the page to stop its recording: quits when it has stopped (or at the deadline). */
let quitAfterStop: (() => void) | null = null;

/** The addon of better-sqlite3 built for Electron (development checkouts), or undefined for the packaged app's. */
function nativeBinding(): string | undefined {
  return app.isPackaged ? undefined : process.env[NATIVE_BINDING_ENV];
}

/** FUNSCRIBE_DATA_DIR fixes the data folder; without it, the settings choose it through the location file. */
function dataFolderChoice(): DataFolderChoice | undefined {
  if (process.env.FUNSCRIBE_DATA_DIR) return undefined;
  return {
    locationFile: dataFolderLocationFile(),
    nativeBinding: nativeBinding(),
    pickFolder: async () => {
      const picked = await dialog.showOpenDialog({ properties: ['openDirectory', 'createDirectory'] });
      return picked.canceled ? null : (picked.filePaths[0] ?? null);
    },
  };
}

/** Opens the folder FUNSCRIBE_DATA_DIR names, else the settings' choice (making a change chosen for this start). */
async function setupDataDir(): Promise<void> {
  const choice = dataFolderChoice();
  const dir = choice
    ? await startDataFolder({ ...choice, defaultDir: platformDataDir() })
    : process.env.FUNSCRIBE_DATA_DIR;
  if (dir) app.setPath('userData', dir);
}

/** Returns false when another instance already runs; that one is focused and this one quits. */
function setupSingleInstance(): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    if (mainWindow) showWindow();
  });
  return true;
}

function openExternally(url: string): void {
  if (isSafeExternalUrl(url)) void shell.openExternal(url);
}

/** No navigation, no new windows, no webviews; http(s) links go to the system browser. */
function secureContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openExternally(url);
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
}

function setupSecurity(): void {
  app.on('web-contents-created', (_event, contents) => secureContents(contents));
}

/**
 * Runs once the app is ready: the CSP header on our own pages (file: responses may bypass webRequest, so
 * index.html carries the same policy as a <meta> tag), and only the permissions the page needs.
 */
function setupSession(): void {
  const rendererDir = dirname(INDEX_HTML);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppResourceUrl(details.url, rendererDir)) return callback({});
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    callback(
      isPermissionAllowed({ permission, requestingUrl: details.requestingUrl, mediaTypes }, INDEX_HTML),
    );
  });
  session.defaultSession.setPermissionCheckHandler((contents, permission, _origin, details) =>
    isPermissionCheckAllowed(
      permission,
      details.mediaType,
      details.requestingUrl ?? contents?.getURL() ?? '',
      INDEX_HTML,
    ),
  );
  session.defaultSession.setDisplayMediaRequestHandler((request, callback) => {
    const frameUrl = request.frame && !request.frame.isDestroyed() ? request.frame.url : null;
    const ask = { audioRequested: request.audioRequested, frameUrl };
    if (!grantsSystemAudio(ask, process.platform, (url) => isAppPageUrl(url, INDEX_HTML)))
      return callback(null);
    desktopCapturer
      .getSources({ types: ['screen'], thumbnailSize: { width: 0, height: 0 } })
      .then(([screen]) => callback(screen ? { video: screen, audio: 'loopback' } : null))
      .catch(() => callback(null));
  });
}

/** On macOS, the Chromium features that let getDisplayMedia's 'loopback' audio record what the computer plays. */
function enableSystemAudioCapture(): void {
  if (process.platform !== 'darwin') return;
  const enabled = app.commandLine.getSwitchValue('enable-features');
  app.commandLine.removeSwitch('enable-features');
  app.commandLine.appendSwitch('enable-features', withFeatures(enabled, MAC_LOOPBACK_FEATURES));
}

async function setupServices(): Promise<Services> {
  services = await createServices({
    dataDir: app.getPath('userData'),
    nativeBinding: nativeBinding(),
    launchWorker: launchUtilityWorker,
    resumeJobs: true,
    watchEngine: true,
    // Chromium leaves PulseAudio's monitor sources out of its inputs: main records the system audio there.
    systemAudioFromMonitor: process.platform === 'linux',
  });
  services.dataFolderChoice = dataFolderChoice();
  app.on('will-quit', (event) => {
    const running = services;
    if (!running) return;
    services = null;
    event.preventDefault();
    void running.close().finally(() => app.quit());
  });
  return services;
}

const emit: EmitEvent = (event, payload) => {
  for (const window of BrowserWindow.getAllWindows()) window.webContents.send(eventChannel(event), payload);
};

/** Electron's media permissions of the operating system, for recording-access.ts. */
const mediaAccess: MediaAccessSystem = {
  platform: process.platform,
  status: (media) => systemPreferences.getMediaAccessStatus(media),
  askForMicrophone: () => systemPreferences.askForMediaAccess('microphone'),
};

function setRecording(now: boolean): void {
  recording = now;
  drawIndicator?.(now);
  if (!now) quitAfterStop?.();
}

/** A quit while recording first has the page stop and save the recording (for at most STOP_BEFORE_QUIT_MS). */
function quitGracefully(event: { preventDefault(): void }): void {
  if (!stopsBeforeQuitting(recording, mainWindow !== null, quitAfterStop !== null)) {
    quitting = true;
    return;
  }
  event.preventDefault();
  const deadline = setTimeout(() => quitAfterStop?.(), STOP_BEFORE_QUIT_MS);
  let quit = false;
  quitAfterStop = () => {
    if (quit) return;
    quit = true;
    clearTimeout(deadline);
    app.quit();
  };
  emit('recording:toggle-request', { action: 'stop' });
}

function setupIpc(ready: Services): void {
  const service = createAppService(ready, emit);
  handleMediaScheme(service);
  const desktop = {
    ...service,
    requestRecordingAccess: async (systemAudio: boolean) => {
      await ensureRecordingAccess(mediaAccess, systemAudio);
      return { systemAudioInMain: ready.liveRecordings.systemAudioInMain };
    },
  };
  const watch = watchRecordings(desktop, setRecording);
  stopOrphanedRecordings = watch.stopAll;
  registerIpcRouter(ipcMain, watch.handlers, {
    isTrustedSender: (frameUrl) => isAppPageUrl(frameUrl, INDEX_HTML),
    onInternalError: (method, error) => console.error(`FunScribe: ${method} failed`, error),
  });
}

function createWindow(): void {
  mainWindow = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    title: 'FunScribe',
    show: false,
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    },
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  // A page that reloads or crashes sends no more audio: its recordings stop, kept and queued as a stop keeps them.
  mainWindow.webContents.on('did-start-navigation', ({ isMainFrame, isSameDocument }) => {
    if (isMainFrame && !isSameDocument) void stopOrphanedRecordings();
  });
  mainWindow.webContents.on('render-process-gone', () => void stopOrphanedRecordings());
  mainWindow.on('close', (event) => {
    if (!hidesInsteadOfClosing(recording, quitting)) return;
    event.preventDefault();
    mainWindow?.hide();
  });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  mainWindow
    .loadFile(INDEX_HTML)
    .catch((error: unknown) => console.error('FunScribe: the page did not load', error));
}

/** Brings the window back: hidden while recording, minimised, or closed (macOS keeps the app running). */
function showWindow(): void {
  if (!mainWindow) return createWindow();
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

/**
 * The tray icon and the global shortcut. Their start, stop and toggle go to the page's recorder; with no window
 * (macOS, all closed) the window opens instead, since only the page records.
 */
function setupRecordingIndicator(ready: Services): void {
  drawIndicator = showRecordingIndicator({
    iconDir: TRAY_ICONS,
    language: () => trayLanguage(ready.settings.get().interfaceLanguage, app.getLocale()),
    request: (request) => (mainWindow ? emit('recording:toggle-request', request) : showWindow()),
    showWindow,
  });
}

function setupWindows(): void {
  createWindow();
  app.on('before-quit', quitGracefully);
  app.on('activate', showWindow);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

function failBoot(error: unknown): void {
  console.error('FunScribe could not start', error);
  const hint =
    !app.isPackaged && !process.env[NATIVE_BINDING_ENV]
      ? '\n\nIn a development checkout, start the app with `npm start`: it provides better-sqlite3 built for Electron.'
      : '';
  dialog.showErrorBox('FunScribe could not start', toErrorInfo(error).message + hint);
  app.exit(1);
}

async function boot(): Promise<void> {
  await setupDataDir();
  if (!setupSingleInstance()) return;
  setupSecurity();
  registerMediaScheme();
  enableSystemAudioCapture();
  await app.whenReady();
  setupSession();
  const ready = await setupServices();
  setupIpc(ready);
  setupRecordingIndicator(ready);
  setupWindows();
}

boot().catch(failBoot);
