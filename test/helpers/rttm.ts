// Reads and writes RTTM speaker turns (the NIST "who spoke when" format) for diarization tests and benchmarks.

/** One speaker turn: who spoke in which file from `startMs` to `endMs`. */
export interface RttmTurn {
  file: string;
  startMs: number;
  endMs: number;
  speaker: string;
}

/** Converts seconds as written in RTTM to ms, dropping float noise below a microsecond. */
function secondsToMs(text: string, line: number): number {
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`RTTM line ${line}: bad time "${text}"`);
  return Math.round(seconds * 1e6) / 1e3;
}

/** Parses the SPEAKER lines of an RTTM text; other record types, comments and blank lines are skipped. */
export function parseRttm(text: string): RttmTurn[] {
  const turns: RttmTurn[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const fields = raw.trim().split(/\s+/);
    const [type, file = '', , start = '', duration = '', , , speaker = ''] = fields;
    if (type !== 'SPEAKER') continue;
    const line = index + 1;
    if (fields.length < 8)
      throw new Error(`RTTM line ${line}: expected at least 8 fields, got ${fields.length}`);
    const startMs = secondsToMs(start, line);
    turns.push({ file, startMs, endMs: startMs + secondsToMs(duration, line), speaker });
  }
  return turns;
}

/** Formats turns as RTTM SPEAKER lines (times rounded to the ms), one per line with a trailing newline. */
export function formatRttm(turns: readonly RttmTurn[]): string {
  return turns
    .map((turn) => {
      const start = Math.round(turn.startMs);
      const duration = Math.round(turn.endMs) - start;
      const seconds = (ms: number): string => (ms / 1000).toFixed(3);
      return `SPEAKER ${turn.file} 1 ${seconds(start)} ${seconds(duration)} <NA> <NA> ${turn.speaker} <NA> <NA>\n`;
    })
    .join('');
}
