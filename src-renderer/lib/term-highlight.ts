// The search term in an open transcript: which sentences contain it, where, and a sentence cut into plain, marked and
// now-playing parts so it renders without {@html}.
import type { TextRange } from '../../src-shared/types.js';

/** The words of a search term, lower-cased (quotes and the `-` of excluded words dropped); empty for no term. */
export function termWords(term: string | null | undefined): string[] {
  return (term ?? '')
    .toLowerCase()
    .split(/\s+/)
    .map((word) => word.replace(/^-/, '').replaceAll('"', ''))
    .filter((word) => word !== '' && !/^(and|or|not)$/.test(word));
}

/** Every place in `text` where one of the words occurs (case-insensitive). */
export function termRanges(text: string, words: readonly string[]): TextRange[] {
  if (words.length === 0) return [];
  const lower = text.toLowerCase();
  const ranges: TextRange[] = [];
  for (const word of words) {
    for (let at = lower.indexOf(word); at >= 0; at = lower.indexOf(word, at + word.length)) {
      ranges.push({ start: at, end: at + word.length });
    }
  }
  return ranges;
}

/** The indexes of the sentences that contain one of the words, in order. */
export function sentencesWithTerm(texts: readonly { text: string }[], words: readonly string[]): number[] {
  if (words.length === 0) return [];
  const hits: number[] = [];
  texts.forEach(({ text }, index) => {
    const lower = text.toLowerCase();
    if (words.some((word) => lower.includes(word))) hits.push(index);
  });
  return hits;
}

/** A run of a sentence's text: inside a search match or not, inside the token being played or not. */
export interface SentencePart {
  text: string;
  /** Where the run starts in the sentence. */
  start: number;
  marked: boolean;
  playing: boolean;
}

const inside = (ranges: readonly TextRange[], at: number): boolean =>
  ranges.some(({ start, end }) => start <= at && at < end);

/** The text cut at every border of the marks and of the playing range; joining the parts gives the text back. */
export function sentenceParts(
  text: string,
  marks: readonly TextRange[],
  playing: TextRange | null,
): SentencePart[] {
  const playingRanges = playing ? [playing] : [];
  const borders = new Set([0, text.length]);
  for (const { start, end } of [...marks, ...playingRanges]) {
    borders.add(Math.max(0, Math.min(text.length, start)));
    borders.add(Math.max(0, Math.min(text.length, end)));
  }
  const cuts = [...borders].sort((a, b) => a - b);
  const parts: SentencePart[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const start = cuts[i]!;
    const part = {
      text: text.slice(start, cuts[i + 1]),
      start,
      marked: inside(marks, start),
      playing: inside(playingRanges, start),
    };
    const last = parts.at(-1);
    if (last && last.marked === part.marked && last.playing === part.playing) last.text += part.text;
    else parts.push(part);
  }
  return parts;
}
