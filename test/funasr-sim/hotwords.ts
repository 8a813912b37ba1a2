// Hotwords: the server file (`--hotword`) and the client's `hotwords` string, parsed with the real rules.
import { readFileSync } from 'node:fs';

/** Result of reading a client `hotwords` string. */
export interface ClientHotwords {
  /** Weighted (FST) hotwords from a JSON object string. */
  weighted: Map<string, number>;
  /** Unweighted (NN) hotwords from a string that is not JSON. */
  plain: string[];
  /** A log line explaining why client hotwords were dropped or taken as plain words ('' if none). */
  problem: string;
}

/** Reads a server hotword file: `<phrase> <weight>` per line; bad lines skipped; first duplicate wins. */
export function readHotwordFile(path: string): Map<string, number> | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  const map = new Map<string, number>();
  for (const line of text.split(/\r?\n/)) {
    const fields = line
      .trim()
      .split(' ')
      .filter((f) => f !== '');
    if (fields.length < 2) continue;
    const weight = Number.parseFloat(fields[fields.length - 1] ?? '');
    if (!Number.isFinite(weight)) continue;
    const phrase = fields.slice(0, -1).join(' ');
    if (!map.has(phrase)) map.set(phrase, Math.trunc(weight));
  }
  return map;
}

/**
 * Parses a client hotwords string (the caller has checked it is a string). A JSON object becomes weighted
 * hotwords, but any non-number value drops them all (issue #2805); other JSON is ignored; non-JSON text is a
 * list of space-separated words without weights.
 */
export function parseClientHotwords(value: string): ClientHotwords {
  const result: ClientHotwords = { weighted: new Map(), plain: [], problem: '' };
  if (value === '') return result;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    result.plain = value.split(' ').filter((w) => w !== '');
    result.problem = `[json.exception.parse_error.101] parse error: ${(error as Error).message}`;
    return result;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return result;
  for (const [phrase, weight] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof weight !== 'number' && typeof weight !== 'boolean') {
      result.weighted.clear();
      result.problem = `[json.exception.type_error.302] type must be number, but is ${jsonTypeName(weight)}`;
      return result;
    }
    result.weighted.set(phrase, Math.trunc(Number(weight)));
  }
  return result;
}

/** nlohmann::json's name for the type of a parsed JSON value. */
export function jsonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return 'number';
  return typeof value;
}
