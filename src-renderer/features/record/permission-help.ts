// Where the system setting that allows the microphone is: the wording differs between macOS, Windows and the rest.

/** The system whose settings the permission help names. */
export type PermissionPlace = 'mac' | 'windows' | 'other';

/** The system of a browser user agent string, for the help that names its microphone setting. */
export function permissionPlace(userAgent: string): PermissionPlace {
  if (/Mac OS X|Macintosh/i.test(userAgent)) return 'mac';
  if (/Windows/i.test(userAgent)) return 'windows';
  return 'other';
}
