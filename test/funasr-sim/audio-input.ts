// Turning what a client uploads into 16 kHz mono samples: raw s16le (resampled if needed) or FFmpeg input.
import { spawn } from 'node:child_process';

/** The model rate every server path converts to. */
export const MODEL_RATE = 16000;

/** Reads little-endian 16-bit samples from bytes (an odd trailing byte is ignored, as the server does). */
export function bytesToSamples(bytes: Buffer): Int16Array {
  const count = Math.floor(bytes.length / 2);
  if (bytes.byteOffset % 2 === 0) return new Int16Array(bytes.buffer, bytes.byteOffset, count);
  const copy = new Int16Array(count);
  for (let i = 0; i < count; i++) copy[i] = bytes.readInt16LE(i * 2);
  return copy;
}

/** Streaming linear-interpolation resampler to 16 kHz (pass-through at 16 kHz). */
export class LinearResampler {
  private readonly step: number;
  private position = 0; // next output position, in input samples from the stream start
  private consumed = 0; // input samples before the current block
  private previous = 0; // last sample of the previous block

  constructor(private readonly inputRate: number) {
    this.step = inputRate / MODEL_RATE;
  }

  /** Converts the next block of input; keeps state so that blocks join seamlessly. */
  push(input: Int16Array): Int16Array {
    if (this.inputRate === MODEL_RATE || input.length === 0) return input;
    const end = this.consumed + input.length;
    const out = new Int16Array(Math.max(0, Math.ceil((end - 1 - this.position) / this.step) + 1));
    let n = 0;
    const at = (i: number): number => (i < this.consumed ? this.previous : (input[i - this.consumed] ?? 0));
    while (this.position + 1 < end && n < out.length) {
      const i = Math.floor(this.position);
      const frac = this.position - i;
      out[n++] = Math.round(at(i) * (1 - frac) + at(i + 1) * frac);
      this.position += this.step;
    }
    this.previous = input[input.length - 1] ?? 0;
    this.consumed = end;
    return out.subarray(0, n);
  }
}

/** Decodes any container FFmpeg can probe to 16 kHz mono s16le; null when FFmpeg cannot read it. */
export function decodeWithFfmpeg(bytes: Buffer): Promise<{ samples: Int16Array | null; error: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      'ffmpeg',
      [
        '-hide_banner',
        '-loglevel',
        'error',
        '-i',
        'pipe:0',
        '-ac',
        '1',
        '-ar',
        String(MODEL_RATE),
        '-f',
        's16le',
        'pipe:1',
      ],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdin.on('error', () => undefined); // FFmpeg may stop reading early on bad input
    child.on('error', (error) => resolve({ samples: null, error: error.message }));
    child.on('close', (code) => {
      const pcm = Buffer.concat(out);
      if (code !== 0 || pcm.length === 0)
        resolve({ samples: null, error: stderr.trim() || `ffmpeg exited with ${code}` });
      else resolve({ samples: bytesToSamples(pcm), error: '' });
    });
    child.stdin.end(bytes);
  });
}
