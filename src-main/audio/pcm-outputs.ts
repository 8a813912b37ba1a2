// Writes the PCM stream ffmpeg prints on stdout to the decoded files: mono as it comes, or stereo as it comes plus its
// mono mix. FunScribe writes the files itself, so an ffmpeg left behind by a killed app stops at its next write
// (a broken pipe) instead of writing on into the data folder.
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/** Where the decoded audio goes: the mono file, and the stereo file when the stream has two channels. */
export interface PcmOutputFiles {
  monoPath: string;
  stereoPath: string | null;
}

/** Bytes of one interleaved 16-bit stereo frame. */
const STEREO_FRAME_BYTES = 4;

/** Writes all of `data` at the handle's current position. */
async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
  for (let done = 0; done < data.length;) done += (await handle.write(data, done)).bytesWritten;
}

/** The mono mix (the mean of left and right, as ffmpeg's stereo-to-mono downmix) of whole stereo frames. */
export function mixStereoToMono(frames: Buffer): Buffer {
  const count = Math.floor(frames.length / STEREO_FRAME_BYTES);
  const mono = Buffer.allocUnsafe(count * 2);
  for (let i = 0; i < count; i++) {
    const at = i * STEREO_FRAME_BYTES;
    mono.writeInt16LE(Math.round((frames.readInt16LE(at) + frames.readInt16LE(at + 2)) / 2), i * 2);
  }
  return mono;
}

/**
 * Copies `stream` (16-bit PCM, stereo when `files.stereoPath` is set) into the files, telling `onBytes` the stream
 * bytes taken so far; resolves with the bytes in the mono file. A half stereo frame at the end is dropped.
 */
export async function writePcmOutputs(
  stream: Readable,
  files: PcmOutputFiles,
  onBytes: (streamBytes: number) => void,
): Promise<number> {
  const mono = await open(files.monoPath, 'w');
  const stereo =
    files.stereoPath === null
      ? null
      : await open(files.stereoPath, 'w').catch(async (error) => {
          await mono.close();
          throw error;
        });
  let carry = Buffer.alloc(0);
  let streamBytes = 0;
  let monoBytes = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      streamBytes += chunk.length;
      if (stereo) {
        const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
        const whole = data.length - (data.length % STEREO_FRAME_BYTES);
        carry = Buffer.from(data.subarray(whole));
        const mix = mixStereoToMono(data.subarray(0, whole));
        await writeAll(stereo, data.subarray(0, whole));
        await writeAll(mono, mix);
        monoBytes += mix.length;
      } else {
        await writeAll(mono, chunk);
        monoBytes += chunk.length;
      }
      onBytes(streamBytes);
    }
    return monoBytes;
  } finally {
    await Promise.all([mono.close(), stereo?.close()]);
  }
}
