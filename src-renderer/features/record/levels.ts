// What the level meters show: a bar per channel on a decibel scale (as audio meters do), named Me and Them when the
// recording has the system audio as its second channel.

/** The quietest level a meter shows (dB of full scale); anything quieter is an empty bar. */
const FLOOR_DB = -60;

/** How full a meter is (0..1) for a level of 0..1 of full scale: −60 dB is empty, 0 dB is full. */
export function meterFill(level: number): number {
  if (!Number.isFinite(level) || level <= 0) return 0;
  const db = 20 * Math.log10(Math.min(level, 1));
  return Math.max(0, 1 - db / FLOOR_DB);
}

/** The catalog id of each channel's name: the microphone alone, or me (left) and them (right). */
export function channelNames(count: number): ('mono' | 'me' | 'them')[] {
  return count >= 2 ? ['me', 'them'] : ['mono'];
}
