// Child process for crash.test.ts: starts writing a large meeting and stops for good inside the transaction,
// after telling the parent on stdout, so the parent can SIGKILL it mid-write.
import { writeSync } from 'node:fs';
import { openDatabase } from '../../../src-main/store/database.js';
import { MeetingRepository } from '../../../src-main/store/meetings-repo.js';

const db = openDatabase(process.argv[2]!);
// A tiny page cache makes SQLite spill the uncommitted pages into the WAL file before the kill.
db.pragma('cache_size = 16');
db.function('stop_here', () => {
  writeSync(1, 'inside-transaction\n');
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (;;) Atomics.wait(cell, 0, 0, 1000);
});
db.exec(
  `CREATE TEMP TRIGGER stop_mid_meeting AFTER INSERT ON main.segments WHEN new.text = 'STOP'
   BEGIN SELECT stop_here(); END`,
);
const filler =
  '这是一段很长的会议记录，用来填满数据库页面。The crash test writes a lot of text here. '.repeat(4);
new MeetingRepository(db).create({
  title: 'half written',
  source: 'crash.wav',
  durationMs: 1,
  speakers: [{ label: 'Speaker 1' }],
  segments: [
    ...Array.from({ length: 3000 }, (_, i) => ({
      startMs: i,
      endMs: i + 1,
      text: `partialword ${i} ${filler}`,
      tokens: [],
      speakerIndex: 0,
    })),
    { startMs: 5000, endMs: 5001, text: 'STOP', tokens: [], speakerIndex: 0 },
  ],
});
writeSync(1, 'committed\n');
