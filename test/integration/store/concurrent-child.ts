// Child process for concurrent-writers.test.ts. Prints "ready", waits for a "go" line on stdin (so that every child
// starts at once), then: `write <file> <count> <tag>` opens the library and stores `count` meetings titled
// "<tag> <i>" as fast as it can; `open <file>` opens (creating or migrating) the library and closes it.
// Prints "ok" at the end; a failure ends the process with the error on stderr.
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { openDatabase } from '../../../src-main/store/database.js';
import { MeetingRepository } from '../../../src-main/store/meetings-repo.js';
import { sampleMeeting } from './sample-meetings.js';

const [mode, file, count, tag] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
await once(lines, 'line');
lines.close();
const db = openDatabase(file!);
if (mode === 'write') {
  const meetings = new MeetingRepository(db);
  for (let i = 0; i < Number(count); i++) meetings.create(sampleMeeting({ title: `${tag} ${i}` }));
}
db.close();
process.stdout.write('ok\n');
