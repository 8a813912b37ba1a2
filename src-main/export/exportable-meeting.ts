// What an export is written from: the whole meeting and the path of the file it was transcribed from.
import type { Meeting } from '../../src-shared/types.js';

/** A meeting with the path of its source file, which the JSON export names (the page's Meeting has no paths). */
export type ExportableMeeting = Meeting & { source: string };
