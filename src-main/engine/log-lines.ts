// Turning Docker log output into lines: the 8-byte multiplex frames of a non-TTY container, and chunks cut anywhere.
// tqdm redraws its bar with "\r", so a carriage return ends a line too.

/** Splits text chunks into complete lines (on \n, \r\n or \r), holding back an unfinished last line. */
export class LineSplitter {
  private rest = '';

  constructor(private readonly onLine: (line: string) => void) {}

  /** Feeds one chunk. */
  push(chunk: string): void {
    const parts = (this.rest + chunk).split(/\r\n|\r|\n/);
    this.rest = parts.pop() ?? '';
    for (const part of parts) if (part.trim()) this.onLine(part);
  }

  /** Emits what is left as a last line. */
  end(): void {
    if (this.rest.trim()) this.onLine(this.rest);
    this.rest = '';
  }
}

/** The payload of Docker's multiplexed log buffer (frames of [stream, 0, 0, 0, size32be, payload]), in order. */
export function demuxLogBuffer(buffer: Buffer): string {
  const looksFramed = buffer.length >= 8 && buffer[0]! <= 2 && buffer.readUIntBE(1, 3) === 0;
  if (!looksFramed) return buffer.toString('utf8');
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

/** All complete lines of a text. */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line));
  splitter.push(text);
  splitter.end();
  return lines;
}
