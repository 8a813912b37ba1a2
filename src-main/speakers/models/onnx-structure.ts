// A cheap check that a file is an ONNX model: its top level must parse as a protobuf ModelProto that runs exactly
// to the end of the file, with an ir_version and a graph. Only field headers are read (a few bytes each), so a
// 40 MB model is checked in microseconds. onnxruntime aborts the whole process on some malformed files, so a
// user-supplied file is checked before anything tries to load it.
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

/** ModelProto fields (onnx.proto) and their wire types; other field numbers are tolerated as unknown fields. */
const MODEL_PROTO_FIELDS: ReadonlyMap<number, number> = new Map([
  [1, VARINT], // ir_version
  [2, LENGTH_DELIMITED], // producer_name
  [3, LENGTH_DELIMITED], // producer_version
  [4, LENGTH_DELIMITED], // domain
  [5, VARINT], // model_version
  [6, LENGTH_DELIMITED], // doc_string
  [7, LENGTH_DELIMITED], // graph
  [8, LENGTH_DELIMITED], // opset_import
  [14, LENGTH_DELIMITED], // metadata_props
  [20, LENGTH_DELIMITED], // training_info
  [25, LENGTH_DELIMITED], // functions
]);
const IR_VERSION = 1;
const GRAPH = 7;
/** ir_version is 3..11 for every ONNX release so far; a wider band leaves room for future ones. */
const MAX_IR_VERSION = 100;
const MAX_TOP_LEVEL_FIELDS = 1_000_000;

/** Reads a base-128 varint at `position`; null when the file ends inside it or it is longer than 10 bytes. */
async function readVarint(
  file: FileHandle,
  position: number,
): Promise<{ value: number; next: number } | null> {
  const buffer = Buffer.alloc(10);
  const { bytesRead } = await file.read(buffer, 0, 10, position);
  let value = 0;
  let scale = 1;
  for (let i = 0; i < bytesRead; i++) {
    const byte = buffer[i] ?? 0;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return { value, next: position + i + 1 };
    scale *= 128;
  }
  return null;
}

/** Walks the top-level fields; returns what is wrong, or null for a well-formed ModelProto. */
async function walkModelProto(file: FileHandle, size: number): Promise<string | null> {
  let position = 0;
  let irVersion: number | null = null;
  let hasGraph = false;
  for (let fields = 0; position < size; fields++) {
    if (fields >= MAX_TOP_LEVEL_FIELDS) return 'it has too many top-level fields';
    const tag = await readVarint(file, position);
    if (!tag) return `a field header at byte ${position} is cut off`;
    const fieldNumber = Math.floor(tag.value / 8);
    const wireType = tag.value % 8;
    const expected = MODEL_PROTO_FIELDS.get(fieldNumber);
    if (fieldNumber === 0 || (expected !== undefined && expected !== wireType))
      return `byte ${position} does not start a model field`;
    position = tag.next;
    if (wireType === VARINT) {
      const value = await readVarint(file, position);
      if (!value) return `a number at byte ${position} is cut off`;
      if (fieldNumber === IR_VERSION) irVersion = value.value;
      position = value.next;
    } else if (wireType === LENGTH_DELIMITED) {
      const length = await readVarint(file, position);
      if (!length) return `a length at byte ${position} is cut off`;
      position = length.next + length.value;
      if (fieldNumber === GRAPH) hasGraph = true;
    } else if (wireType === FIXED64) position += 8;
    else if (wireType === FIXED32) position += 4;
    else return `byte ${tag.next - 1} has an unknown field type`;
    if (position > size) return 'it ends in the middle of a field (truncated?)';
  }
  if (irVersion === null || irVersion < 1 || irVersion > MAX_IR_VERSION)
    return 'it has no valid ONNX ir_version';
  if (!hasGraph) return 'it has no graph';
  return null;
}

/** Why the file at `path` is not an ONNX model, or null when its top level is a well-formed ModelProto. */
export async function onnxStructureProblem(path: string): Promise<string | null> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    if (size === 0) return 'it is empty';
    return await walkModelProto(file, size);
  } finally {
    await file.close();
  }
}
