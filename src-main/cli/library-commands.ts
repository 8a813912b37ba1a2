// `funscribe list | show | search | export`: read the library the desktop app shares.
import type { ExportFormat, Meeting, SearchOrder } from '../../src-shared/types.js';
import { checkExportFile, writeExportFile } from '../export/export-destination.js';
import { exportMeeting } from '../export/index.js';
import type { Services } from '../services.js';
import { singleLineText } from '../util/control-chars.js';
import { FunscribeError } from '../util/errors.js';
import { formatClock, formatDuration } from '../../src-shared/time.js';
import { meetingToJson, printJson, searchResultJson } from './json-output.js';

/** Loads a meeting by the id the user typed, or explains why not. */
export function requireMeeting(services: Services, id: string): Meeting {
  const numeric = Number(id);
  const meeting = Number.isSafeInteger(numeric) && numeric > 0 ? services.meetings.get(numeric) : null;
  if (!meeting)
    throw new FunscribeError(
      'NOT_FOUND',
      `There is no meeting with id ${id}. Run "funscribe list" to see the ids.`,
    );
  return meeting;
}

/** `funscribe list`: the meetings, newest first. */
export function listCommand(services: Services, options: { json?: boolean }): number {
  const meetings = services.meetings.list({ limit: 10_000 });
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
export function showCommand(services: Services, id: string, options: { json?: boolean }): number {
  const meeting = requireMeeting(services, id);
  if (options.json) printJson(meetingToJson(meeting));
  else process.stdout.write(exportMeeting(meeting, 'txt'));
  return 0;
}

/** `funscribe search <query>`: matching sentences across all meetings. */
export function searchCommand(
  services: Services,
  query: string,
  options: { json?: boolean; limit?: number; order?: SearchOrder },
): number {
  const hits = services.search.search({
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
  services: Services,
  id: string,
  options: { format: ExportFormat; out?: string; force?: boolean },
): Promise<number> {
  const force = options.force === true;
  const target =
    options.out === undefined
      ? null
      : await checkExportFile(options.out, { dataDir: services.dataDir, force });
  const content = exportMeeting(requireMeeting(services, id), options.format);
  if (target === null) process.stdout.write(content);
  else await writeExportFile(target, content, force);
  return 0;
}
