// `funscribe list | show | search | export`: read the library the desktop app shares.
import type { ExportFormat, SearchHit, SearchOrder } from '../../src-shared/types.js';
import type { AppService } from '../application/app-service.js';
import { exportMeeting } from '../export/index.js';
import { singleLineText } from '../util/control-chars.js';
import { formatClock, formatDuration } from '../../src-shared/time.js';
import { meetingToJson, printJson, searchResultJson } from './json-output.js';

/** `funscribe list`: the meetings, newest first. */
export async function listCommand(app: AppService, options: { json?: boolean }): Promise<number> {
  const meetings = app.listStoredMeetings({ limit: 10_000 });
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

/** One search hit as a line: the meeting, then the matched sentence, title or speaker name. */
function hitLine(hit: SearchHit): string {
  const meeting = `#${hit.meetingId} ${singleLineText(hit.meetingTitle)}`;
  if (hit.kind === 'title') return `${meeting} (title: ${singleLineText(hit.snippet)})`;
  if (hit.kind === 'speaker')
    return `${meeting} [${formatClock(hit.startMs)}] (speaker: ${singleLineText(hit.snippet)})`;
  const who = hit.speaker ? `${singleLineText(hit.speaker)}: ` : '';
  return `${meeting} [${formatClock(hit.startMs)}] ${who}${singleLineText(hit.snippet)}`;
}

/** `funscribe search <query>`: matching titles, speaker names and sentences across all meetings. */
export async function searchCommand(
  app: AppService,
  query: string,
  options: { json?: boolean; limit?: number; offset?: number; order?: SearchOrder },
): Promise<number> {
  const offset = options.offset ?? 0;
  const result = await app.search({
    query,
    limit: options.limit ?? 20,
    offset,
    order: options.order ?? 'relevance',
  });
  if (options.json) {
    printJson(searchResultJson(result));
    return 0;
  }
  if (result.total === 0) console.log(`Nothing found for ${JSON.stringify(query)}.`);
  for (const hit of result.hits) console.log(hitLine(hit));
  if (result.hits.length > 0 && (result.hits.length < result.total || !result.totalExact)) {
    console.log(
      `(${offset + 1}–${offset + result.hits.length} of ${result.total}${result.totalExact ? '' : '+'}; --offset shows more)`,
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
