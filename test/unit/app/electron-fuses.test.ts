// The Electron fuses of the packaged app: electron-builder.yml read and validated the way electron-builder itself reads
// and validates it (app-builder-lib's config loader and its JSON schema), then each fuse checked.
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** The packaging configuration as electron-builder loads it from the project. */
const loadConfig = () => getConfig(ROOT, null, null);

describe('electron-builder configuration', () => {
  it('is valid against electron-builder’s own schema', async () => {
    await expect(validateConfiguration(await loadConfig(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('flips the fuses: no run-as-node, NODE_OPTIONS or inspect flags; encrypted cookies; only the checked app.asar', async () => {
    const config = await loadConfig();
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });

  it('the schema check refuses a misspelt fuse and a fuse that is not true or false', async () => {
    const config = await loadConfig();
    const check = (electronFuses: object) =>
      validateConfiguration({ ...config, electronFuses } as typeof config, new DebugLogger(false));
    await expect(check({ ...config.electronFuses, runAsNodes: false })).rejects.toThrow(
      /configuration\.electronFuses/,
    );
    await expect(check({ ...config.electronFuses, runAsNode: 'no' })).rejects.toThrow(
      /configuration\.electronFuses/,
    );
  });

  it('lets the packaged app record: the macOS microphone text and entitlement, and the tray icons inside the app', async () => {
    const config = await loadConfig();
    expect(config.mac?.extendInfo).toMatchObject({
      NSMicrophoneUsageDescription: expect.stringMatching(/microphone/),
    });
    expect(config.mac?.hardenedRuntime).toBe(true);
    const entitlements = readFileSync(join(ROOT, String(config.mac?.entitlements)), 'utf8');
    expect(entitlements).toMatch(/<key>com\.apple\.security\.device\.audio-input<\/key>\s*<true\/>/);
    const filters = (config.files as { filter: string[] }[]).flatMap((entry) => entry.filter);
    expect(filters).toContain('resources/tray/*.png');
    expect(readdirSync(join(ROOT, 'resources', 'tray')).filter((name) => name.endsWith('.png'))).toHaveLength(
      6,
    );
  });
});
