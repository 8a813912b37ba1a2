// An engine's container create body written as the `docker run` command that creates the same container, for running
// the engine somewhere FunScribe does not manage it (a team's GPU server). Every word is quoted for POSIX shells.
import type Dockerode from 'dockerode';
import { FunscribeError } from '../util/errors.js';

/** The fields of a create body this module can write as `docker run` options. */
const KNOWN_FIELDS = [
  'name',
  'Image',
  'Entrypoint',
  'Cmd',
  'WorkingDir',
  'Env',
  'Labels',
  'ExposedPorts',
  'HostConfig',
];
const KNOWN_HOST_FIELDS = [
  'PortBindings',
  'Mounts',
  'Binds',
  'RestartPolicy',
  'Init',
  'DeviceRequests',
  'CapDrop',
  'SecurityOpt',
  'PidsLimit',
  'Memory',
  'NanoCpus',
  'ReadonlyRootfs',
  'Tmpfs',
];

/** Quotes one word for POSIX sh: as it is when it holds only characters the shell leaves alone, else in single quotes. */
export function shellQuote(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Refuses a body with fields `docker run` would silently drop here, so the two forms never differ. */
function requireKnownFields(spec: Dockerode.ContainerCreateOptions): void {
  const unknown = [
    ...Object.keys(spec).filter((key) => !KNOWN_FIELDS.includes(key)),
    ...Object.keys(spec.HostConfig ?? {}).filter((key) => !KNOWN_HOST_FIELDS.includes(key)),
  ];
  if (unknown.length > 0 || (spec.Entrypoint?.length ?? 0) > 1) {
    throw new FunscribeError(
      'INTERNAL',
      `The engine container cannot be written as docker run (${unknown.join(', ') || 'a multi-word entrypoint'}).`,
    );
  }
}

/** `--mount` for one mount, e.g. `type=volume,source=funscribe-models,target=/workspace/models`. */
function mountOption(mount: Dockerode.MountSettings): string {
  return [`type=${mount.Type}`, `source=${mount.Source}`, `target=${mount.Target}`]
    .concat(mount.ReadOnly ? ['readonly'] : [])
    .join(',');
}

/** `--gpus` for a device request: `all` for every GPU (Docker picks the NVIDIA driver for the gpu capability). */
function gpusOption(request: Dockerode.DeviceRequest): string {
  const capabilities = request.Capabilities?.flat() ?? [];
  if (capabilities.some((capability) => capability !== 'gpu')) {
    throw new FunscribeError(
      'INTERNAL',
      `A device request for ${capabilities.join(', ')} has no docker run form.`,
    );
  }
  const count = request.Count === -1 ? 'all' : String(request.Count ?? 'all');
  return request.Driver && request.Driver !== 'nvidia' ? `driver=${request.Driver},count=${count}` : count;
}

/** A byte count as docker run reads it: `8g` or `1536m` when whole, else bytes (`123b`). */
export function byteSize(bytes: number): string {
  for (const [unit, size] of [
    ['g', 1024 ** 3],
    ['m', 1024 ** 2],
    ['k', 1024],
  ] as const) {
    if (bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return `${bytes}b`;
}

/** The limits and protections of the host config as options (capabilities, privileges, processes, memory, CPUs, root). */
function hardeningOptions(host: Dockerode.HostConfig): string[][] {
  const options: string[][] = [];
  for (const capability of host.CapDrop ?? []) options.push(['--cap-drop', capability]);
  for (const option of host.SecurityOpt ?? []) options.push(['--security-opt', option]);
  if (host.PidsLimit) options.push(['--pids-limit', String(host.PidsLimit)]);
  if (host.Memory) options.push(['--memory', byteSize(host.Memory)]);
  if (host.NanoCpus) options.push(['--cpus', String(host.NanoCpus / 1e9)]);
  if (host.ReadonlyRootfs) options.push(['--read-only']);
  for (const [target, mountOptions] of Object.entries(host.Tmpfs ?? {})) {
    options.push(['--tmpfs', mountOptions ? `${target}:${mountOptions}` : target]);
  }
  return options;
}

/** The options of `docker run`, one option and its value per entry. */
function runOptions(spec: Dockerode.ContainerCreateOptions): string[][] {
  const host = spec.HostConfig ?? {};
  const options: string[][] = [];
  if (spec.name) options.push(['--name', spec.name]);
  for (const [key, value] of Object.entries(spec.Labels ?? {})) options.push(['--label', `${key}=${value}`]);
  for (const variable of spec.Env ?? []) options.push(['--env', variable]);
  if (spec.WorkingDir) options.push(['--workdir', spec.WorkingDir]);
  const bindings = host.PortBindings as Record<string, { HostIp?: string; HostPort?: string }[]> | undefined;
  for (const [port, list] of Object.entries(bindings ?? {})) {
    for (const binding of list) {
      const hostIp = binding.HostIp ? `${binding.HostIp}:` : '';
      options.push(['--publish', `${hostIp}${binding.HostPort ?? ''}:${port}`]);
    }
  }
  for (const port of Object.keys(spec.ExposedPorts ?? {})) {
    if (!bindings?.[port]) options.push(['--expose', port]);
  }
  for (const mount of host.Mounts ?? []) options.push(['--mount', mountOption(mount)]);
  for (const bind of host.Binds ?? []) options.push(['--volume', bind]);
  const restart = host.RestartPolicy;
  if (restart?.Name) {
    options.push([
      '--restart',
      restart.MaximumRetryCount ? `${restart.Name}:${restart.MaximumRetryCount}` : restart.Name,
    ]);
  }
  if (host.Init) options.push(['--init']);
  options.push(...hardeningOptions(host));
  for (const request of host.DeviceRequests ?? []) options.push(['--gpus', gpusOption(request)]);
  if (spec.Entrypoint) options.push(['--entrypoint', spec.Entrypoint[0] ?? '']);
  return options;
}

/** The command's words after the image, grouped for display: what comes before the first flag, then one flag each. */
function commandGroups(cmd: readonly string[]): string[][] {
  const groups: string[][] = [];
  for (const word of cmd) {
    if (groups.length === 0 || word.startsWith('--')) groups.push([word]);
    else groups.at(-1)!.push(word);
  }
  return groups;
}

/** `docker run -d …` creating and starting the container `spec` describes, one option per continued line. */
export function dockerRunCommand(spec: Dockerode.ContainerCreateOptions): string {
  requireKnownFields(spec);
  const lines = [
    ['docker', 'run', '--detach'],
    ...runOptions(spec),
    [spec.Image ?? ''],
    ...commandGroups(spec.Cmd ?? []),
  ];
  return lines.map((words) => words.map(shellQuote).join(' ')).join(' \\\n  ');
}
