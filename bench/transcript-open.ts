// Transcript bench, in Chromium through the test bridge: a library with a 3-hour meeting (5,000 sentences with a token
// per character, stored through the real repository) and a short one. Measured: the click on the long meeting in the
// library until its first rows are painted (target < 500 ms), frame times while scrolling the whole transcript, and
// the page's DOM elements; beside them the old approach in the same run (every sentence rendered as a list item, as
// the meeting view did before virtualisation) and the main process's read with and without tokens. Beside the wall
// time of an open, the renderer's main-thread time spent on it (Chromium's task, script and layout durations), which
// a busy machine changes less than the wall time.
// Run: npx tsx bench/transcript-open.ts [sentences]
import { pathToFileURL } from 'node:url';
import type { CDPSession, Page } from 'playwright-core';
import { createServices } from '../src-main/services.js';
import { longMeeting } from '../test/helpers/long-meeting.js';
import { makeTempDir } from '../test/helpers/temp-dir.js';
import { openAppPage } from '../test/e2e/bridge/page-fixture.js';
import { ensureRenderer, ms, quantile } from './browser-bench.js';

/** Opens of the long meeting measured; the median and the worst are printed. */
const OPENS = 5;
/** Pixels scrolled per frame while scrolling the whole transcript (a brisk wheel). */
const SCROLL_STEP_PX = 600;

/** The median wall time of `fn` over 3 runs, in ms. */
function medianMs(fn: () => unknown): number {
  const times = [0, 1, 2].map(() => {
    const start = performance.now();
    fn();
    return performance.now() - start;
  });
  return quantile(times, 0.5);
}

/** Clicks the meeting titled `title` in the library; resolves with the ms until its first transcript rows painted. */
async function timeOpen(page: Page, title: string): Promise<number> {
  return page.evaluate(async (wanted) => {
    const target = Array.from(document.querySelectorAll<HTMLElement>('.sidebar *')).find(
      (element) => element.childElementCount === 0 && element.textContent === wanted,
    );
    if (!target) throw new Error(`"${wanted}" is not in the library`);
    const start = performance.now();
    target.click();
    await new Promise<void>((resolve) => {
      const check = (): void => {
        const heading = document.getElementById('meeting-title');
        if (heading?.textContent === wanted && document.querySelector('article.meeting [role=option]')) {
          requestAnimationFrame(() => resolve());
        } else requestAnimationFrame(check);
      };
      check();
    });
    return performance.now() - start;
  }, title);
}

/** The renderer's main-thread work in ms, as Chromium counts it: all tasks, script, and layout with style. */
interface ThreadWork {
  task: number;
  script: number;
  layout: number;
}

/** The renderer's main-thread work so far (Chromium's Performance domain, enabled on `cdp`). */
async function threadWork(cdp: CDPSession): Promise<ThreadWork> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const seconds = (name: string): number => metrics.find((metric) => metric.name === name)?.value ?? 0;
  return {
    task: seconds('TaskDuration') * 1000,
    script: seconds('ScriptDuration') * 1000,
    layout: (seconds('LayoutDuration') + seconds('RecalcStyleDuration')) * 1000,
  };
}

/** `timeOpen` with the renderer's main-thread work during it. */
async function measureOpen(
  page: Page,
  cdp: CDPSession,
  title: string,
): Promise<{ ms: number; work: ThreadWork }> {
  const before = await threadWork(cdp);
  const ms = await timeOpen(page, title);
  const after = await threadWork(cdp);
  return {
    ms,
    work: {
      task: after.task - before.task,
      script: after.script - before.script,
      layout: after.layout - before.layout,
    },
  };
}

/** Scrolls the open transcript from top to bottom, SCROLL_STEP_PX a frame; the time of every frame in ms. */
async function scrollFrames(page: Page): Promise<number[]> {
  return page.evaluate(async (step) => {
    const viewport = document.querySelector<HTMLElement>('article.meeting [role=listbox]')!;
    viewport.scrollTop = 0;
    const frames: number[] = [];
    let last = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
    while (viewport.scrollTop + viewport.clientHeight < viewport.scrollHeight - 1) {
      viewport.scrollTop += step;
      const now = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
      frames.push(now - last);
      last = now;
    }
    return frames;
  }, SCROLL_STEP_PX);
}

/**
 * The old meeting view's way, in the same page: every sentence as a list item with its time, speaker button and
 * text, from the same sentences; the ms until painted and the elements it adds.
 */
