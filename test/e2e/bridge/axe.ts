// axe-core in the page under test: a screen passes when axe finds no serious or critical violation on it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from './page-fixture.js';

const AXE_SCRIPT = join(ROOT, 'node_modules/axe-core/axe.min.js');

/** One violation as the failure message lists it. */
interface Violation {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** The part of axe-core's API used here (the page's `window.axe`). */
interface AxeInPage {
  axe: {
    run(
      context: unknown,
      options: { resultTypes: string[] },
    ): Promise<{
      violations: {
        id: string;
        impact?: string | null;
        help: string;
        nodes: { target: unknown[]; html: string; failureSummary?: string }[];
      }[];
    }>;
  };
  document: unknown;
}

/**
 * Runs axe-core on the whole page and fails, naming each rule, its impact and the elements (with axe's summary),
 * when anything serious or critical is found. `context` names the screen in the message ("library, dark, 中文").
 */
export async function expectNoSeriousA11yViolations(
  page: Page,
  context = 'page',
  /** A CSS selector: check only that part of the page (a screen whose neighbours other tests cover). */
  within?: string,
): Promise<void> {
  // Evaluated through the debugging protocol, so the page's Content-Security-Policy does not block the script.
  if (!(await page.evaluate(() => 'axe' in globalThis)))
    await page.evaluate(await readFile(AXE_SCRIPT, 'utf8'));
  const violations = await page.evaluate(async (scope): Promise<Violation[]> => {
    const { axe, document } = globalThis as unknown as AxeInPage;
    const results = await axe.run(scope ? { include: [scope] } : document, { resultTypes: ['violations'] });
    return results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({
        id: violation.id,
        impact: violation.impact ?? '',
        help: violation.help,
        nodes: violation.nodes.map(
          (node) => `${node.target.join(' ')} ${node.html.slice(0, 200)}: ${node.failureSummary ?? ''}`,
        ),
      }));
  }, within ?? null);
  if (violations.length === 0) return;
  const lines = violations.flatMap((violation) => [
    `- ${violation.id} (${violation.impact}): ${violation.help}`,
    ...violation.nodes.map((node) => `    ${node.replaceAll('\n', '\n    ')}`),
  ]);
  throw new Error(
    `axe found ${violations.length} serious or critical problem(s) on ${context}:\n${lines.join('\n')}`,
  );
}
