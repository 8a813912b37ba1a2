import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseServerFlags } from '../../funasr-sim/cli-flags.js';
import { prepareModels, type DownloadSettings } from '../../funasr-sim/model-download.js';
import { formatSize, tqdmLine } from '../../funasr-sim/tqdm-line.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const ASR = 'iic/speech_paraformer-large-vad-punc_asr_nat-zh-cn-16k-common-vocab8404-onnx';
const VAD = 'iic/speech_fsmn_vad_zh-cn-16k-common-onnx';
const PUNC = 'iic/punc_ct-transformer_cn-en-common-vocab471067-large-onnx';
const ITN = 'thuduj12/fst_itn_zh';
const GPU_ASR = 'iic/speech_paraformer-large-vad-punc_asr_nat-zh-cn-16k-common-vocab8404-pytorch';
const GLOG = /^[IWE]\d{8} \d{2}:\d{2}:\d{2}\.\d{6} +\d+ [\w.-]+\.cpp:\d+\] /;
const PROGRESS =
  /^Downloading \[([^\]]+)\]: +(\d+)%\|[ ▏▎▍▌▋▊▉█]{10}\| ([\d.]+[kMG]?)\/([\d.]+[kMG]?) \[[\d:]+<[\d:?]+, [^\]]+\]$/;

let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => ({ path: dir, remove } = await makeTempDir('model-download')));
afterEach(() => remove());

/** The offline binary's flags for the GPU: `model` as the ASR model, no ITN or LM. */
function gpuFlags(model: string): ReturnType<typeof parseServerFlags> {
  return parseServerFlags([
    '--download-model-dir',
    dir,
    '--model-dir',
    model,
    '--gpu',
    '--itn-dir',
    '',
    '--lm-dir',
    '',
  ]);
}

function offlineFlags(extra: string[] = []): ReturnType<typeof parseServerFlags> {
  return parseServerFlags(
    ['--download-model-dir', dir, '--model-dir', ASR, '--vad-dir', VAD, '--punc-dir', PUNC].concat(
      ['--itn-dir', ITN, '--lm-dir', ''],
      extra,
    ),
  );
}

async function run(
  flags: ReturnType<typeof parseServerFlags>,
  settings: Partial<DownloadSettings> = {},
): Promise<{ ok: boolean; lines: string[]; text: string[] }> {
  const lines: string[] = [];
  const ok = await prepareModels(flags, {
    totalMs: 50,
    failMatch: '',
    exportMs: 30,
    unbuffered: true,
    ...settings,
    sink: (line) => lines.push(line),
    printSink: (line) => lines.push(`stdout: ${line}`),
    source: 'funasr-wss-server.cpp:24',
  });
  return { ok, lines, text: lines.map((l) => l.replace(GLOG, '')) };
}

