import { describe, expect, it } from 'vitest';
import {
  API_EVENTS,
  API_METHODS,
  ApiError,
  eventChannel,
  isApiEvent,
  isApiMethod,
  methodChannel,
  unwrapResult,
} from '../../../src-shared/contract.js';

describe('contract', () => {
  it('lists each method and event once, each on its own channel', () => {
    expect(new Set(API_METHODS).size).toBe(API_METHODS.length);
    expect(API_METHODS).toContain('addFiles');
    expect(API_METHODS).toEqual(
      expect.arrayContaining(['engineStatus', 'startEngine', 'stopEngine', 'engineLogs', 'checkEngines']),
    );
    expect(API_EVENTS).toEqual([
      'job:update',
      'library:changed',
      'meeting:purged',
      'engine:status',
      'engine:progress',
      'caption-engine:status',
      'caption-engine:progress',
      'speaker-model:progress',
      'recording:caption',
      'recording:captions-state',
      'recording:toggle-request',
      'recording:system-audio',
      'recording:system-audio-level',
    ]);
    const channels = [...API_METHODS.map(methodChannel), ...API_EVENTS.map(eventChannel)];
    expect(new Set(channels).size).toBe(channels.length);
  });

  it('recognises only its own names, not inherited object keys', () => {
    expect(isApiMethod('search')).toBe(true);
    expect(isApiMethod('toString')).toBe(false);
    expect(isApiMethod('__proto__')).toBe(false);
    expect(isApiEvent('job:update')).toBe(true);
    expect(isApiEvent('constructor')).toBe(false);
    expect(isApiEvent(42)).toBe(false);
  });

  it('is frozen, so no one can add a channel at run time', () => {
    expect(Object.isFrozen(API_METHODS)).toBe(true);
    expect(Object.isFrozen(API_EVENTS)).toBe(true);
  });

  it('unwraps results and rethrows errors with their code', () => {
    expect(unwrapResult({ ok: true, value: 3 })).toBe(3);
    let thrown: unknown;
    try {
      unwrapResult({ ok: false, error: { code: 'NOT_FOUND', message: 'There is no meeting with id 9.' } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect(thrown).toMatchObject({ code: 'NOT_FOUND', message: 'There is no meeting with id 9.' });
  });
});
