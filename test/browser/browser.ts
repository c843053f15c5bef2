import fs from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.NDP_CHROMIUM ?? '/usr/bin/chromium';
export const HAS_CHROMIUM = fs.existsSync(CHROMIUM);

if (!HAS_CHROMIUM) {
  const msg = `Browser tests SKIPPED: no Chromium at ${CHROMIUM}. Install it with "apt-get install -y chromium" (CI does) or set NDP_CHROMIUM.`;
  if (process.env.CI) throw new Error(`${msg} In CI they must run.`);
  process.stderr.write(`\n${msg}\n`);
}

/** Debian's Chromium with the flags this closed network needs. */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The ids of the serious and critical WCAG 2.1 A/AA violations axe finds on a page. axe is injected through the
 * DevTools protocol, so the page's strict CSP stays as users get it.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await (
      window as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string; impact: string }[] }> } }
    ).axe.run({ runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
  });
}

/**
 * Every WCAG 2.1 A/AA violation axe finds on a page, whatever its impact (the issue asks for none at all), each with
 * its impact and first targets, so a failure says where to look.
 */
export async function axeViolations(page: Page): Promise<{ id: string; impact: string; targets: string[] }[]> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await (
      window as unknown as {
        axe: {
          run: (o: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe.run({ runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'], resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.slice(0, 2).map((n) => n.target.join(' ')),
    }));
  });
}
