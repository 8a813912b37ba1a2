// Live captions on stderr: a pipe gets one line per sentence (and per change of state), a terminal also sees the
// provisional text rewritten in place, cut to its width counting wide characters twice.
import { describe, expect, it } from 'vitest';
import { captionPrinter, tailThatFits } from '../../../src-main/cli/caption-printer.js';

/** A stream that keeps what is written. */
function output(isTTY: boolean, columns = 20) {
  const written: string[] = [];
  return { isTTY, columns, written, write: (text: string) => written.push(text) };
}

const live = { recordingId: 'r', state: 'live' as const, error: null };
const lost = {
  recordingId: 'r',
  state: 'reconnecting' as const,
  error: { code: 'ASR_CONNECTION_LOST', message: 'the server closed' },
};
const sentence = { text: '今天我们讨论预算。', startMs: 65_000, endMs: 67_000 };

describe('captionPrinter', () => {
  it('prints sentences and state changes one per line to a pipe, never the provisional text', () => {
    const out = output(false);
    const printer = captionPrinter(out);
    printer.onEvent('recording:captions-state', live);
    printer.onEvent('recording:caption', { recordingId: 'r', provisional: '今天', sentence: null });
    printer.onEvent('recording:caption', { recordingId: 'r', provisional: '', sentence });
    printer.onEvent('recording:captions-state', lost);
    printer.onEvent('recording:captions-state', live);
    printer.close();
    expect(out.written.join('')).toBe(
      'Live captions on.\n[00:01:05] 今天我们讨论预算。\n' +
        'Live captions lost their server (the server closed); trying again. The recording goes on.\n' +
        'Live captions are back.\n',
    );
  });

  it('rewrites the provisional line on a terminal and replaces it with the sentence', () => {
    const out = output(true, 11);
    const printer = captionPrinter(out);
    printer.onEvent('recording:caption', {
      recordingId: 'r',
      provisional: 'one two three four',
      sentence: null,
    });
    expect(out.written.at(-1)).toBe('\r\x1b[2K\x1b[2mthree four\x1b[0m');
    printer.onEvent('recording:caption', { recordingId: 'r', provisional: '', sentence });
    expect(out.written.at(-1)).toBe('\r\x1b[2K[00:01:05] 今天我们讨论预算。\n');
    printer.onEvent('recording:caption', { recordingId: 'r', provisional: 'next', sentence: null });
    printer.close();
    expect(out.written.at(-1)).toBe('\r\x1b[2K');
  });
});

describe('tailThatFits', () => {
  it('keeps the end that fits, wide characters taking two columns', () => {
    expect(tailThatFits('abcdef', 4)).toBe('cdef');
    expect(tailThatFits('讨论项目预算', 5)).toBe('预算');
    expect(tailThatFits('讨论a预算', 5)).toBe('a预算');
    expect(tailThatFits('ab', 10)).toBe('ab');
  });
});
