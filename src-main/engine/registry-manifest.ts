// The compressed size of an image as its registry's manifest gives it (the sum of the layers a pull downloads), asked
// over the registry's HTTP API (Docker's daemon has no call for it) within a deadline. Anonymous token auth as Docker
// Hub and Aliyun's registry ask for it; loopback registries over http, as Docker treats them as insecure by default.
import { isIP } from 'node:net';

/** A reference split into where it lives: registry host, repository path and tag or digest. */
export interface ImageLocation {
  /** The registry's API host, e.g. `registry-1.docker.io`, `127.0.0.1:5000`. */
  registry: string;
  repository: string;
  /** A tag, or a digest (`sha256:…`). */
  reference: string;
}

/** Options of a size look-up. */
export interface ManifestSizeOptions {
  /** Gives up after this long (default 8 s). */
  deadlineMs?: number;
  signal?: AbortSignal;
  /** The platform whose layers count when the reference is a multi-platform index (default: this machine's). */
  platform?: { os: string; architecture: string };
}

const DOCKER_HUB = 'registry-1.docker.io';
const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
].join(', ');

/** Node's architecture names in Docker's (OCI) words. */
const ARCHITECTURES: Partial<Record<NodeJS.Architecture, string>> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ppc64: 'ppc64le',
  s390x: 's390x',
};

/** Splits an image reference the way Docker reads it (a first part with a dot, a colon or `localhost` is a host). */
export function imageLocation(ref: string): ImageLocation {
  const [name, digest] = ref.split('@') as [string, string | undefined];
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const hasHost = first.includes('.') || first.includes(':') || first === 'localhost';
  const host = hasHost ? first : 'docker.io';
  let path = hasHost ? name.slice(slash + 1) : name;
  const colon = path.lastIndexOf(':');
  const tag = colon === -1 ? 'latest' : path.slice(colon + 1);
  if (colon !== -1) path = path.slice(0, colon);
  const onHub = host === 'docker.io' || host === 'index.docker.io';
  return {
    registry: onHub ? DOCKER_HUB : host,
    repository: onHub && !path.includes('/') ? `library/${path}` : path,
    reference: digest ?? tag,
  };
}

/** Whether a registry host is on this machine (Docker speaks plain http to those). */
function isLoopback(registry: string): boolean {
  const host = registry.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** The value of one parameter of a `WWW-Authenticate: Bearer realm="…",service="…"` challenge. */
function challengeParam(header: string, name: string): string | undefined {
  return new RegExp(`${name}="([^"]*)"`).exec(header)?.[1];
}

/** Reads manifests of one repository, fetching an anonymous pull token when the registry asks for one. */
class ManifestReader {
  private token: string | null = null;

  constructor(
    private readonly location: ImageLocation,
    private readonly signal: AbortSignal,
  ) {}

  /** The manifest (or index) under `reference`, parsed. */
  async read(reference: string): Promise<Record<string, unknown>> {
    const { registry, repository } = this.location;
    const scheme = isLoopback(registry) ? 'http' : 'https';
    const url = `${scheme}://${registry}/v2/${repository}/manifests/${reference}`;
    let response = await this.get(url);
    if (response.status === 401 && this.token === null) {
      await this.authenticate(response.headers.get('www-authenticate') ?? '');
      response = await this.get(url);
    }
    if (!response.ok) throw new Error(`the registry answered ${response.status} for ${url}`);
    return (await response.json()) as Record<string, unknown>;
  }

  private get(url: string): Promise<Response> {
    const headers: Record<string, string> = { Accept: MANIFEST_TYPES };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    return fetch(url, { headers, signal: this.signal, redirect: 'follow' });
  }

  /** Gets an anonymous pull token from the realm the challenge names. */
  private async authenticate(challenge: string): Promise<void> {
    const realm = challengeParam(challenge, 'realm');
    if (!/^bearer /i.test(challenge) || !realm) throw new Error('the registry wants a login');
    const url = new URL(realm);
    const service = challengeParam(challenge, 'service');
    if (service) url.searchParams.set('service', service);
    url.searchParams.set('scope', `repository:${this.location.repository}:pull`);
    const response = await fetch(url, { signal: this.signal });
    if (!response.ok) throw new Error(`the registry's token service answered ${response.status}`);
    const body = (await response.json()) as { token?: string; access_token?: string };
    this.token = body.token ?? body.access_token ?? null;
    if (!this.token) throw new Error('the registry gave no token');
  }
}

/** The sum of a manifest's layer sizes. */
function layerBytes(manifest: Record<string, unknown>): number {
  const layers = manifest.layers;
  if (!Array.isArray(layers) || layers.length === 0) throw new Error('the manifest lists no layers');
  return layers.reduce((sum: number, layer: { size?: unknown }) => {
    if (typeof layer.size !== 'number' || !Number.isFinite(layer.size) || layer.size < 0) {
      throw new Error('a layer of the manifest has no size');
    }
    return sum + layer.size;
  }, 0);
}

/**
 * The bytes a pull of `ref` downloads (its compressed layers, for this platform when the reference is a
 * multi-platform index). Rejects when the registry cannot be reached or read within the deadline.
 */
export async function compressedImageBytes(ref: string, options: ManifestSizeOptions = {}): Promise<number> {
  const deadline = AbortSignal.timeout(options.deadlineMs ?? 8000);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const location = imageLocation(ref);
  const reader = new ManifestReader(location, signal);
  const top = await reader.read(location.reference);
  if (!Array.isArray(top.manifests)) return layerBytes(top);
  const platform = options.platform ?? {
    os: 'linux',
    architecture: ARCHITECTURES[process.arch] ?? process.arch,
  };
  const entries = top.manifests as { digest?: string; platform?: { os?: string; architecture?: string } }[];
  const match = entries.find(
    (entry) => entry.platform?.os === platform.os && entry.platform.architecture === platform.architecture,
  );
  if (!match?.digest) throw new Error(`${ref} has no image for ${platform.os}/${platform.architecture}`);
  return layerBytes(await reader.read(match.digest));
}
