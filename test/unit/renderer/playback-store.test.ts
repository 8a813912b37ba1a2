// The playback store the transcript and the player share: a seek reaches the attached player (or waits for it), the
// player's reports become currentMs and playing, and detaching leaves nothing loaded.
import { get } from 'svelte/store';
import { describe, expect, it } from 'vitest';
import {
  attachPlayer,
  currentMs,
  pause,
  play,
  playing,
  reportPlaying,
  reportPosition,
  seek,
  togglePlay,
  type PlayerControls,
} from '../../../src-renderer/lib/stores/playback.js';

/** A player that records what it was asked. */
function recordingPlayer(): PlayerControls & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    seek: (ms) => calls.push(`seek ${ms}`),
    play: () => calls.push('play'),
    pause: () => calls.push('pause'),
  };
}

describe('the playback store', () => {
  it('keeps a seek made before the player attached and applies it when it does', () => {
    seek(12_345.6);
    expect(get(currentMs)).toBe(12_346);
    const player = recordingPlayer();
    const detach = attachPlayer(player);
    expect(player.calls).toEqual(['seek 12346']);
    detach();
    expect(get(currentMs)).toBeNull();
  });

  it('passes seeks, play and pause on to the attached player and follows its reports', () => {
    const player = recordingPlayer();
    const detach = attachPlayer(player);
    seek(-50);
    expect(get(currentMs)).toBe(0);
    togglePlay();
    reportPlaying(true);
    reportPosition(1500.4);
    expect(get(playing)).toBe(true);
    expect(get(currentMs)).toBe(1500);
    togglePlay();
    play();
    pause();
    expect(player.calls).toEqual(['seek 0', 'play', 'pause', 'play', 'pause']);
    detach();
    expect(get(playing)).toBe(false);
  });

  it('lets only the player that is attached detach', () => {
    const first = recordingPlayer();
    const second = recordingPlayer();
    const detachFirst = attachPlayer(first);
    const detachSecond = attachPlayer(second);
    detachFirst();
    seek(700);
    expect(second.calls).toEqual(['seek 700']);
    expect(first.calls).toEqual([]);
    detachSecond();
  });
});
