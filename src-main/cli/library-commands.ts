// `funscribe list | show | search | export`: read the library the desktop app shares.
import type { ExportFormat, SearchOrder } from '../../src-shared/types.js';
import type { AppService } from '../application/app-service.js';
import { exportMeeting } from '../export/index.js';
import { singleLineText } from '../util/control-chars.js';
import { formatClock, formatDuration } from '../../src-shared/time.js';
import { meetingToJson, printJson, searchResultJson } from './json-output.js';

/** `funscribe list`: the meetings, newest first. */
export async function listCommand(app: AppService, options: { json?: boolean }): Promise<number> {
  const meetings = await app.listMeetings({ limit: 10_000 });
  if (options.json) {
    printJson({ meetings });
    return 0;
  }
  if (meetings.length === 0)
    console.log('The library is empty. Add a file with "funscribe transcribe <file>".');
  for (const m of meetings) {
    const date = new Date(m.createdAt).toISOString().slice(0, 16).replace('T', ' ');
    console.log(
      `${String(m.id).padStart(5)}  ${date}  ${formatDuration(m.durationMs).padEnd(12)} ${singleLineText(m.title)}`,
    );
  }
  return 0;
}

/** `funscribe show <id>`: one meeting as text or JSON. */
export function showCommand(app: AppService, id: string, options: { json?: boolean }): number {
  const meeting = app.findMeeting(id);
  if (options.json) printJson(meetingToJson(meeting));
  else process.stdout.write(exportMeeting(meeting, 'txt'));
  return 0;
}

/** `funscribe search <query>`: matching sentences across all meetings. */
export async function searchCommand(
  app: AppService,
  query: string,
  options: { json?: boolean; limit?: number; order?: SearchOrder },
): Promise<number> {
  const hits = await app.search({
    query,
    limit: options.limit ?? 20,
    order: options.order ?? 'relevance',
  });
  if (options.json) {
    printJson(searchResultJson(hits));
    return 0;
  }
  if (hits.length === 0) console.log(`Nothing found for ${JSON.stringify(query)}.`);
  for (const hit of hits) {
    const who = hit.speaker ? `${singleLineText(hit.speaker)}: ` : '';
    const title = singleLineText(hit.meetingTitle);
    console.log(
      `#${hit.meetingId} ${title} [${formatClock(hit.startMs)}] ${who}${singleLineText(hit.snippet)}`,
    );
  }
  return 0;
}

/**
 * `funscribe export <id> --format F [--out FILE [--force]]`: writes to stdout, or to the file, which is checked first
 * (not in the data folder, not an existing file unless --force, a writable folder) and replaced only when complete.
 */
export async function exportCommand(
  app: AppService,
  id: string,
  options: { format: ExportFormat; out?: string; force?: boolean },
): Promise<number> {
  if (options.out === undefined) process.stdout.write(exportMeeting(app.findMeeting(id), options.format));
  else await app.exportMeetingToFile(id, options.format, options.out, options.force === true);
  return 0;
}
