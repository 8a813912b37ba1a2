// Command-line flags of the real binaries (TCLAP: `--name value`, no `=`, no repeats), plus the sim's own.
import { SIM_FAULTS, type SimFault } from './sim-types.js';

/** Which real binary the sim imitates. */
export type SimProtocol = 'offline' | '2pass';

type Kind = 'string' | 'int' | 'float' | 'switch';
interface FlagSpec {
  kind: Kind;
  value: string;
}

const COMMON: Record<string, FlagSpec> = {
  hotword: { kind: 'string', value: '/workspace/resources/hotwords.txt' },
  'fst-inc-wts': { kind: 'int', value: '20' },
  'global-beam': { kind: 'float', value: '3' },
  'lattice-beam': { kind: 'float', value: '3' },
  'am-scale': { kind: 'float', value: '10' },
  certfile: { kind: 'string', value: '../../../ssl_key/server.crt' },
  keyfile: { kind: 'string', value: '../../../ssl_key/server.key' },
  'download-model-dir': { kind: 'string', value: '/workspace/models' },
  quantize: { kind: 'string', value: 'true' },
  'vad-quant': { kind: 'string', value: 'true' },
  'punc-quant': { kind: 'string', value: 'true' },
  'itn-dir': { kind: 'string', value: 'thuduj12/fst_itn_zh' },
  'itn-revision': { kind: 'string', value: 'v1.0.1' },
  'lm-dir': { kind: 'string', value: 'damo/speech_ngram_lm_zh-cn-ai-wesp-fst' },
  'lm-revision': { kind: 'string', value: 'v1.0.2' },
  'listen-ip': { kind: 'string', value: '0.0.0.0' },
  port: { kind: 'int', value: '10095' },
  'io-thread-num': { kind: 'int', value: '2' },
  'decoder-thread-num': { kind: 'int', value: '8' },
};

const BINARY_FLAGS: Record<SimProtocol, Record<string, FlagSpec>> = {
  offline: {
    ...COMMON,
    'model-dir': { kind: 'string', value: '/workspace/models/asr' },
    'model-revision': { kind: 'string', value: 'v2.0.4' },
    bladedisc: { kind: 'string', value: 'true' },
    'vad-dir': { kind: 'string', value: '/workspace/models/vad' },
    'vad-revision': { kind: 'string', value: 'v2.0.6' },
    'punc-dir': { kind: 'string', value: '/workspace/models/punc' },
    'punc-revision': { kind: 'string', value: 'v2.0.4' },
    'model-thread-num': { kind: 'int', value: '1' },
    gpu: { kind: 'switch', value: 'false' },
    'batch-size': { kind: 'int', value: '4' },
  },
  '2pass': {
    ...COMMON,
    'model-dir': {
      kind: 'string',
      value: 'damo/speech_paraformer-large_asr_nat-zh-cn-16k-common-vocab8404-onnx',
    },
    'online-model-dir': {
      kind: 'string',
      value: 'damo/speech_paraformer-large_asr_nat-zh-cn-16k-common-vocab8404-online-onnx',
    },
    'offline-model-revision': { kind: 'string', value: 'v2.0.5' },
    'online-model-revision': { kind: 'string', value: 'v2.0.5' },
    'vad-dir': { kind: 'string', value: 'damo/speech_fsmn_vad_zh-cn-16k-common-onnx' },
    'vad-revision': { kind: 'string', value: 'v2.0.4' },
    'punc-dir': {
      kind: 'string',
      value: 'damo/punc_ct-transformer_zh-cn-common-vad_realtime-vocab272727-onnx',
    },
    'punc-revision': { kind: 'string', value: 'v2.0.5' },
    'model-thread-num': { kind: 'int', value: '2' },
  },
};

