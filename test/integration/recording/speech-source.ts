// The audio the journal-writer process records in a loop: one spoken turn of the test meeting as 16 kHz mono s16le,
// cut to whole chunks, so the stand-in server transcribes what a recovered journal holds.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WAV_HEADER_BYTES } from '../../../src-main/recording/wav-journal.js';
import { generateConversation, MEETING_SCRIPT } from '../../fixtures/speech.js';
import { cutWav } from './audio-compare.js';
import { CHUNK_BYTES } from './journal-writer.js';

const GENERATED = join(import.meta.dirname, '../../fixtures/generated/speech');

/** Writes the turn as `source.pcm` in `dir`; returns its path and its bytes. */
export async function writeSpeechSource(dir: string): Promise<{ path: string; pcm: Buffer }> {
  const speech = await generateConversation(GENERATED, 'meeting-4-turns', MEETING_SCRIPT);
  const turn = speech.turns[0]!;
  const wav = join(dir, 'source.wav');
  await cutWav(speech.wavPath, turn.startMs - 300, turn.endMs + 300, wav);
  const whole = (await readFile(wav)).subarray(WAV_HEADER_BYTES);
  const pcm = whole.subarray(0, whole.length - (whole.length % CHUNK_BYTES));
  const path = join(dir, 'source.pcm');
  await writeFile(path, pcm);
  return { path, pcm };
}
