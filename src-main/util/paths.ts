// Comparing file paths as the file system does.
import { isAbsolute, relative, sep } from 'node:path';

/** Paths compare without case where the file system usually ignores it (macOS, Windows). */
function comparable(path: string): string {
  return process.platform === 'darwin' || process.platform === 'win32' ? path.toLowerCase() : path;
}

/** True when `path` is `folder` or lies inside it (both resolved paths; a sibling named `..x` is outside). */
export function isPathInside(path: string, folder: string): boolean {
  const rel = relative(comparable(folder), comparable(path));
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
