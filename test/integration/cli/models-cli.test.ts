// `funscribe models` through the built command: the catalog, choosing a model, and importing files that are not a
// known model (no real model can be downloaded here; downloads themselves are tested against local HTTP servers).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFabricatedModels, type FabricatedModels } from '../../helpers/fabricated-onnx.js';
import { runCli, runCliJson } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

interface ModelsJson {
  selected: string | null;
  region: 'global' | 'cn';
  models: { id: string; sizeBytes: number; installed: boolean; selected: boolean }[];
}

describe('funscribe models', () => {
  let data: Awaited<ReturnType<typeof makeTempDir>>;
  let models: FabricatedModels;

  beforeAll(async () => {
    data = await makeTempDir('cli-models');
    models = await writeFabricatedModels(data.path);
  });

  afterAll(async () => data?.remove());

  it('lists the catalog with nothing installed and no model in use', async () => {
    const { code, json } = await runCliJson<ModelsJson>(data.path, ['models']);
    expect(code).toBe(0);
    expect(json.selected).toBeNull();
    expect(json.region).toBe('global');
    expect(json.models.map((m) => m.id)).toEqual([
      'campplus-zh-cn',
      'campplus-en-voxceleb',
      'campplus-zh-en-advanced',
      'eres2net-base-zh-cn',
    ]);
    expect(json.models.every((m) => !m.installed && !m.selected && m.sizeBytes > 20e6)).toBe(true);
  });

  it('chooses a model for later jobs, goes back to voice statistics, and refuses an unknown one', async () => {
    const use = await runCli(data.path, ['models', 'use', 'campplus-zh-cn', '--region', 'cn']);
    expect(use.code).toBe(0);
    expect(use.stdout).toContain('downloaded when the next file is transcribed');
    expect((await runCliJson<ModelsJson>(data.path, ['models'])).json).toMatchObject({
      selected: 'campplus-zh-cn',
      region: 'cn',
    });
    const badRegion = await runCli(data.path, ['models', 'use', 'campplus-zh-cn', '--region', 'mars']);
    expect(badRegion.stderr).toContain('The download region must be "global" or "cn"');
    const unknown = await runCli(data.path, ['models', 'use', 'whisper']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There is no speaker model called "whisper"');
    expect((await runCli(data.path, ['models', 'use', 'none'])).code).toBe(0);
    expect((await runCliJson<ModelsJson>(data.path, ['models'])).json.selected).toBeNull();
  });

  it('refuses to import an ONNX model it does not know, or a file that is not a model, and installs nothing', async () => {
    const foreign = await runCli(data.path, ['models', 'import', models.valid]);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toContain('is an ONNX model, but not one of the speaker models FunScribe knows');
    const text = join(data.path, 'notes.onnx');
    await writeFile(text, 'meeting notes, not a model');
    const notModel = await runCli(data.path, ['models', 'import', text]);
    expect(notModel.code).toBe(1);
    expect(notModel.stderr).toContain('is not an ONNX model file');
    const { json } = await runCliJson<ModelsJson>(data.path, ['models']);
    expect(json.models.some((m) => m.installed)).toBe(false);
  });
});
