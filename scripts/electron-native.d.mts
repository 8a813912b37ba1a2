// Types of scripts/electron-native.mjs, for the TypeScript tests that import it.

/** A program and its arguments. */
export interface CommandLine {
  command: string;
  args: string[];
}

/** What a native build is for. */
export interface NativeTarget {
  electronVersion: string;
  arch: string;
  platform: string;
}

/** Environment variable the main process reads to find the Electron build of the addon. */
export declare const NATIVE_BINDING_ENV: 'FUNSCRIBE_NATIVE_BINDING';
/** Folder (under the project root) that holds Electron builds of native addons. */
export declare const ELECTRON_NATIVE_DIR: string;
/** Where Electron publishes the headers native addons are compiled against. */
export declare const ELECTRON_HEADERS_URL: string;
/** The `version` field of an installed package. */
export declare function installedVersion(projectRoot: string, packageName: string): string;
/** NODE_MODULE_VERSION of the installed Electron. */
export declare function electronAbi(projectRoot: string): number;
/** The cached Electron build of better-sqlite3. */
export declare function nativeBindingPath(
  projectRoot: string,
  electronVersion: string,
  sqliteVersion: string,
): string;
/** node-gyp's header cache for Electron, inside the project. */
export declare function headersDir(projectRoot: string): string;
/** The environment for native builds, without npm_config_nodedir. */
export declare function nativeBuildEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
/** The command that downloads a prebuilt Electron binary of the addon. */
export declare function prebuildInstallCommand(prebuildInstallBin: string, target: NativeTarget): CommandLine;
/** The command that compiles the addon from source against Electron's headers. */
export declare function nodeGypRebuildCommand(
  nodeGypBin: string,
  target: NativeTarget,
  devDir: string,
): CommandLine;
/** The NODE_MODULE_VERSION named in a failed addon load, or null. */
export declare function abiFromLoadError(message: string): number | null;
/** The ABI an addon was built for, or null when it cannot be told. */
export declare function addonAbi(addonPath: string): number | null;
