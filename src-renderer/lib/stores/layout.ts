// What the window shows: the library sidebar and the side panel (open or not) and the centre's screen.
import { writable, type Readable } from 'svelte/store';

/** The centre's screen: the open meeting (or the welcome when none is), the settings or the record screen. */
export type CentreView = 'meeting' | 'settings' | 'record';

/** The layout state. */
export interface LayoutState {
  sidebarOpen: boolean;
  sidePanelOpen: boolean;
  view: CentreView;
}

const state = writable<LayoutState>({ sidebarOpen: true, sidePanelOpen: true, view: 'meeting' });

/** The layout: which panels are open and what the centre shows. */
export const layout: Readable<LayoutState> = { subscribe: state.subscribe };

/** Opens or closes the library sidebar (a drawer in a small window). */
export function setSidebarOpen(open: boolean): void {
  state.update((current) => ({ ...current, sidebarOpen: open }));
}

/** Opens or closes the side panel (a drawer in a small window). */
export function setSidePanelOpen(open: boolean): void {
  state.update((current) => ({ ...current, sidePanelOpen: open }));
}

/** Shows the settings, the record screen or the meeting in the centre. */
export function showView(view: CentreView): void {
  state.update((current) => ({ ...current, view }));
}
