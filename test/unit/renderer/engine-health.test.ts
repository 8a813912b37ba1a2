import { describe, expect, it } from 'vitest';
import { serverTraitsText } from '../../../src-renderer/lib/engine-health.js';

describe('serverTraitsText', () => {
  it('names the server kind and whether it gives token times', () => {
    expect(serverTraitsText({ kind: 'offline', timestamps: true })).toBe('Offline file server · token times');
    expect(serverTraitsText({ kind: '2pass', timestamps: false })).toBe(
      '2pass streaming server · no token times',
    );
    expect(serverTraitsText({ kind: '2pass', timestamps: null })).toBe(
      '2pass streaming server · token times unknown (no words in the test sound)',
    );
  });
});
