// What this process has learnt about FunASR servers, one value per URL, keeping only the most recently noted servers.

/** How many servers are remembered. */
const REMEMBERED_SERVERS = 64;

/** One value per server URL, forgetting the least recently noted beyond REMEMBERED_SERVERS. */
export class ServerMemory<T> {
  private readonly values = new Map<string, T>();

  /** Notes `value` for the server at `url`. */
  note(url: string, value: T): void {
    this.values.delete(url);
    this.values.set(url, value);
    for (const oldest of this.values.keys()) {
      if (this.values.size <= REMEMBERED_SERVERS) break;
      this.values.delete(oldest);
    }
  }

  /** The value noted for the server at `url`, or undefined. */
  get(url: string): T | undefined {
    return this.values.get(url);
  }
}