/** The `<key> : <value>` lines the binaries print first (GetValue), in their order. */
export const LOGGED_FLAGS: Record<SimProtocol, string[]> = {
  offline: [
    'model-dir',
    'quantize',
    'bladedisc',
    'vad-dir',
    'vad-quant',
    'punc-dir',
    'punc-quant',
    'itn-dir',
    'lm-dir',
    'hotword',
  ].concat(['model-revision', 'vad-revision', 'punc-revision', 'itn-revision', 'lm-revision']),
  '2pass': [
    'model-dir',
    'online-model-dir',
    'quantize',
    'vad-dir',
    'vad-quant',
    'punc-dir',
    'punc-quant',
    'itn-dir',
    'lm-dir',
    'hotword',
  ].concat([
    'offline-model-revision',
    'online-model-revision',
    'vad-revision',
    'punc-revision',
    'itn-revision',
    'lm-revision',
  ]),
};

/** Parsed command line: every binary flag's value (default or given), which were given, and the sim's own. */
export interface ServerFlags {
  protocol: SimProtocol;
  values: Map<string, string>;
  given: Set<string>;
  language: 'zh' | 'en';
  faults: SimFault[];
  slowReplyMs: number | undefined;
}

/** A command-line error, reported the way TCLAP does. */
export class FlagError extends Error {
  constructor(
    readonly argId: string,
    message: string,
  ) {
    super(message);
  }
}

function takeValue(args: string[], i: number, name: string): string {
  const value = args[i + 1];
  if (value === undefined) throw new FlagError(`Argument: (--${name})`, 'Missing a value for this argument!');
  return value;
}

function checkNumber(kind: Kind, name: string, value: string): void {
  const ok =
    kind === 'int'
      ? /^[+-]?\d+$/.test(value.trim())
      : kind === 'float'
        ? Number.isFinite(Number.parseFloat(value))
        : true;
  if (!ok)
    throw new FlagError(`Argument: (--${name})`, `Couldn't read argument value from string '${value}'`);
}

function parseSimFlag(flags: ServerFlags, name: string, value: string): void {
  const bad = (): never => {
    throw new FlagError(`Argument: (--${name})`, `Value '${value}' does not meet constraint`);
  };
  if (name === 'protocol') flags.protocol = value === 'offline' || value === '2pass' ? value : bad();
  else if (name === 'language') flags.language = value === 'zh' || value === 'en' ? value : bad();
  else if (name === 'fault')
    flags.faults.push(SIM_FAULTS.includes(value as SimFault) ? (value as SimFault) : bad());
  else flags.slowReplyMs = /^\d+$/.test(value) ? Number(value) : bad();
}

const SIM_FLAGS = new Set(['protocol', 'language', 'fault', 'slow-reply-ms']);

/** Parses argv (without node and script); throws FlagError for unknown, repeated or malformed flags. */
export function parseServerFlags(args: string[]): ServerFlags {
  const flags: ServerFlags = {
    protocol: 'offline',
    values: new Map(),
    given: new Set(),
    language: 'zh',
    faults: [],
    slowReplyMs: undefined,
  };
  const protocolAt = args.indexOf('--protocol');
  if (protocolAt >= 0) parseSimFlag(flags, 'protocol', takeValue(args, protocolAt, 'protocol'));
  const specs = BINARY_FLAGS[flags.protocol];
  for (const [name, spec] of Object.entries(specs)) flags.values.set(name, spec.value);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const name = arg.startsWith('--') ? arg.slice(2) : '';
    const spec = specs[name];
    if (SIM_FLAGS.has(name)) {
      parseSimFlag(flags, name, takeValue(args, i, name));
      i++;
      continue;
    }
    if (!spec) throw new FlagError(`Argument: ${arg}`, "Couldn't find match for argument");
    if (flags.given.has(name)) throw new FlagError(`Argument: (--${name})`, 'Argument already set!');
    flags.given.add(name);
    if (spec.kind === 'switch') {
      flags.values.set(name, 'true');
      continue;
    }
    const value = takeValue(args, i, name);
    checkNumber(spec.kind, name, value);
    flags.values.set(name, value);
    i++;
  }
  return flags;
}

/** The TCLAP-style failure text for a FlagError. */
export function formatFlagError(error: FlagError, binary: string): string {
  return [
    `PARSE ERROR: ${error.argId}`,
    `             ${error.message}`,
    '',
    'Brief USAGE: ',
    `   ${binary}  [--port <int>] [--certfile <string>] [--keyfile <string>] …`,
    '',
    'For complete USAGE and HELP type: ',
    `   ${binary} --help`,
    '',
  ].join('\n');
}
