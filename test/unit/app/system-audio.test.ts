import { describe, expect, it } from 'vitest';
import {
  MAC_LOOPBACK_FEATURES,
  grantsSystemAudio,
  withFeatures,
} from '../../../src-main/app/system-audio.js';

const APP_PAGE = 'file:///opt/FunScribe/resources/app.asar/out/renderer/index.html';
const isAppPage = (url: string) => url.split('#')[0] === APP_PAGE;

describe('grantsSystemAudio', () => {
  it('grants the app page the system audio it asks for on Windows and macOS', () => {
    for (const platform of ['win32', 'darwin'] as const) {
      expect(grantsSystemAudio({ audioRequested: true, frameUrl: APP_PAGE }, platform, isAppPage)).toBe(true);
      expect(
        grantsSystemAudio({ audioRequested: true, frameUrl: `${APP_PAGE}#/record` }, platform, isAppPage),
      ).toBe(true);
    }
  });

  it('refuses a screen without audio, another page, a frame that is gone, and Linux (the monitor is an input there)', () => {
    expect(grantsSystemAudio({ audioRequested: false, frameUrl: APP_PAGE }, 'win32', isAppPage)).toBe(false);
    expect(
      grantsSystemAudio({ audioRequested: true, frameUrl: 'https://evil.example/' }, 'darwin', isAppPage),
    ).toBe(false);
    expect(grantsSystemAudio({ audioRequested: true, frameUrl: null }, 'win32', isAppPage)).toBe(false);
    expect(grantsSystemAudio({ audioRequested: true, frameUrl: APP_PAGE }, 'linux', isAppPage)).toBe(false);
  });
});

describe('withFeatures', () => {
  it('adds the macOS loopback features to those already enabled, once each', () => {
    expect(withFeatures('', MAC_LOOPBACK_FEATURES)).toBe(
      'MacLoopbackAudioForScreenShare,MacSckSystemAudioLoopbackOverride',
    );
    expect(withFeatures('WebRtcPipeWireCapturer,MacLoopbackAudioForScreenShare', MAC_LOOPBACK_FEATURES)).toBe(
      'WebRtcPipeWireCapturer,MacLoopbackAudioForScreenShare,MacSckSystemAudioLoopbackOverride',
    );
  });
});
