import { describe, expect, it } from 'vitest';
import { singleLineText, withoutControlChars } from '../../../src-main/util/control-chars.js';

/** Every code point from U+0000 to U+00FF, once. */
const LATIN1 = Array.from({ length: 0x100 }, (_, code) => String.fromCodePoint(code)).join('');

describe('withoutControlChars', () => {
  it('drops C0 (but tab and newline), DEL and C1, and keeps everything else', () => {
    const kept = [...withoutControlChars(LATIN1)].map((char) => char.codePointAt(0));
    const expected = [0x09, 0x0a];
    for (let code = 0x20; code < 0x7f; code++) expected.push(code);
    for (let code = 0xa0; code < 0x100; code++) expected.push(code);
    expect(kept).toEqual(expected);
  });

  it('leaves no escape byte of a terminal sequence, and keeps CJK and emoji', () => {
    const hostile = '会议\u001b]0;pwned\u0007开始\u001b[2J\r😀\u009b31m';
    expect(withoutControlChars(hostile)).toBe('会议]0;pwned开始[2J😀31m');
  });
});

describe('singleLineText', () => {
  it('turns runs of tabs and newlines into one space and drops control characters', () => {
    expect(singleLineText('Weekly\n\n\tsync\u001b[1m\r\nnotes')).toBe('Weekly sync[1m notes');
  });

  it('keeps plain text as it is', () => {
    expect(singleLineText('Plain title 一')).toBe('Plain title 一');
  });
});