async function timeFlatRender(page: Page, meetingId: number): Promise<{ ms: number; elements: number }> {
  return page.evaluate(async (id) => {
    type Bridge = {
      getMeeting(id: number): Promise<{ value: { segments: { startMs: number; text: string }[] } }>;
    };
    const bridge = (window as unknown as { funscribe: Bridge }).funscribe;
    const host = document.createElement('div');
    host.style.cssText = 'position:fixed;inset:0;overflow:auto;background:white;z-index:99';
    document.body.append(host);
    const start = performance.now();
    const { segments } = (await bridge.getMeeting(id)).value;
    const list = document.createElement('ol');
    for (const segment of segments) {
      const item = document.createElement('li');
      const time = document.createElement('time');
      time.textContent = `[${Math.floor(segment.startMs / 60_000)}:${String(Math.floor(segment.startMs / 1000) % 60).padStart(2, '0')}]`;
      const speaker = document.createElement('button');
      speaker.textContent = 'Speaker 1:';
      const text = document.createElement('span');
      text.textContent = segment.text;
      item.append(time, speaker, text);
      list.append(item);
    }
    host.append(list);
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const elapsed = performance.now() - start;
    const elements = host.getElementsByTagName('*').length;
    host.remove();
    return { ms: elapsed, elements };
  }, meetingId);
}

/** Runs the bench and prints its figures. */
export async function runTranscriptOpenBench(options: { sentences?: number } = {}): Promise<void> {
  const sentences = options.sentences ?? 5000;
  ensureRenderer();
  const data = await makeTempDir('bench-transcript');
  const services = await createServices({ dataDir: data.path });
  try {
    const long = longMeeting(sentences, 3 * 3600_000);
    const longId = services.meetings.create(long).id;
    const short = services.meetings.create({ ...longMeeting(12, 60_000, 3), title: 'Stand-up' });

    const fullRead = medianMs(() => JSON.stringify(services.meetings.get(longId)));
    const slimRead = medianMs(() => JSON.stringify(services.meetings.getSlim(longId)));
    const fullBytes = JSON.stringify(services.meetings.get(longId)).length;
    const slimBytes = JSON.stringify(services.meetings.getSlim(longId)).length;

    const app = await openAppPage(services);
    try {
      const { page } = app;
      await page.getByText(short.title, { exact: true }).first().waitFor();
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const opens: { ms: number; work: ThreadWork }[] = [];
      for (let run = 0; run < OPENS; run++) {
        await timeOpen(page, short.title);
        opens.push(await measureOpen(page, cdp, long.title));
      }
      const median = (pick: (open: { ms: number; work: ThreadWork }) => number): number =>
        quantile(opens.map(pick), 0.5);
      const elements = await page.evaluate(() => document.getElementsByTagName('*').length);
      const frames = await scrollFrames(page);
      const flat = await timeFlatRender(page, longId);
      if (app.consoleErrors.length > 0)
        throw new Error(`The page logged errors: ${app.consoleErrors.join('; ')}`);

      console.log(`\nTranscript open (Chromium, ${sentences} sentences with character tokens, 3 h)`);
      console.log(
        `  main read + JSON: with tokens ${ms(fullRead)} (${(fullBytes / 1e6).toFixed(1)} MB), ` +
          `slim ${ms(slimRead)} (${(slimBytes / 1e6).toFixed(1)} MB)`,
      );
      console.log(
        `  click → first rows painted: median ${ms(median((open) => open.ms))}, ` +
          `worst ${ms(Math.max(...opens.map((open) => open.ms)))} (target < 500 ms; ${OPENS} opens)`,
      );
      console.log(
        `  renderer main thread during an open (median): busy ${ms(median((open) => open.work.task))}, ` +
          `script ${ms(median((open) => open.work.script))}, layout and style ${ms(median((open) => open.work.layout))}`,
      );
      console.log(`  DOM elements of the whole page with the meeting open: ${elements}`);
      console.log(
        `  scrolling the whole transcript (${frames.length} frames, ${SCROLL_STEP_PX} px each): ` +
          `p50 ${ms(quantile(frames, 0.5))}, p95 ${ms(quantile(frames, 0.95))}, max ${ms(Math.max(...frames))}`,
      );
      console.log(
        `  old approach, same run (every sentence a list item): ${ms(flat.ms)} to paint, ${flat.elements} elements ` +
          `(the issue measured 1.7–2.7 s and 20,000 elements in the old view)`,
      );
    } finally {
      await app.close();
    }
  } finally {
    await services.close();
    await data.remove();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = Number(process.argv[2]);
  await runTranscriptOpenBench(Number.isSafeInteger(arg) && arg > 0 ? { sentences: arg } : {});
}
