// A process that records a known 16 kHz mono s16le file, over and over, into a new recording of a library through
// the main process's recording session (the compiled code in out/main), as fast as told, and prints each chunk's
// number once it is appended. Tests SIGKILL it or fill its disk. Like the CLI's, its recording is left to the next
// start's recovery when a write fails.
// `node journal-writer-process.mjs <data dir> <source .pcm> <server url> <ms between chunks>`
// It prints `path <journal>` first, `<seq>` per chunk, and `error <code> <message>` when an append fails.
import { mkdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const out = new URL('../../../out/main/src-main/', import.meta.url);
const { openDatabase } = await import(new URL('store/database.js', out).href);
const { JobRepository } = await import(new URL('store/jobs-repo.js', out).href);
const { RecordingRepository } = await import(new URL('store/recordings-repo.js', out).href);
const { RecordingSession } = await import(new URL('recording/recording-session.js', out).href);
const { libraryFileOf } = await import(new URL('application/library-maintenance.js', out).href);

/** 100 ms of 16 kHz mono s16le. */
const CHUNK_BYTES = 3200;

const [dataDir, sourcePath, serverUrl, paceMs] = process.argv.slice(2);
const source = readFileSync(sourcePath);
mkdirSync(dataDir, { recursive: true });
const db = openDatabase(libraryFileOf(dataDir));
const recordings = new RecordingRepository(db, new JobRepository(db));
const settings = { serverUrl, hotwords: [], itn: true, allowSelfSignedTls: false, speakers: 'auto' };
const session = RecordingSession.start(
  { dataDir, recordings },
  {
    channels: 1,
    settings,
    afterFailedWrite: 'recovered',
  },
);
process.stdout.write(`path ${session.path}\n`);
for (let seq = 0; ; seq++) {
  const offset = (seq * CHUNK_BYTES) % source.length;
  try {
    session.append({ seq, pcm: source.subarray(offset, offset + CHUNK_BYTES) });
  } catch (error) {
    session.stop();
    process.stdout.write(`error ${error.code} ${error.message}\n`);
    break;
  }
  process.stdout.write(`${seq}\n`);
  if (Number(paceMs) > 0) await sleep(Number(paceMs));
}
db.close();
