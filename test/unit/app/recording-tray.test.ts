import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  RECORDING_SHORTCUT,
  hidesInsteadOfClosing,
  stopsBeforeQuitting,
  trayLanguage,
  trayModel,
} from '../../../src-main/app/recording-tray.js';

const TRAY_DIR = new URL('../../../resources/tray/', import.meta.url);

describe('trayModel', () => {
  it('while recording: the red dot, a tooltip that says so, and Stop recording first', () => {
    const model = trayModel(true, 'en', 'darwin');
    expect(model.iconFile).toBe('tray-recording.png');
    expect(model.tooltip).toBe('FunScribe — recording');
    expect(model.items.map((item) => item.action)).toEqual(['stop', 'show', 'quit']);
    expect(model.items[0]).toEqual({
      action: 'stop',
      label: 'Stop recording',
      accelerator: RECORDING_SHORTCUT,
    });
  });

  it('idle: the plain icon (a template image on macOS only) and Start recording', () => {
    const mac = trayModel(false, 'en', 'darwin');
    expect(mac.iconFile).toBe('tray-idleTemplate.png');
    expect(mac.tooltip).toBe('FunScribe');
    expect(mac.items.map((item) => item.label)).toEqual([
      'Start recording',
      'Show FunScribe',
      'Quit FunScribe',
    ]);
    expect(trayModel(false, 'en', 'win32').iconFile).toBe('tray-idle.png');
    expect(trayModel(false, 'en', 'linux').iconFile).toBe('tray-idle.png');
  });

  it('speaks Chinese, with the same entries', () => {
    const zh = trayModel(true, 'zh-CN', 'win32');
    expect(zh.tooltip).toContain('正在录音');
    expect(zh.items.map((item) => item.label)).toEqual(['停止录音', '显示 FunScribe', '退出 FunScribe']);
    expect(trayModel(false, 'zh-CN', 'win32').items[0]?.label).toBe('开始录音');
  });

  it('names icons that exist, each with its 2x version for high-density screens', () => {
    const files = new Set(
      [true, false].flatMap((recording) =>
        ['darwin', 'win32', 'linux'].map(
          (platform) => trayModel(recording, 'en', platform as NodeJS.Platform).iconFile,
        ),
      ),
    );
    expect(files.size).toBe(3);
    for (const file of files) {
      expect(existsSync(new URL(file, TRAY_DIR))).toBe(true);
      expect(existsSync(new URL(file.replace('.png', '@2x.png'), TRAY_DIR))).toBe(true);
    }
  });
});

describe('trayLanguage', () => {
  it('follows the interface language setting, and for "system" the system locale', () => {
    expect(trayLanguage('en', 'zh-CN')).toBe('en');
    expect(trayLanguage('zh-CN', 'en-US')).toBe('zh-CN');
    expect(trayLanguage('system', 'zh-TW')).toBe('zh-CN');
    expect(trayLanguage('system', 'ZH')).toBe('zh-CN');
    expect(trayLanguage('system', 'de-DE')).toBe('en');
  });
});

describe('hidesInsteadOfClosing', () => {
  it('keeps the recording page alive while recording, unless the app quits', () => {
    expect(hidesInsteadOfClosing(true, false)).toBe(true);
    expect(hidesInsteadOfClosing(true, true)).toBe(false);
    expect(hidesInsteadOfClosing(false, false)).toBe(false);
  });
});

describe('stopsBeforeQuitting', () => {
  it('has the page stop and save a recording once before the app quits', () => {
    expect(stopsBeforeQuitting(true, true, false)).toBe(true);
    expect(stopsBeforeQuitting(true, true, true)).toBe(false);
    expect(stopsBeforeQuitting(true, false, false)).toBe(false);
    expect(stopsBeforeQuitting(false, true, false)).toBe(false);
  });
});
