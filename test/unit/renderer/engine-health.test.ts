import { describe, expect, it } from 'vitest';
import { serverTraitsText as worded } from '../../../src-renderer/lib/engine-health.js';
import type { ServerTraits } from '../../../src-shared/types.js';
import { englishCatalog, chineseCatalog } from './catalog-translate.js';

const serverTraitsText = (server: ServerTraits): string => worded(englishCatalog('engine'), server);

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

  it('words it in Chinese from the Chinese catalog', () => {
    expect(worded(chineseCatalog('engine'), { kind: 'offline', timestamps: true })).toBe(
      '离线文件转写服务 · 有字级时间戳',
    );
  });
});
