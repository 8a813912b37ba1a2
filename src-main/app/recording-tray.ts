// The desktop app's recording outside the page, as data: the tray (menu-bar) icon, its tooltip and menu for the state
// of recording and the interface language; the global shortcut; and how closing the window and quitting spare a
// recording. Like MacWhisper, the icon is always there: a plain record symbol when idle, a red dot while recording.
// Pure, so it is unit-tested; recording-indicator.ts draws the tray and main.ts follows the rules.
import type { RecordingToggleRequest } from '../../src-shared/contract.js';

/** The shortcut that starts and stops a recording from anywhere (Ctrl+Shift+R is the browsers' hard reload). */
export const RECORDING_SHORTCUT = 'CommandOrControl+Alt+Shift+R';

/** The languages of the tray's words. */
export type TrayLanguage = 'en' | 'zh-CN';

/** One entry of the tray menu: asks the recorder something, shows the window, or quits. */
export type TrayAction = RecordingToggleRequest['action'] | 'show' | 'quit';

/** An entry of the tray menu. */
export interface TrayItem {
  action: Exclude<TrayAction, 'toggle'>;
  label: string;
  /** The global shortcut that does the same, shown next to the label. */
  accelerator?: string;
}

/** What the tray shows. */
export interface TrayModel {
  /** The PNG under resources/tray/ (macOS gets a template image for the idle icon, which follows the menu bar). */
  iconFile: string;
  tooltip: string;
  items: TrayItem[];
}

const WORDS = {
  en: {
    idle: 'FunScribe',
    recording: 'FunScribe — recording',
    start: 'Start recording',
    stop: 'Stop recording',
    show: 'Show FunScribe',
    quit: 'Quit FunScribe',
  },
  'zh-CN': {
    idle: 'FunScribe',
    recording: 'FunScribe — 正在录音',
    start: '开始录音',
    stop: '停止录音',
    show: '显示 FunScribe',
    quit: '退出 FunScribe',
  },
} satisfies Record<TrayLanguage, Record<string, string>>;

/** The tray's language: the interface language setting, or for 'system' the system's locale (Chinese or English). */
export function trayLanguage(setting: string, systemLocale: string): TrayLanguage {
  if (setting === 'en' || setting === 'zh-CN') return setting;
  return systemLocale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** The tray for the state of recording: icon, tooltip and menu. */
export function trayModel(recording: boolean, language: TrayLanguage, platform: NodeJS.Platform): TrayModel {
  const words = WORDS[language];
  const toggle: TrayItem = recording
    ? { action: 'stop', label: words.stop, accelerator: RECORDING_SHORTCUT }
    : { action: 'start', label: words.start, accelerator: RECORDING_SHORTCUT };
  const idleIcon = platform === 'darwin' ? 'tray-idleTemplate.png' : 'tray-idle.png';
  return {
    iconFile: recording ? 'tray-recording.png' : idleIcon,
    tooltip: recording ? words.recording : words.idle,
    items: [toggle, { action: 'show', label: words.show }, { action: 'quit', label: words.quit }],
  };
}

/**
 * True when closing the window should only hide it: while recording (the page captures the audio, so closing it would
 * end the recording), unless the app is quitting. The tray shows it is recording and brings the window back.
 */
export function hidesInsteadOfClosing(recording: boolean, quitting: boolean): boolean {
  return recording && !quitting;
}

/** How long a quit waits for the page to stop and save a recording before it quits anyway. */
export const STOP_BEFORE_QUIT_MS = 5000;

/**
 * True when a quit should first have the page stop the recording, so that it is saved and its transcription queued
 * rather than recovered at the next start: while recording with a window, unless the quit asked for that already.
 */
export function stopsBeforeQuitting(recording: boolean, hasWindow: boolean, asked: boolean): boolean {
  return recording && hasWindow && !asked;
}
