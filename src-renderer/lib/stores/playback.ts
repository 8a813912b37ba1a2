// What is being played, shared by the player and the transcript. The transcript seeks with `seek` and follows
// `currentMs`; the player loads the open meeting's audio and waveform here (loadPlayback), attaches its media element
// (attachPlayer) so that seek/play/pause move it, and reports its position and state back.
import { get, writable, type Readable } from 'svelte/store';
import type { MeetingAudio, WaveformPeaks } from '../../../src-shared/types.js';
import { api } from '../api.js';

/** The audio and waveform of the meeting the player shows. */
export interface PlaybackSource {
  meetingId: number | null;
  /** What the meeting plays (null while loading or when it could not be asked). */
  audio: MeetingAudio | null;
  /** Its waveform, null until it has arrived (or when there is none). */
  peaks: WaveformPeaks | null;
  /** Why the audio or its waveform could not be loaded (an ApiError), or null. */
  error: unknown;
}

/** What the player does when asked by anyone (the transcript, a shortcut). */
export interface PlayerControls {
  seek(ms: number): void;
  play(): void;
  pause(): void;
}

const position = writable<number | null>(null);
const playingState = writable(false);
const sourceState = writable<PlaybackSource>({ meetingId: null, audio: null, peaks: null, error: null });

/** The position being played in ms, or null while no audio is loaded. */
export const currentMs: Readable<number | null> = { subscribe: position.subscribe };

/** True while the audio plays. */
export const playing: Readable<boolean> = { subscribe: playingState.subscribe };

/** The open meeting's audio and waveform. */
export const playbackSource: Readable<PlaybackSource> = { subscribe: sourceState.subscribe };

let controls: PlayerControls | null = null;

/** Moves playback to `ms` (not below 0); the transcript calls this on a click. */
export function seek(ms: number): void {
  const to = Math.max(0, Math.round(ms));
  position.set(to);
  controls?.seek(to);
}

/** Starts playing from the current position. */
export function play(): void {
  controls?.play();
}

/** Pauses playback. */
export function pause(): void {
  controls?.pause();
}

/** Plays when paused, pauses when playing. */
export function togglePlay(): void {
  if (get(playingState)) pause();
  else play();
}

/**
 * Lets the player's media element answer seek/play/pause; a position asked for before it attached is applied at
 * once. Returns the function that detaches it (position and state go back to nothing loaded).
 */
export function attachPlayer(player: PlayerControls): () => void {
  controls = player;
  const pending = get(position);
  if (pending !== null) player.seek(pending);
  return () => {
    if (controls !== player) return;
    controls = null;
    position.set(null);
    playingState.set(false);
  };
}

/** The player reports where its media element is. */
export function reportPosition(ms: number): void {
  position.set(Math.max(0, Math.round(ms)));
}

/** The player reports whether its media element plays. */
export function reportPlaying(isPlaying: boolean): void {
  playingState.set(isPlaying);
}

/** Counts every load started, so that only the newest meeting's answers are kept. */
let generation = 0;

/** Loads what meeting `meetingId` plays and then its waveform (computed once in the main process, then cached). */
export async function loadPlayback(meetingId: number): Promise<void> {
  const mine = ++generation;
  sourceState.set({ meetingId, audio: null, peaks: null, error: null });
  position.set(null);
  try {
    const audio = await api.getMeetingAudio(meetingId);
    if (mine !== generation) return;
    sourceState.update((state) => ({ ...state, audio }));
    if (audio.state === 'missing') return;
    const peaks = await api.getWaveformPeaks(meetingId);
    if (mine === generation) sourceState.update((state) => ({ ...state, peaks }));
  } catch (error) {
    if (mine === generation) sourceState.update((state) => ({ ...state, error }));
  }
}