describe('simulated model download', () => {
  it('downloads each model id into the download dir with tqdm-shaped progress, then sets its path', async () => {
    const first = await run(offlineFlags());
    expect(first.ok).toBe(true);
    const glog = first.text.filter((_, i) => GLOG.test(first.lines[i] ?? ''));
    expect(glog).toEqual([
      `Download model: ${VAD} from modelscope: `,
      `Set vad-dir : ${join(dir, VAD)}`,
      `Download model: ${ASR} from modelscope: `,
      `Set model-dir : ${join(dir, ASR)}`,
      `Download model: ${ITN} from modelscope : `,
      `Set itn-dir : ${join(dir, ITN)}`,
      'LM model is not set, not executed.',
      `Download model: ${PUNC} from modelscope: `,
      `Set punc-dir : ${join(dir, PUNC)}`,
    ]);
    const progress = first.lines.flatMap((l) => PROGRESS.exec(l) ?? []);
    expect(progress.length).toBeGreaterThan(0);
    const finished = first.lines.filter((l) => l.startsWith('Downloading [model_quant.onnx]: 100%'));
    expect(finished).toHaveLength(3);
    expect(finished.some((l) => l.includes('| 234M/234M ['))).toBe(true);
    for (const id of [ASR, VAD, PUNC]) {
      const file = join(dir, id, 'model_quant.onnx');
      expect(readFileSync(file, 'utf8')).toMatch(/^funasr-sim placeholder for .*not a real model/);
      expect(statSync(file).size).toBeLessThan(8192);
    }
    expect(readdirSync(join(dir, ITN)).sort()).toEqual([
      'configuration.json',
      'zh_itn_tagger.fst',
      'zh_itn_verbalizer.fst',
    ]);

    const again = await run(offlineFlags());
    expect(again.ok).toBe(true);
    expect(again.lines.some((l) => l.startsWith('Downloading ['))).toBe(false);
    expect(again.text).toContain(`Set model-dir : ${join(dir, ASR)}`);
    expect(again.text).toContain(`Download model: ${ASR} from modelscope: `);
  });

  it('fetches only the files that are missing and checks model.onnx when quantize is false', async () => {
    expect((await run(offlineFlags())).ok).toBe(true);
    rmSync(join(dir, ASR, 'model.onnx'));
    const resumed = await run(offlineFlags(['--quantize', 'false']));
    expect(resumed.ok).toBe(true);
    const fetched = new Set(resumed.lines.flatMap((l) => PROGRESS.exec(l)?.[1] ?? []));
    expect([...fetched]).toEqual(['model.onnx']);
    expect(readFileSync(join(dir, ASR, 'model.onnx'), 'utf8')).toContain(`${ASR}/model.onnx`);
  });

  it('fails like the binary when a download fails and the file is missing, but not when it is present', async () => {
    const failed = await run(offlineFlags(), { failMatch: 'fst_itn' });
    expect(failed.ok).toBe(false);
    expect(failed.text.slice(-2)).toEqual([
      'Failed to download model from modelscope. If you set local itn model path, you can ignore the errors.',
      `${join(dir, ITN, 'zh_itn_tagger.fst')} do not exists.`,
    ]);
    expect(failed.lines.at(-1)).toMatch(/^E/);
    expect(failed.text).not.toContain(`Download model: ${PUNC} from modelscope: `);

    expect((await run(offlineFlags())).ok).toBe(true);
    const offline = await run(offlineFlags(), { failMatch: 'paraformer' });
    expect(offline.ok).toBe(true);
    expect(offline.text).toContain(
      'Failed to download model from modelscope. If you set local asr model path, you can ignore the errors.',
    );
    expect(offline.text).toContain(`Set model-dir : ${join(dir, ASR)}`);
  });

  it('uses the 2pass separators and files, and a local path without downloading', async () => {
    const local = join(dir, 'my-vad');
    const flags = parseServerFlags(
      ['--protocol', '2pass', '--download-model-dir', dir, '--vad-dir', local, '--lm-dir', 'none'].concat([
        '--itn-dir',
        '',
      ]),
    );
    mkdirSync(local);
    const missingLocal = await run(flags);
    expect(missingLocal.ok).toBe(false);
    // The tool tries to export the missing ONNX file, finds no checkpoint and fails; then the binary gives up.
    expect(missingLocal.text).toEqual([
      `stdout: model is not exist, begin to export ${join(local, 'model_quant.onnx')}`,
      `AssertionError: funasr-sim: no checkpoint ${join(local, 'model.pt')} to export from`,
      'Failed to download model from modelscope. If you set local vad model path, you can ignore the errors.',
      `${join(local, 'model_quant.onnx')} do not exists.`,
    ]);
    writeFileSync(join(local, 'model_quant.onnx'), 'local');
    const { ok, text } = await run(flags);
    expect(ok).toBe(true);
    expect(text[0]).toBe(`Set vad-dir : ${local}`);
    expect(text).toContain(
      'Download model: damo/speech_paraformer-large_asr_nat-zh-cn-16k-common-vocab8404-online-onnx from modelscope : ',
    );
    expect(readdirSync(join(dir, 'damo'))).toHaveLength(3);
  });

  it('keeps the old behaviour when the download dir does not exist', async () => {
    const flags = parseServerFlags(['--download-model-dir', join(dir, 'absent'), '--model-dir', ASR]);
    const { ok, text, lines } = await run(flags);
    expect(ok).toBe(true);
    expect(lines.every((l) => GLOG.test(l))).toBe(true);
    expect(text).toEqual([
      'VAD model is not set, use default.',
      `Set model-dir : ${join(dir, 'absent', ASR)}`,
      `Set itn-dir : ${join(dir, 'absent', ITN)}`,
      `Set lm-dir : ${join(dir, 'absent', 'damo/speech_ngram_lm_zh-cn-ai-wesp-fst')}`,
      'PUNC model is not set, use default.',
    ]);
  });

  it('asks the hub about ids at every start (with the revision the binary pins), never about local paths', async () => {
    expect((await run(offlineFlags())).ok).toBe(true);
    const again = await run(offlineFlags());
    const revisions = again.lines.filter((l) => l.includes('Use user-specified model revision'));
    // The sim plays a binary whose flag defaults are v2.0.4; the vad-punc ASR id is pinned to v2.0.5 by name.
    expect(revisions.map((l) => l.split(': ').at(-1))).toEqual(['v2.0.6', 'v2.0.5', 'v1.0.1', 'v2.0.4']);
    const local = await run(
      parseServerFlags(
        ['--download-model-dir', dir, '--model-dir', join(dir, ASR), '--vad-dir', join(dir, VAD)].concat([
          '--punc-dir',
          join(dir, PUNC),
          '--itn-dir',
          join(dir, ITN),
          '--lm-dir',
          '',
        ]),
      ),
    );
    expect(local.ok).toBe(true);
    expect(local.lines.some((l) => /modelscope|Download model|Downloading/.test(l))).toBe(false);
    expect(local.text).toContain(`Set model-dir : ${join(dir, ASR)}`);
  });

  it('with --gpu exports the TorchScript model once, printing through a buffer unless PYTHONUNBUFFERED', async () => {
    const blade = join(dir, GPU_ASR, 'model_blade.torchscript');
    const first = await run(gpuFlags(GPU_ASR), { unbuffered: true });
    expect(first.ok).toBe(true);
    expect(readdirSync(join(dir, GPU_ASR)).sort()).toEqual([
      'am.mvn',
      'config.yaml',
      'configuration.json',
      'model.pt',
      'model_blade.torchscript',
      'tokens.json',
    ]);
    const order = (lines: string[]) =>
      lines
        .map((l) => l.replace(GLOG, ''))
        .filter((l) => /^stdout: |^INFO:root:|^Set model-dir/.test(l))
        .map((l) => l.replace(/ .*/, ''));
    expect(first.lines).toContain(`stdout: model is not exist, begin to export ${blade}`);
    expect(order(first.lines)).toEqual(['stdout:', 'INFO:root:Loading', 'stdout:', 'Set']);

    rmSync(blade);
    const buffered = await run(gpuFlags(GPU_ASR), { unbuffered: false });
    expect(buffered.ok).toBe(true);
    // Without PYTHONUNBUFFERED the export's announcement reaches the pipe only when the tool exits.
    expect(order(buffered.lines)).toEqual(['INFO:root:Loading', 'stdout:', 'stdout:', 'Set']);

    const again = await run(gpuFlags(GPU_ASR));
    expect(again.lines.some((l) => l.includes('begin to export'))).toBe(false);
    rmSync(blade);
    const local = await run(gpuFlags(join(dir, GPU_ASR)));
    expect(local.lines).toContain(`stdout: model is not exist, begin to export ${blade}`);
    expect(local.lines.some((l) => /Download model|modelscope/.test(l))).toBe(false);
    // Without --gpu nothing is exported for an ONNX repository.
    const cpu = await run(offlineFlags());
    expect(cpu.lines.some((l) => l.includes('begin to export'))).toBe(false);
  });

  it("in the image, keeps ModelScope's session under HOME at each download by id, and fails the start when it cannot", async () => {
    const home = join(dir, 'home');
    const asr = parseServerFlags([
      '--download-model-dir',
      dir,
      '--model-dir',
      ASR,
      '--itn-dir',
      '',
      '--lm-dir',
      '',
    ]);
    const ok = await run(asr, { hubHome: home, hubCache: join(home, '.cache/modelscope/hub') });
    expect(ok.ok).toBe(true);
    expect(readFileSync(join(home, '.modelscope/credentials/session'), 'utf8')).toMatch(/^[0-9a-f]{32}$/);

    rmSync(join(dir, 'iic'), { recursive: true });
    writeFileSync(join(dir, 'not-a-dir'), '');
    const failed = await run(asr, { hubHome: join(dir, 'not-a-dir') });
    expect(failed.ok).toBe(false);
    expect(failed.lines).toContain('Traceback (most recent call last):');
    expect(failed.lines.some((l) => /^OSError: .*not-a-dir\/\.modelscope/.test(l))).toBe(true);
    expect(failed.text.at(-1)).toBe(`${join(dir, ASR, 'model_quant.onnx')} do not exists.`);
  });

  it("in the image, the GPU export by id fetches the checkpoint again into ModelScope's default cache (the volume when MODELSCOPE_CACHE says so)", async () => {
    const flags = gpuFlags(GPU_ASR);
    const home = join(dir, 'home');
    const cache = join(home, '.cache/modelscope/hub');
    expect((await run(flags, { hubHome: home, hubCache: cache })).ok).toBe(true);
    expect(readdirSync(join(cache, GPU_ASR))).toContain('model.pt');

    rmSync(join(dir, GPU_ASR, 'model_blade.torchscript'));
    rmSync(home, { recursive: true });
    expect((await run(flags, { hubHome: home, hubCache: dir })).ok).toBe(true);
    expect(readdirSync(home, { recursive: true })).toEqual([
      '.modelscope',
      '.modelscope/credentials',
      '.modelscope/credentials/session',
    ]);

    rmSync(join(dir, GPU_ASR, 'model_blade.torchscript'));
    writeFileSync(join(dir, 'file'), '');
    const failed = await run(flags, { hubHome: home, hubCache: join(dir, 'file') });
    expect(failed.ok).toBe(false);
    expect(failed.lines.some((l) => l.startsWith(`stdout: Download: ${GPU_ASR} failed!: OSError`))).toBe(
      true,
    );
    expect(failed.text.at(-1)).toBe(`${join(dir, GPU_ASR, 'model_blade.torchscript')} do not exists.`);
  });

  it('the CLI exits with status 255 after "do not exists." when the GPU model cannot be had', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/funasr-sim/main.ts', '--port', '0', '--certfile', '0', '--gpu'].concat([
        '--download-model-dir',
        dir,
        '--model-dir',
        ASR.replace(/-onnx$/, '-pytorch'),
        '--itn-dir',
        '',
        '--lm-dir',
        '',
      ]),
      { env: { ...process.env, FUNASR_SIM_DOWNLOAD_MS: '20', FUNASR_SIM_DOWNLOAD_FAIL: 'paraformer' } },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(255);
    expect(stderr).toContain(
      `${join(dir, ASR.replace(/-onnx$/, '-pytorch'), 'model_blade.torchscript')} do not exists.`,
    );
    expect(stderr).not.toContain('asr model init finished');
  });
});

describe('tqdm progress line', () => {
  it('has the shape ModelScope prints', () => {
    const MB = 1024 * 1024;
    expect(
      tqdmLine({ file: 'model_quant.onnx', doneBytes: 105 * MB, totalBytes: 234 * MB, elapsedSeconds: 1.07 }),
    ).toBe('Downloading [model_quant.onnx]:  45%|████▍     | 105M/234M [00:01<00:01, 98.1MB/s]');
    expect(tqdmLine({ file: 'am.mvn', doneBytes: 0, totalBytes: 11264, elapsedSeconds: 0 })).toBe(
      'Downloading [am.mvn]:   0%|          | 0.00/11.0k [00:00<?, ?B/s]',
    );
    expect([formatSize(1741 * 1024), formatSize(1090 * MB), formatSize(999)]).toEqual([
      '1.70M',
      '1.06G',
      '999',
    ]);
  });
});
