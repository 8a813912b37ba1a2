import { describe, expect, it } from 'vitest';
import { diarizationErrorRate, hungarianMaximise, type SpeakerTurn } from '../../helpers/der.js';
import { formatRttm, parseRttm } from '../../helpers/rttm.js';

const turn = (speaker: string, startS: number, endS: number): SpeakerTurn => ({
  speaker,
  startMs: startS * 1000,
  endMs: endS * 1000,
});

describe('RTTM', () => {
  it('round-trips turns and tolerates extra whitespace, comments and other record types', () => {
    const turns = [
      { file: 'meet', startMs: 700, endMs: 4123, speaker: 'A' },
      { file: 'meet', startMs: 5000, endMs: 9290, speaker: 'spk_2' },
    ];
    const text = formatRttm(turns);
    expect(text).toBe(
      'SPEAKER meet 1 0.700 3.423 <NA> <NA> A <NA> <NA>\nSPEAKER meet 1 5.000 4.290 <NA> <NA> spk_2 <NA> <NA>\n',
    );
    expect(parseRttm(text)).toEqual(turns);
    const messy = `;; comment\n\n  SPKR-INFO meet 1 <NA> <NA> <NA> unknown A <NA>\n SPEAKER\tmeet  1   0.29  0.01 <NA> <NA>  B  <NA> <NA>  \r\n`;
    expect(parseRttm(messy)).toEqual([{ file: 'meet', startMs: 290, endMs: 300, speaker: 'B' }]);
  });

  it('rejects a malformed SPEAKER line with its line number', () => {
    expect(() => parseRttm('SPEAKER a 1 x 1.0 <NA> <NA> A <NA> <NA>')).toThrow(/line 1: bad time "x"/);
    expect(() => parseRttm('\nSPEAKER a 1 0.0')).toThrow(/line 2: expected at least 8 fields/);
  });
});

describe('hungarianMaximise', () => {
  it('finds the optimal assignment where greedy picking of the largest weight fails', () => {
    // Greedy takes 5 (row 0 → col 0) and is left with 0; optimal is 4 + 4 = 8.
    expect(
      hungarianMaximise([
        [5, 4],
        [4, 0],
      ]),
    ).toEqual([1, 0]);
  });

  it('handles rectangular matrices, leaving extra rows unassigned', () => {
    expect(hungarianMaximise([[1, 9, 2]])).toEqual([1]);
    expect(hungarianMaximise([[3], [7], [1]])).toEqual([-1, 0, -1]);
    expect(hungarianMaximise([])).toEqual([]);
  });
});

describe('diarizationErrorRate', () => {
  const reference = [turn('A', 0, 4), turn('B', 5, 9), turn('A', 10, 12), turn('C', 12, 15)];

  it('is zero for the reference with renamed labels, and maps labels back', () => {
    const renamed = reference.map((t) => ({
      ...t,
      speaker: { A: 'spk1', B: 'spk0', C: 'x' }[t.speaker] ?? '',
    }));
    const result = diarizationErrorRate(reference, renamed, { collarMs: 0 });
    expect(result).toMatchObject({ der: 0, missMs: 0, falseAlarmMs: 0, confusionMs: 0, totalMs: 13_000 });
    expect(result.mapping).toEqual({ spk1: 'A', spk0: 'B', x: 'C' });
  });

  it('counts confusion by hand: last 2 s of 10 s labelled as another speaker', () => {
    const hypothesis = [turn('X', 0, 8), turn('Y', 8, 10)];
    const noCollar = diarizationErrorRate([turn('A', 0, 10)], hypothesis, { collarMs: 0 });
    expect(noCollar).toMatchObject({ confusionMs: 2000, totalMs: 10_000, missMs: 0, falseAlarmMs: 0 });
    expect(noCollar.der).toBeCloseTo(0.2, 10);
    // The ±250 ms collar removes 0–0.25 s and 9.75–10 s: 1.75 s confused out of 9.5 s scored.
    const collar = diarizationErrorRate([turn('A', 0, 10)], hypothesis);
    expect(collar).toMatchObject({ confusionMs: 1750, totalMs: 9500 });
    expect(collar.der).toBeCloseTo(1750 / 9500, 10);
  });

  it('counts missed speech and false alarms', () => {
    const miss = diarizationErrorRate([turn('A', 0, 10)], [turn('h', 0, 6)], { collarMs: 0 });
    expect(miss).toMatchObject({ missMs: 4000, falseAlarmMs: 0, confusionMs: 0, der: 0.4 });
    const falseAlarm = diarizationErrorRate([turn('A', 0, 5)], [turn('h', 0, 5), turn('g', 7, 9)], {
      collarMs: 0,
    });
    expect(falseAlarm).toMatchObject({ missMs: 0, falseAlarmMs: 2000, confusionMs: 0, der: 0.4 });
    const nothing = diarizationErrorRate([turn('A', 0, 5)], [], { collarMs: 0 });
    expect(nothing).toMatchObject({ missMs: 5000, der: 1, mapping: {} });
  });

  it('scores overlapped speech unless skipOverlap is set', () => {
    const overlapped = [turn('A', 0, 10), turn('B', 4, 6)];
    const single = diarizationErrorRate(overlapped, [turn('X', 0, 10)], { collarMs: 0 });
    expect(single).toMatchObject({ missMs: 2000, totalMs: 12_000, confusionMs: 0, falseAlarmMs: 0 });
    expect(single.der).toBeCloseTo(2 / 12, 10);
    const both = diarizationErrorRate(overlapped, [turn('X', 0, 10), turn('Y', 4, 6)], { collarMs: 0 });
    expect(both.der).toBe(0);
    const skipped = diarizationErrorRate(overlapped, [turn('X', 0, 10)], { collarMs: 0, skipOverlap: true });
    expect(skipped).toMatchObject({ der: 0, totalMs: 8000 });
  });

  it('uses the optimal mapping, not the greedy one', () => {
    // Co-occurrence: A–x 5 s, A–y 4 s, B–x 4 s. Greedy (A→x) would leave 8 s confused; optimal leaves 5 s.
    const result = diarizationErrorRate(
      [turn('A', 0, 9), turn('B', 9, 13)],
      [turn('x', 0, 5), turn('y', 5, 9), turn('x', 9, 13)],
      { collarMs: 0 },
    );
    expect(result.mapping).toEqual({ x: 'B', y: 'A' });
    expect(result).toMatchObject({ confusionMs: 5000, totalMs: 13_000 });
    expect(result.der).toBeCloseTo(5 / 13, 10);
  });
});
