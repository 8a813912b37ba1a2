// The record screen's choices in the settings of a real library: a library from before they existed starts with the
// defaults (the default input, raw audio, captions, transcribe), chosen values are there for the next start, and a
// refused change keeps what was stored.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppSettingsStore } from '../../../src-main/settings/app-settings.js';
import { DEFAULT_RECORD_SETTINGS } from '../../../src-shared/schemas/settings.js';
import { SettingsRepository } from '../../../src-main/store/settings-repo.js';
import { tempLibrary, type TempLibrary } from '../store/temp-library.js';

describe("the record screen's settings", () => {
  let library: TempLibrary;

  beforeEach(() => {
    library = tempLibrary();
  });
  afterEach(() => library.cleanup());

  it('start as the defaults, come back as chosen, and stay when a change is refused', () => {
    const repo = new SettingsRepository(library.db);
    repo.set('app', { itn: false });
    expect(new AppSettingsStore(repo).get()).toMatchObject({ itn: false, ...DEFAULT_RECORD_SETTINGS });
    const chosen = {
      recordMicrophone: { deviceId: 'e3b0c442', label: 'USB Headset (0c76:161f)' },
      recordCaptions: false,
      recordTranscribe: false,
      recordNoiseSuppression: true,
    };
    new AppSettingsStore(repo).update(chosen);
    const nextStart = new AppSettingsStore(new SettingsRepository(library.db));
    expect(nextStart.get()).toMatchObject({
      ...chosen,
      recordSystemAudio: false,
      recordEchoCancellation: false,
    });
    expect(() =>
      nextStart.update({ recordCaptions: true, recordMicrophone: { deviceId: 7, label: '' } }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
    expect(nextStart.get()).toMatchObject(chosen);
  });
});
