// Preloaded into the measured process (node --import): prints its peak resident set size when it exits.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\nPEAK_RSS_BYTES=${process.resourceUsage().maxRSS * 1024}\n`);
});
