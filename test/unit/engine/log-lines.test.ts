import { describe, expect, it } from 'vitest';
import { demuxLogBuffer, LineSplitter, splitLines } from '../../../src-main/engine/log-lines.js';

const frame = (stream: number, text: string): Buffer => {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

describe('log lines', () => {
  it('joins multiplexed stdout and stderr frames in order', () => {
    const buffer = Buffer.concat([frame(1, 'out-line\n'), frame(2, 'err-li'), frame(2, 'ne\n')]);
    expect(splitLines(demuxLogBuffer(buffer))).toEqual(['out-line', 'err-line']);
  });

  it('reads an unframed (TTY) log as text', () => {
    expect(demuxLogBuffer(Buffer.from('hello\nworld\n'))).toBe('hello\nworld\n');
  });

  it("splits chunks cut anywhere, on \\n, \\r\\n and tqdm's \\r", () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line));
    splitter.push('first li');
    splitter.push('ne\r\nDownloading: 10%\rDownloading: 20%\r');
    splitter.push('\nlast');
    expect(lines).toEqual(['first line', 'Downloading: 10%', 'Downloading: 20%']);
    splitter.end();
    expect(lines.at(-1)).toBe('last');
  });
});
