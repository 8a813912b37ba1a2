// For recordings made through the application service in tests: the generated meeting as a two-channel call,
// appending audio in numbered 100 ms chunks as the renderer does, and the caption events the service sends.
import { readFile } from 'node:fs/promises';
import type { AppService } from '../../../src-main/application/app-service.js';
import type { EmitEvent } from '../../../src-main/application/events.js';
import type { ApiEventMap } from '../../../src-shared/contract.js';
import { WAV_HEADER_BYTES } from '../../../src-main/recording/wav-journal.js';
import type { Conversation } from '../../fixtures/speech.js';

/** No Docker, so no managed engine is found whatever runs on this machine's Docker. */
export const NO_DOCKER = { ...process.env, DOCKER_HOST: 'unix:///nonexistent-funscribe-test.sock' };

/** Samples of one channel in a 100 ms chunk. */
export const SAMPLES_PER_CHUNK = 1600;

/** Bytes of `ms` of two-channel 16 kHz s16le audio. */
export function stereoBytes(ms: number): number {
  return Math.round(ms * 16) * 4;
}

/** The meeting's mono speech as a call: speaker A on the left channel, everyone else on the right. */
export async function stereoCall(source: Conversation): Promise<Buffer> {
  const mono = (await readFile(source.wavPath)).subarray(WAV_HEADER_BYTES);
  const frames = mono.length / 2;
  const out = Buffer.alloc(frames * 4);
  const sampleOf = (ms: number): number => Math.round(ms * 16);
  for (const turn of source.turns) {
    const channel = turn.speaker === 'A' ? 0 : 1;
    for (let i = sampleOf(turn.startMs); i < Math.min(frames, sampleOf(turn.endMs)); i++)
      out.writeInt16LE(mono.readInt16LE(i * 2), i * 4 + channel * 2);
  }
  return out;
}

/** Appends recordings' audio in 100 ms chunks, numbered on from the last one, optionally `pauseMs` apart. */
export class ChunkFeeder {
  private seq = 0;
  private readonly sent: Buffer[] = [];

  constructor(
    private readonly app: Pick<AppService, 'appendRecording'>,
    private readonly recordingId: string,
    private readonly channels: 1 | 2,
  ) {}

  /** Everything appended so far. */
  get appended(): Buffer {
    return Buffer.concat(this.sent);
  }

  /** The recording time appended so far, in ms. */
  get appendedMs(): number {
    return this.appended.length / (this.channels * 32);
  }

  /** Appends `pcm` in chunks of 100 ms, waiting `pauseMs` after each (0: as fast as the calls return). */
  async append(pcm: Buffer, pauseMs = 0): Promise<void> {
    const bytes = SAMPLES_PER_CHUNK * this.channels * 2;
    for (let offset = 0; offset < pcm.length; offset += bytes) {
      const chunk = pcm.subarray(offset, offset + bytes);
      await this.app.appendRecording(this.recordingId, this.seq++, new Uint8Array(chunk));
      this.sent.push(chunk);
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}

/** The caption events an application service sent, as `emit` collects them. */
export function captionEvents(): {
  captions: ApiEventMap['recording:caption'][];
  states: ApiEventMap['recording:captions-state'][];
  emit: EmitEvent;
} {
  const captions: ApiEventMap['recording:caption'][] = [];
  const states: ApiEventMap['recording:captions-state'][] = [];
  const emit: EmitEvent = (event, payload) => {
    if (event === 'recording:caption') captions.push(payload as ApiEventMap['recording:caption']);
    if (event === 'recording:captions-state') states.push(payload as ApiEventMap['recording:captions-state']);
  };
  return { captions, states, emit };
}
