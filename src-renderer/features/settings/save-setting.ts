// Saving one settings change at once from a control: the error to show under it (in the interface language), or
// null when the main process took the change.
import { errorText } from '../../lib/errors.js';
import { updateSettings, type SettingsPatch } from '../../lib/stores/settings.js';

/** Saves `patch`; resolves to the schema's or main process's error in words, or null when saved. */
export async function saveSetting(patch: SettingsPatch): Promise<string | null> {
  try {
    await updateSettings(patch);
    return null;
  } catch (caught) {
    return errorText(caught);
  }
}
