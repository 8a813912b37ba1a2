// Builds a library with many pages of segments and damages one b-tree page of the segments table in the middle.
import { closeSync, openSync, writeSync } from 'node:fs';
import { openDatabase } from '../../../src-main/store/database.js';
import { MeetingRepository } from '../../../src-main/store/meetings-repo.js';
import { sampleMeeting } from './sample-meetings.js';

/** Creates (or adds to) the library `file` with `count` meetings of 400 sentences each; closes it again. */
export function buildLibrary(file: string, count: number): void {
  const db = openDatabase(file);
  const meetings = new MeetingRepository(db);
  for (let m = 0; m < count; m++) {
    meetings.create(
      sampleMeeting({
        title: `Meeting ${m + 1}`,
        segments: Array.from({ length: 400 }, (_, i) => ({
          startMs: i * 1000,
          endMs: i * 1000 + 900,
          text: `Sentence ${i} of meeting ${m + 1}: the budget and the schedule were discussed at length.`,
          speakerIndex: i % 2,
          tokens: [],
        })),
      }),
    );
  }
  db.close();
}

/** Overwrites a b-tree leaf page of the segments table in the middle of the (closed) file with garbage. */
export function damageSegmentsPage(file: string): void {
  const db = openDatabase(file);
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const leaves = db
    .prepare("SELECT pageno FROM dbstat WHERE name = 'segments' AND pagetype = 'leaf' ORDER BY pageno")
    .pluck()
    .all() as number[];
  db.close();
  if (leaves.length < 10) throw new Error(`only ${leaves.length} leaf pages of segments`);
  const page = leaves[Math.floor(leaves.length / 2)]!;
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (page - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
}
