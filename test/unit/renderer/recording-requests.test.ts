import { describe, expect, it } from 'vitest';
import { requestedChange } from '../../../src-renderer/features/record/recording-requests.js';

describe('requestedChange', () => {
  it('toggle starts when idle and stops a recording, paused or not', () => {
    expect(requestedChange('toggle', 'idle')).toBe('start');
    expect(requestedChange('toggle', 'recording')).toBe('stop');
    expect(requestedChange('toggle', 'paused')).toBe('stop');
  });

  it('start only starts and stop only stops', () => {
    expect(requestedChange('start', 'idle')).toBe('start');
    expect(requestedChange('start', 'recording')).toBeNull();
    expect(requestedChange('stop', 'idle')).toBeNull();
    expect(requestedChange('stop', 'paused')).toBe('stop');
  });

  it('does nothing while a recording is starting or stopping', () => {
    for (const action of ['start', 'stop', 'toggle'] as const) {
      expect(requestedChange(action, 'starting')).toBeNull();
      expect(requestedChange(action, 'stopping')).toBeNull();
    }
  });
});
