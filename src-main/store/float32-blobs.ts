// Float arrays as SQLite BLOBs (the host's byte order: little-endian on every platform FunScribe ships for).
/** Float32 values as a BLOB. */
export function float32ToBlob(values: Float32Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/** A BLOB's bytes copied into memory of their own (so aligned), trimmed to whole `unit`-byte elements. */
export function alignedBytes(blob: Buffer, unit: number): ArrayBuffer {
  const bytes = new Uint8Array(blob.byteLength - (blob.byteLength % unit));
  bytes.set(blob.subarray(0, bytes.byteLength));
  return bytes.buffer;
}

/** A Float32 BLOB back as values (copied, so the result is aligned and owns its memory). */
export function blobToFloat32(blob: Buffer): Float32Array {
  return new Float32Array(alignedBytes(blob, 4));
}
