import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium: browsers cannot be downloaded here, so playwright-core drives the system one. */
export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * Launches headless Chromium (Debian's `chromium` package) with nothing that
 * reaches the network on its own. Playwright gives each launch a fresh temporary
 * profile (its own `--user-data-dir`) and deletes it on `browser.close()`.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
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
