// Typed search bench, in Chromium through the test bridge, on the generated 600,000-segment library (search-library.ts,
// cached in .cache/bench/): queries are typed key by key into the top bar's search box, in Chinese and English, common
// and rare, with and without the speaker filter. Measured per query kind: the last keystroke until the results are
// painted (their count shown, the hits listed); inside it the debounce before the request, the request's round trip
// through the bridge, and the page's render; beside them the raw service time of the same request in Node.
// Run: npx tsx bench/search-typed.ts [segments]
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import type { SearchRequest } from '../src-shared/types.js';
import { createServices, type Services } from '../src-main/services.js';
import { makeTempDir } from '../test/helpers/temp-dir.js';
import { openAppPage } from '../test/e2e/bridge/page-fixture.js';
import { ensureRenderer, ms, quantile } from './browser-bench.js';
import { installTypingProbe, waitForTypedResults, type TypedTiming } from './search-typed-page.js';
import { CAST, copyGeneratedLibrary } from './search-library.js';

/** Measured typings of each query kind (after one warm-up). */
const RUNS = 12;
/** Between keystrokes: a brisk typist, faster than the search box's debounce. */
const KEY_DELAY_MS = 40;
/** How long one typed query may take to show its results before the bench fails. */
const RESULTS_DEADLINE_MS = 30_000;
/** The speaker name the filter is set to: one of the generated cast, named in a third of the meetings. */
const SPEAKER = CAST[0]!;

/** The kinds measured; the counts are those of the generated library. */
const KINDS: { label: string; query: string }[] = [
  { label: 'zh common (1000+)', query: '预算' },
  { label: 'zh rare (two words, ~500)', query: '退货 投诉' },
  { label: 'en common (1000+)', query: 'budget' },
  { label: 'en rare (two words, ~1000)', query: 'hiring margin' },
  { label: 'mixed rare (~50)', query: '预算 budget' },
];

interface KindFigures {
  label: string;
  speaker: boolean;
  typed: TypedTiming[];
  serviceMs: number[];
  shown: string;
}

/** The wall times of `runs` calls of the raw search service with `request`, after one warm-up. */
function serviceTimes(services: Services, request: SearchRequest, runs: number): number[] {
  services.search.search(request);
  return Array.from({ length: runs }, () => {
    const start = performance.now();
    services.search.search(request);
    return performance.now() - start;
  });
}

/** Sets the search panel's speaker filter (the panel is open while a query is in the box). */
async function setSpeakerFilter(page: Page, name: string): Promise<void> {
  const box = page.getByRole('searchbox');
  await box.fill('x');
  const field = page.getByLabel('Speaker', { exact: true });
  await field.fill(name);
  await field.press('Enter');
}

/** Clears the box, types `query` key by key and returns the timing of the results that follow the last key. */
async function typeOnce(page: Page, query: string): Promise<TypedTiming> {
  const box = page.getByRole('searchbox');
  await box.fill('');
  await page.locator('#search-panel').waitFor({ state: 'detached' });
  await box.pressSequentially(query, { delay: KEY_DELAY_MS });
  return page.evaluate(waitForTypedResults, { query, deadlineMs: RESULTS_DEADLINE_MS });
}

/** Types every query kind RUNS times, with or without the speaker filter; the figures of each. */
async function measureKinds(page: Page, services: Services, speaker: boolean): Promise<KindFigures[]> {
  const figures: KindFigures[] = [];
  for (const { label, query } of KINDS) {
    await typeOnce(page, query);
    const typed: TypedTiming[] = [];
    for (let run = 0; run < RUNS; run++) typed.push(await typeOnce(page, query));
    const request = typed[typed.length - 1]!.request as SearchRequest;
    if ((request.speaker !== undefined) !== speaker)
      throw new Error(`The speaker filter was not applied: ${label}`);
    const shown = (await page.locator('#search-panel [role=status]').textContent())?.trim() ?? '';
    figures.push({ label, speaker, typed, serviceMs: serviceTimes(services, request, RUNS), shown });
  }
  return figures;
}

function printFigures(rows: readonly KindFigures[]): void {
  const pair = (values: readonly number[]): string =>
    `${ms(quantile(values, 0.5))} / ${ms(quantile(values, 0.95))}`;
  const header = [
    'query',
    'speaker',
    'key → painted',
    'key → request',
    'request → answer',
    'answer → painted',
    'raw service',
    'count shown',
  ];
  const cells = rows.map((row) => [
    row.label,
    row.speaker ? SPEAKER : '—',
    pair(row.typed.map((t) => t.paintedMs)),
    pair(row.typed.map((t) => t.requestMs)),
    pair(row.typed.map((t) => t.answerMs - t.requestMs)),
    pair(row.typed.map((t) => t.paintedMs - t.answerMs)),
    pair(row.serviceMs),
    row.shown,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]): string => c.map((v, i) => v.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  for (const c of cells) console.log(line(c));
}

/** Runs the bench and prints its figures (p50 / p95 of each). */
export async function runSearchTypedBench(options: { segments?: number } = {}): Promise<void> {
  const segments = options.segments ?? 600_000;
  ensureRenderer();
  const data = await makeTempDir('bench-search-typed');
  try {
    const builtSeconds = copyGeneratedLibrary(segments, data.path);
    const services = await createServices({ dataDir: data.path });
    try {
      const app = await openAppPage(services);
      try {
        const { page } = app;
        await page.getByRole('searchbox').waitFor();
        await page.evaluate(installTypingProbe);
        const plain = await measureKinds(page, services, false);
        await setSpeakerFilter(page, SPEAKER);
        const filtered = await measureKinds(page, services, true);
        if (app.consoleErrors.length > 0)
          throw new Error(`The page logged errors: ${app.consoleErrors.join('; ')}`);
        console.log(
          `\nTyped search (Chromium through the bridge, ${segments} segments` +
            `${builtSeconds > 0 ? `, library built in ${builtSeconds.toFixed(0)} s` : ', cached library'}; ` +
            `p50 / p95 over ${RUNS} typings, ${KEY_DELAY_MS} ms between keys)`,
        );
        printFigures([...plain, ...filtered]);
        const rows = [...plain, ...filtered];
        const worstP50 = (of: (t: TypedTiming) => number): number =>
          Math.max(...rows.map((row) => quantile(row.typed.map(of), 0.5)));
        console.log(
          `\nWorst p50, last key → results painted: ${ms(worstP50((t) => t.paintedMs))} (target < 150 ms); ` +
            `of it after the search box's pause for typing, request → painted: ` +
            `${ms(worstP50((t) => t.paintedMs - t.requestMs))}`,
        );
      } finally {
        await app.close();
      }
    } finally {
      await services.close();
    }
  } finally {
    await data.remove();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = Number(process.argv[2]);
  await runSearchTypedBench(Number.isSafeInteger(arg) && arg > 0 ? { segments: arg } : {});
}
