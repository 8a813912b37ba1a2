// The live-caption client on real loopback websockets. Against a server that stops reading (a stuck engine): feeding
// the captions never throws or waits, the connection counts as stalled once nothing drains, and the captions connect
// again; the stop sends the last part frame and the end. With no server to begin with: 'unavailable', told once,
// then live once a server comes up during the recording.
import { describe, expect, it, vi } from 'vitest';
import type { CaptionServer } from '../../../src-main/recording/caption-server.js';
import { LiveCaptions, type CaptionTiming } from '../../../src-main/recording/live-captions.js';
import type { ApiEventMap } from '../../../src-shared/contract.js';
import { useHostileServers } from '../../helpers/hostile-server.js';

const startServer = useHostileServers();

/** 100 ms of a 440 Hz tone at 16 kHz. */
const TONE = Int16Array.from({ length: 1600 }, (_, i) =>
  Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 16000)),
);

/** Live captions on the server `url()` gives (none while it gives null), with the states they tell. */
function startCaptions(url: () => string | null, timing: Partial<CaptionTiming>) {
  const states: ApiEventMap['recording:captions-state'][] = [];
  const findServer = async (): Promise<CaptionServer | null> => {
    const current = url();
    return current ? { url: current, allowSelfSignedTls: false } : null;
  };
  const captions = new LiveCaptions({
    recordingId: 'test',
    findServer,
    hotwords: [],
    itn: true,
    store: () => undefined,
    emit: (event, payload) => {
      if (event === 'recording:captions-state')
        states.push(payload as ApiEventMap['recording:captions-state']);
    },
    timing,
  });
  return { captions, states };
}

describe('live captions with a server that stops reading', () => {
  it('drops the stuck connection without holding up the recording, and connects again', async () => {
    let connections = 0;
    const server = await startServer({
      onOpen: (session) => {
        if (++connections === 1) session.stopReading();
      },
    });
    const { captions, states } = startCaptions(() => server.url, {
      stallMs: 300,
      backoffMs: [50],
      endWaitMs: 500,
    });
    await vi.waitFor(() => expect(states.map((change) => change.state)).toEqual(['live']), { timeout: 5000 });
    // Audio keeps coming faster than real time until the socket's buffers are full and the server counts as stuck.
    let pushedMs = 0;
    while (!states.some((change) => change.state === 'reconnecting')) {
      for (let i = 0; i < 10; i++) captions.push(TONE);
      pushedMs += 1000;
      expect(pushedMs).toBeLessThan(600_000);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(states[1]).toMatchObject({ state: 'reconnecting', error: { code: 'ASR_TIMEOUT' } });
    await vi.waitFor(() => expect(states.at(-1)?.state).toBe('live'), { timeout: 5000 });
    expect(server.sessions).toHaveLength(2);
    expect(server.sessions[1]!.start).toMatchObject({ mode: '2pass', chunk_size: [5, 10, 5] });
    // A healthy server takes a chunk of 10 s (the most one append carries) without counting as stuck.
    const tenSeconds = new Int16Array(160_000).fill(1000);
    captions.push(tenSeconds);
    captions.push(TONE);
    await vi.waitFor(() => expect(server.sessions[1]!.audioBytes).toBe(960 * 2 * 168), { timeout: 5000 });
    expect(states.at(-1)?.state).toBe('live');
    await captions.end();
    expect(server.sessions[1]!.endSeen).toBe(true);
    // The 640 samples that made no whole frame went with the end.
    expect(server.sessions[1]!.audioBytes).toBe(161_600 * 2);
  });

  it('says unavailable once when there is no server, and goes live when one comes up', async () => {
    let serverUrl: string | null = null;
    const { captions, states } = startCaptions(() => serverUrl, { lookAgainMs: 50, endWaitMs: 100 });
    await vi.waitFor(() => expect(states.map((change) => change.state)).toEqual(['unavailable']), {
      timeout: 5000,
    });
    expect(states[0]!.error).toMatchObject({ code: 'ENGINE_UNAVAILABLE', params: { reason: 'noCaptions' } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(states).toHaveLength(1);
    const server = await startServer({});
    serverUrl = server.url;
    await vi.waitFor(() => expect(states.map((change) => change.state)).toEqual(['unavailable', 'live']), {
      timeout: 5000,
    });
    captions.push(TONE);
    await captions.end();
    expect(server.sessions[0]).toMatchObject({ endSeen: true, audioBytes: 3200 });
  });
});
