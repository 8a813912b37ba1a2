// Hand-encoded ONNX files that sherpa-onnx accepts as 3D-Speaker speaker-embedding models.
// They exist ONLY to test the plumbing (child process, batching, crash handling) without downloading
// a real model. Their "embedding" is a fixed random projection of per-bin feature spread: it says
// nothing about voices, so never use these models to judge accuracy.
//
// Graph: input `x` float [N, T, 80] (fbank after sherpa's global-mean CMN) → per-bin standard
// deviation over T (sqrt(mean(x²)); the mean itself would be zero after CMN) → MatMul with a seeded
// weight [80, 192] → output `embedding` [N, 192].
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seededRandom } from '../../src-main/util/seeded-random.js';

/** Feature bins sherpa feeds the model (80-dim fbank, as CAM++ expects). */
export const FABRICATED_FEAT_DIM = 80;
/** Embedding size of the fabricated model (CAM++'s size). */
export const FABRICATED_EMBEDDING_DIM = 192;

// ---- a minimal protobuf writer: varints and length-delimited fields are all ONNX needs here ----
type Bytes = Uint8Array;

function varint(value: number): Bytes {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}

function concat(parts: Bytes[]): Bytes {
  return Uint8Array.from(Buffer.concat(parts));
}

function intField(field: number, value: number): Bytes {
  return concat([varint(field * 8), varint(value)]);
}

function bytesField(field: number, value: Bytes | string): Bytes {
  const data = typeof value === 'string' ? new TextEncoder().encode(value) : value;
  return concat([varint(field * 8 + 2), varint(data.length), data]);
}

function message(field: number, parts: Bytes[]): Bytes {
  return bytesField(field, concat(parts));
}

// ---- ONNX messages (field numbers from onnx.proto) ----
const FLOAT = 1; // TensorProto.DataType.FLOAT
const INT64 = 7;
const ATTR_INT = 2;
const ATTR_INTS = 7;

function tensorValueInfo(field: number, name: string, dims: (number | string)[]): Bytes {
  const shape = dims.map((d) => message(1, [typeof d === 'number' ? intField(1, d) : bytesField(2, d)]));
  const tensorType = message(1, [intField(1, FLOAT), message(2, shape)]);
  return message(field, [bytesField(1, name), message(2, [tensorType])]);
}

function node(op: string, inputs: string[], output: string, attributes: Bytes[] = []): Bytes {
  return message(1, [
    ...inputs.map((i) => bytesField(1, i)),
    bytesField(2, output),
    bytesField(3, `${op}_${output}`),
    bytesField(4, op),
    ...attributes,
  ]);
}

function intsAttribute(name: string, values: number[]): Bytes {
  return message(5, [bytesField(1, name), ...values.map((v) => intField(8, v)), intField(20, ATTR_INTS)]);
}

function intAttribute(name: string, value: number): Bytes {
  return message(5, [bytesField(1, name), intField(3, value), intField(20, ATTR_INT)]);
}

function floatInitializer(name: string, dims: number[], values: Float32Array): Bytes {
  const raw = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  return message(5, [
    ...dims.map((d) => intField(1, d)),
    intField(2, FLOAT),
    bytesField(8, name),
    bytesField(9, raw),
  ]);
}

/** The metadata sherpa-onnx reads from a 3D-Speaker embedding model (`framework` selects the loader). */
export const EMBEDDING_METADATA: Readonly<Record<string, string>> = {
  framework: '3d-speaker',
  language: 'none',
  url: 'fabricated for FunScribe tests',
  comment: 'plumbing test model; its output means nothing',
  sample_rate: '16000',
  output_dim: String(FABRICATED_EMBEDDING_DIM),
  normalize_samples: '1',
  feature_normalize_type: 'global-mean',
};

function int64Initializer(name: string, values: number[]): Bytes {
  const raw = new Uint8Array(BigInt64Array.from(values, BigInt).buffer); // raw_data: varints here cannot be negative
  return message(5, [
    intField(1, values.length),
    intField(2, INT64),
    bytesField(8, name),
    bytesField(9, raw),
  ]);
}

