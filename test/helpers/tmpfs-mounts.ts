// Small tmpfs file systems for tests of full or read-only disks (tests run as root); unmount them in afterAll.
import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';

/** Mounts tmpfs file systems and unmounts all of them at the end. */
export class TmpfsMounts {
  private readonly mounted: string[] = [];

  /** Creates `dir` and mounts a tmpfs there with the given mount options (e.g. `size=64k`, `ro`). */
  async mount(dir: string, options: string): Promise<string> {
    await mkdir(dir, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
    this.mounted.push(dir);
    return dir;
  }

  /** Changes the mount options of a file system mounted here (e.g. a larger `size=` once the disk was full). */
  remount(dir: string, options: string): void {
    execFileSync('mount', ['-o', `remount,${options}`, dir]);
  }

  /** Unmounts every file system mounted so far. */
  unmountAll(): void {
    for (const dir of this.mounted.splice(0)) execFileSync('umount', [dir]);
  }
}
