// Child process for concurrent-writers.test.ts, on the compiled library code in out/main (what the app and the CLI
// run; no TypeScript loader to start in each of the test's 150 processes). Prints "ready", waits for a "go" line on
// stdin (so that every child starts at once), then: `write <file> <count> <tag> <meeting JSON>` opens the library and
// stores `count` copies of the meeting titled "<tag> <i>" as fast as it can; `open <file>` opens (creating or
// migrating) the library and closes it. Prints "ok" at the end; a failure ends the process with the error on stderr.
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const out = new URL('../../../out/main/src-main/', import.meta.url);
const { openDatabase } = await import(new URL('store/database.js', out).href);
const { MeetingRepository } = await import(new URL('store/meetings-repo.js', out).href);

const [mode, file, count, tag, meetingJson] = process.argv.slice(2);
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
await once(lines, 'line');
lines.close();
const db = openDatabase(file);
if (mode === 'write') {
  const meetings = new MeetingRepository(db);
  const meeting = JSON.parse(meetingJson);
  for (let i = 0; i < Number(count); i++) meetings.create({ ...meeting, title: `${tag} ${i}` });
}
db.close();
process.stdout.write('ok\n');