/** The last node: the real projection, or a Reshape that loads fine but fails on every run. */
function outputNodes(failAtRun: boolean): Bytes[] {
  if (failAtRun)
    return [
      node('Reshape', ['spread', 'bad_shape'], 'embedding'),
      int64Initializer('bad_shape', [-1, FABRICATED_EMBEDDING_DIM]),
    ];
  const random = seededRandom(20240611);
  const weight = new Float32Array(FABRICATED_FEAT_DIM * FABRICATED_EMBEDDING_DIM);
  for (let i = 0; i < weight.length; i++) weight[i] = (random() * 2 - 1) / Math.sqrt(FABRICATED_FEAT_DIM);
  return [
    node('MatMul', ['spread', 'weight'], 'embedding'),
    floatInitializer('weight', [FABRICATED_FEAT_DIM, FABRICATED_EMBEDDING_DIM], weight),
  ];
}

/** Encodes the fabricated embedding model with the given metadata; `failAtRun` makes inference throw (80 ∤ 192). */
export function encodeEmbeddingModel(
  metadata: Readonly<Record<string, string>> = EMBEDDING_METADATA,
  failAtRun = false,
): Bytes {
  const graph = message(7, [
    node('Mul', ['x', 'x'], 'squares'),
    node('ReduceMean', ['squares'], 'mean_squares', [
      intsAttribute('axes', [1]),
      intAttribute('keepdims', 0),
    ]),
    node('Sqrt', ['mean_squares'], 'spread'),
    ...outputNodes(failAtRun),
    bytesField(2, 'fabricated_speaker_embedding'),
    tensorValueInfo(11, 'x', ['N', 'T', FABRICATED_FEAT_DIM]),
    tensorValueInfo(12, 'embedding', ['N', FABRICATED_EMBEDDING_DIM]),
  ]);
  return concat([
    intField(1, 8), // ir_version 8
    bytesField(2, 'funscribe-tests'),
    graph,
    message(8, [bytesField(1, ''), intField(2, 13)]), // opset 13: ReduceMean takes `axes` as an attribute
    ...Object.entries(metadata).map(([key, value]) =>
      message(14, [bytesField(1, key), bytesField(2, value)]),
    ),
  ]);
}

/** Seeded random bytes: a file that exists but is not ONNX (onnxruntime aborts the process on it). */
export function encodeRandomBytes(length = 4096): Bytes {
  const random = seededRandom(7);
  return Uint8Array.from({ length }, () => Math.floor(random() * 256));
}

/** Paths of the fabricated model files written by `writeFabricatedModels`. */
export interface FabricatedModels {
  /** A model sherpa loads: dim 192. */
  valid: string;
  /** Random bytes with an .onnx name. */
  randomBytes: string;
  /** A valid ONNX graph whose metadata lacks `framework`. */
  noFramework: string;
  /** Loads like `valid`, but onnxruntime throws inside every embedding run. */
  failsAtRun: string;
}

/** Writes the valid and the three broken fabricated models into `dir`. */
export async function writeFabricatedModels(dir: string): Promise<FabricatedModels> {
  const { framework: _framework, ...withoutFramework } = EMBEDDING_METADATA;
  const models: FabricatedModels = {
    valid: join(dir, 'fabricated-campplus.onnx'),
    randomBytes: join(dir, 'random-bytes.onnx'),
    noFramework: join(dir, 'no-framework.onnx'),
    failsAtRun: join(dir, 'fails-at-run.onnx'),
  };
  await writeFile(models.valid, encodeEmbeddingModel());
  await writeFile(models.randomBytes, encodeRandomBytes());
  await writeFile(models.noFramework, encodeEmbeddingModel(withoutFramework));
  await writeFile(models.failsAtRun, encodeEmbeddingModel(EMBEDDING_METADATA, true));
  return models;
}
