// A folder dialog that answers with two folders in turn, the first holding something that is not a library and the
// second not there yet, and a location file of the test's own: for the data-folder choice, from the store or the page.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Services } from '../../src-main/services.js';

/** The folders the dialog answers with, and the location file the choice is written to. */
export interface FolderPicks {
  papers: string;
  target: string;
  locationFile: string;
}

/** Makes the folders inside `dir` and lets `services` pick them (papers, then target, then nothing). */
export async function offerFolderPicks(services: Services, dir: string): Promise<FolderPicks> {
  const papers = join(dir, 'papers');
  const target = join(dir, 'FunScribe');
  const locationFile = join(dir, 'FunScribe-location.json');
  await mkdir(papers);
  await writeFile(join(papers, 'notes.txt'), 'not a library');
  const picks = [papers, target];
  services.dataFolderChoice = { locationFile, pickFolder: async () => picks.shift() ?? null };
  return { papers, target, locationFile };
}
