// Deterministic placeholder tokens laid over detected speech. Nothing is recognised: token i of a stream is
// always the same character (zh) or word (en); only the timing comes from the audio.
import type { SpeechSentence, VoicedSpan } from './speech-detector.js';

/** Language of the placeholder tokens. */
export type SimLanguage = 'zh' | 'en';

/** One output token with its [start, end] in ms. */
export interface PlacedToken {
  text: string;
  start: number;
  end: number;
}

/** The tokens of one comma piece and the mark that ends it ('' when the punctuation model left it open). */
export interface TextPiece {
  tokens: PlacedToken[];
  punc: string;
}

const ZH_CYCLE = [...'今天我们讨论项目预算和时间安排会议记录需要整理'];
const EN_CYCLE =
  'today we discuss the project budget and the schedule for next quarter please review the meeting notes'.split(
    ' ',
  );

/** Tokens per second of voiced audio: about 4 Chinese characters or 2.5 English words. */
export const TOKENS_PER_SECOND: Record<SimLanguage, number> = { zh: 4, en: 2.5 };

/** Punctuation the sim writes after a piece and after a sentence. */
export const MARKS: Record<SimLanguage, { comma: string; stop: string }> = {
  zh: { comma: '，', stop: '。' },
  en: { comma: ',', stop: '.' },
};

/** The placeholder token at a position of the stream. */
export function tokenText(language: SimLanguage, index: number): string {
  const cycle = language === 'zh' ? ZH_CYCLE : EN_CYCLE;
  return cycle[index % cycle.length] ?? '';
}

/** Joins tokens as the model's text does: Chinese without spaces, English with single spaces. */
export function joinTokens(language: SimLanguage, tokens: readonly string[]): string {
  return tokens.join(language === 'zh' ? '' : ' ');
}

/** Number of tokens the streaming pass has produced for `voicedMs` of speech. */
export function streamingTokenCount(language: SimLanguage, voicedMs: number): number {
  return Math.floor((voicedMs * TOKENS_PER_SECOND[language]) / 1000);
}

/** Spreads `count` tokens over voiced spans; each token lies inside one span (a single token covers them all). */
function placeInSpans(spans: readonly VoicedSpan[], count: number): { start: number; end: number }[] {
  const first = spans[0];
  const last = spans[spans.length - 1];
  if (!first || !last) return [];
  if (count === 1) return [{ start: first.start, end: last.end }];
  const total = spans.reduce((sum, s) => sum + s.end - s.start, 0);
  const perSpan = new Array<number>(spans.length).fill(0);
  let spanIndex = 0;
  let spanEndVoiced = first.end - first.start;
  for (let k = 0; k < count; k++) {
    const mid = ((k + 0.5) * total) / count;
    while (mid > spanEndVoiced && spanIndex < spans.length - 1) {
      spanIndex++;
      const span = spans[spanIndex] as VoicedSpan;
      spanEndVoiced += span.end - span.start;
    }
    const target = k === 0 ? 0 : k === count - 1 ? spans.length - 1 : spanIndex;
    perSpan[target] = (perSpan[target] ?? 0) + 1;
  }
  const placed: { start: number; end: number }[] = [];
  spans.forEach((span, i) => {
    const n = perSpan[i] ?? 0;
    for (let j = 0; j < n; j++) {
      const at = (p: number): number => Math.round(span.start + ((span.end - span.start) * p) / n);
      placed.push({ start: at(j), end: at(j + 1) });
    }
  });
  return placed;
}

/** Places tokens over one sentence, starting at stream token `firstIndex`; the last piece gets `finalMark`. */
export function placeSentence(
  language: SimLanguage,
  sentence: SpeechSentence,
  firstIndex: number,
  finalMark: string,
): TextPiece[] {
  let index = firstIndex;
  return sentence.pieces.map((piece, i) => {
    const voiced = piece.spans.reduce((sum, s) => sum + s.end - s.start, 0);
    const count = Math.max(1, Math.round((voiced * TOKENS_PER_SECOND[language]) / 1000));
    const tokens = placeInSpans(piece.spans, count).map((t) => ({
      ...t,
      text: tokenText(language, index++),
    }));
    const punc = i === sentence.pieces.length - 1 ? finalMark : MARKS[language].comma;
    return { tokens, punc };
  });
}

/** The `text` field for some pieces: tokens joined, each piece followed by its mark. */
export function renderText(language: SimLanguage, pieces: readonly TextPiece[]): string {
  const parts = pieces.map(
    (p) =>
      joinTokens(
        language,
        p.tokens.map((t) => t.text),
      ) + p.punc,
  );
  return parts.join(language === 'zh' ? '' : ' ');
}

/** How many tokens some pieces hold. */
export function countTokens(pieces: readonly TextPiece[]): number {
  return pieces.reduce((sum, p) => sum + p.tokens.length, 0);
}
