// The Electron side of the sign of recording: the tray (menu-bar) icon and its menu, drawn from recording-tray.ts's
// model, and the global shortcut. Kept to Electron calls; what it shows is decided in recording-tray.ts.
import { app, globalShortcut, Menu, Tray } from 'electron';
import { join } from 'node:path';
import type { RecordingToggleRequest } from '../../src-shared/contract.js';
import { RECORDING_SHORTCUT, trayModel, type TrayAction, type TrayLanguage } from './recording-tray.js';

/** What the tray and the shortcut act on. */
export interface IndicatorActions {
  /** The folder of the tray PNGs (resources/tray). */
  iconDir: string;
  language(): TrayLanguage;
  /** Passes a start, stop or toggle on to the page's recorder. */
  request(request: RecordingToggleRequest): void;
  showWindow(): void;
}

/** Puts the idle icon in the tray and registers the shortcut; returns the function that redraws it for a state. */
export function showRecordingIndicator(actions: IndicatorActions): (recording: boolean) => void {
  const act = (action: TrayAction): void => {
    if (action === 'show') actions.showWindow();
    else if (action === 'quit') app.quit();
    else actions.request({ action });
  };
  const draw = (recording: boolean): void => {
    const model = trayModel(recording, actions.language(), process.platform);
    tray.setImage(join(actions.iconDir, model.iconFile));
    tray.setToolTip(model.tooltip);
    const items = model.items.map(({ action, label, accelerator }) => ({
      label,
      accelerator,
      registerAccelerator: false,
      click: () => act(action),
    }));
    tray.setContextMenu(Menu.buildFromTemplate(items));
  };
  const tray = new Tray(
    join(actions.iconDir, trayModel(false, actions.language(), process.platform).iconFile),
  );
  if (process.platform === 'win32') tray.on('click', () => actions.showWindow());
  draw(false);
  if (!globalShortcut.register(RECORDING_SHORTCUT, () => act('toggle'))) {
    console.warn(`FunScribe: the shortcut ${RECORDING_SHORTCUT} is taken by another program`);
  }
  app.on('will-quit', () => globalShortcut.unregisterAll());
  return draw;
}
