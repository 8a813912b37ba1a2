// Files dropped on the window as a user drags them from the file manager: the bridge finds them by name in the
// page's files folder (a browser File has no path), so only the names travel.
import type { Page } from 'playwright-core';

/** The overlay shown while files are dragged over the window, in either language. */
const OVERLAY = /^(Drop to transcribe|松开即可转写)$/;

/** Drags files (names inside the page's files folder) over the window, checks the overlay, and drops them. */
export async function dropFiles(page: Page, names: string[]): Promise<void> {
  const transfer = await page.evaluateHandle((list) => {
    const dataTransfer = new DataTransfer();
    for (const name of list) dataTransfer.items.add(new File(['x'], name));
    return dataTransfer;
  }, names);
  await page.dispatchEvent('main', 'dragover', { dataTransfer: transfer });
  const overlay = page.getByText(OVERLAY);
  await overlay.waitFor();
  await page.dispatchEvent('main', 'drop', { dataTransfer: transfer });
  await overlay.waitFor({ state: 'detached' });
}
