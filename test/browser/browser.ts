import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

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
