// The microphone/monitor interleaving of the app's Linux recordings: paired by sample count, the microphone never held
// back more than a second (a stalled monitor is silence), the monitor's queue bounded while the page sends nothing,
// and cut to the microphone's chunk when it starts or resumes so both end together; a lost monitor leaves the
// microphone written at once beside silence, and its audio when back starts anew with the next chunk; the right
// channel's peak is what was written.
import { describe, expect, it } from 'vitest';
import { MAX_CHANNEL_LAG_SAMPLES, MicrophoneMonitorMixer } from '../../../src-main/recording/monitor-mix.js';

/** `count` s16le samples numbered from `from` (so where each sample went can be read back). */
function ramp(from: number, count: number): Buffer {
  const bytes = Buffer.alloc(count * 2);
  for (let i = 0; i < count; i++) bytes.writeInt16LE((from + i) % 32768, i * 2);
  return bytes;
}

/** The left and right channels of interleaved two-channel frames. */
function channels(frames: Buffer): [number[], number[]] {
  const left: number[] = [];
  const right: number[] = [];
  for (let i = 0; i < frames.length; i += 4) {
    left.push(frames.readInt16LE(i));
    right.push(frames.readInt16LE(i + 2));
  }
  return [left, right];
}

describe('MicrophoneMonitorMixer', () => {
  it('pairs the microphone left with the monitor right, sample for sample, across odd byte splits', () => {
    const mixer = new MicrophoneMonitorMixer();
    const monitor = ramp(1000, 1600);
    mixer.pushMonitor(monitor.subarray(0, 1001));
    mixer.pushMonitor(monitor.subarray(1001));
    expect(mixer.pushMicrophone(ramp(0, 1600), true).equals(interleave(0, 1000, 1600))).toBe(true);
    expect(mixer.flush()).toHaveLength(0);
  });

  it('writes a stalled monitor as silence once the microphone is a second ahead, never holding it back longer', () => {
    const mixer = new MicrophoneMonitorMixer();
    let written = 0;
    for (let chunk = 0; chunk < 30; chunk++) {
      const frames = mixer.pushMicrophone(ramp(chunk * 1600, 1600), chunk === 0);
      written += frames.length / 4;
      expect((chunk + 1) * 1600 - written).toBeLessThanOrEqual(MAX_CHANNEL_LAG_SAMPLES);
      expect(channels(frames)[1].every((sample) => sample === 0)).toBe(true);
    }
    const [left] = channels(mixer.flush());
    expect(written + left.length).toBe(30 * 1600);
    expect(left.at(-1)).toBe((30 * 1600 - 1) % 32768);
  });

  it('keeps only the last second of the monitor while the microphone is paused, then starts both together', () => {
    const mixer = new MicrophoneMonitorMixer();
    for (let chunk = 0; chunk < 50; chunk++) mixer.pushMonitor(ramp(chunk * 1600, 1600));
    // Waiting for the microphone, the monitor holds a bounded second; the microphone's return keeps its newest 1600.
    const [left, right] = channels(mixer.pushMicrophone(ramp(0, 1600), true));
    expect(left).toHaveLength(1600);
    expect(right[0]).toBe((50 * 1600 - 1600) % 32768);
    expect(right.at(-1)).toBe((50 * 1600 - 1) % 32768);
    expect(mixer.flush()).toHaveLength(0);
  });

  it('writes the microphone at once while the monitor is lost, and starts the monitor anew with the next chunk', () => {
    const mixer = new MicrophoneMonitorMixer();
    expect(mixer.pushMicrophone(ramp(0, 1600), true)).toHaveLength(0);
    mixer.pushMonitor(ramp(5000, 800));
    mixer.monitorLost();
    // All the microphone is written; the lost monitor's last samples pair with the microphone that waited for them.
    const [left, right] = channels(mixer.pushMicrophone(ramp(1600, 1600), false));
    expect(left).toEqual(channels(interleave(0, 0, 3200))[0]);
    expect(right.slice(0, 800)).toEqual(channels(interleave(0, 5000, 800))[1]);
    expect(right.slice(800).every((sample) => sample === 0)).toBe(true);
    // Back: of the monitor's first 3200 samples the newest 1600 pair with the next chunk, sample for sample.
    mixer.pushMonitor(ramp(20000, 3200));
    expect(mixer.pushMicrophone(ramp(3200, 1600), false).equals(interleave(3200, 21600, 1600))).toBe(true);
    expect(mixer.flush()).toHaveLength(0);
  });

  it('tells the peak of the right channel written since it was last asked', () => {
    const mixer = new MicrophoneMonitorMixer();
    const loud = Buffer.alloc(3200);
    loud.writeInt16LE(-16384, 100);
    mixer.pushMonitor(loud);
    // The microphone is loud too: only the right channel counts.
    mixer.pushMicrophone(Buffer.alloc(3200, 0x7f), true);
    expect(mixer.takePeak()).toBe(0.5);
    expect(mixer.takePeak()).toBe(0);
  });
});

/** Frames of a microphone ramp from `micFrom` and a monitor ramp from `monitorFrom`, `count` long. */
function interleave(micFrom: number, monitorFrom: number, count: number): Buffer {
  const frames = Buffer.alloc(count * 4);
  for (let i = 0; i < count; i++) {
    frames.writeInt16LE(micFrom + i, i * 4);
    frames.writeInt16LE(monitorFrom + i, i * 4 + 2);
  }
  return frames;
}
