// The named hotword lists of the settings on a real library: older settings' single list becomes "Default", the
// `hotwords` setting stays the default list's words in both directions, and every list is checked with FunASR's limits.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppSettingsStore } from '../../../src-main/settings/app-settings.js';
import { SettingsRepository } from '../../../src-main/store/settings-repo.js';
import { tempLibrary, type TempLibrary } from '../store/temp-library.js';

describe('hotword lists in the settings', () => {
  let library: TempLibrary;
  let repo: SettingsRepository;
  let settings: AppSettingsStore;

  beforeEach(() => {
    library = tempLibrary();
    repo = new SettingsRepository(library.db);
    settings = new AppSettingsStore(repo);
  });
  afterEach(() => library.cleanup());

  it('reads the single hotword list of older settings as the default list "Default", and none as no list', () => {
    expect(settings.get()).toMatchObject({ hotwords: [], hotwordLists: [], defaultHotwordList: null });
    repo.set('app', { itn: false, hotwords: [{ phrase: '预算', weight: 20 }] });
    expect(settings.get()).toMatchObject({
      itn: false,
      hotwords: [{ phrase: '预算', weight: 20 }],
      hotwordLists: [{ name: 'Default', hotwords: [{ phrase: '预算', weight: 20 }] }],
      defaultHotwordList: 'Default',
    });
    settings.update({ concurrency: 3 });
    expect(repo.get<Record<string, unknown>>('app', {})).toMatchObject({
      hotwordLists: [{ name: 'Default', hotwords: [{ phrase: '预算', weight: 20 }] }],
    });
  });

  it('keeps `hotwords` as the default list: setting it fills that list, choosing another default changes it', () => {
    settings.update({ hotwords: [{ phrase: ' 通义 ', weight: 30 }] });
    expect(settings.get()).toMatchObject({
      hotwords: [{ phrase: '通义', weight: 30 }],
      hotwordLists: [{ name: 'Default', hotwords: [{ phrase: '通义', weight: 30 }] }],
      defaultHotwordList: 'Default',
    });
    const lists = [
      ...settings.get().hotwordLists,
      { name: 'Product', hotwords: [{ phrase: 'FunScribe', weight: 50 }] },
    ];
    expect(settings.update({ hotwordLists: lists, defaultHotwordList: 'product' })).toMatchObject({
      defaultHotwordList: 'Product',
      hotwords: [{ phrase: 'FunScribe', weight: 50 }],
    });
    settings.update({ hotwords: [{ phrase: 'Electron', weight: 5 }] });
    expect(settings.get().hotwordLists).toEqual([
      { name: 'Default', hotwords: [{ phrase: '通义', weight: 30 }] },
      { name: 'Product', hotwords: [{ phrase: 'Electron', weight: 5 }] },
    ]);
    expect(settings.update({ hotwordLists: lists.slice(0, 1) })).toMatchObject({
      defaultHotwordList: null,
      hotwords: [],
    });
  });

  it('refuses a default that names no list, two lists of one name, and a list breaking FunASR limits', () => {
    expect(() => settings.update({ defaultHotwordList: 'Missing' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('"Missing"') }),
    );
    expect(() =>
      settings.update({
        hotwordLists: [
          { name: 'A', hotwords: [] },
          { name: ' a ', hotwords: [] },
        ],
      }),
    ).toThrow(expect.objectContaining({ message: 'There are two hotword lists called "a".' }));
    expect(() =>
      settings.update({ hotwordLists: [{ name: 'A', hotwords: [{ phrase: 'x', weight: 250 }] }] }),
    ).toThrow(expect.objectContaining({ code: 'HOTWORDS_INVALID', message: expect.stringContaining('250') }));
    expect(() => settings.update({ hotwordLists: [{ name: '  ', hotwords: [] }] })).toThrow(
      expect.objectContaining({ message: expect.stringContaining('The name of hotword list 1') }),
    );
    expect(settings.get().hotwordLists).toEqual([]);
  });

  it('keeps the interface choices and the default export format, refusing unknown values', () => {
    settings.update({ interfaceLanguage: 'zh-CN', theme: 'dark', defaultExportFormat: 'srt' });
    expect(settings.get()).toMatchObject({
      interfaceLanguage: 'zh-CN',
      theme: 'dark',
      defaultExportFormat: 'srt',
    });
    expect(() => settings.update({ defaultExportFormat: 'docx' })).toThrow(
      expect.objectContaining({
        message: 'The default export format must be one of txt, md, srt, vtt, json.',
      }),
    );
  });
});
