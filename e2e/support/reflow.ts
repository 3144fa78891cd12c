// One audit of the page as it is now, at three layouts: desktop, 200% zoom
// and 320 CSS px (WCAG 1.4.10 Reflow). Same emulation as e2e/accessibility.test.ts:
// 200% zoom of a 1280×800 window is a 640×400 CSS-px viewport with 2 device
// pixels per CSS pixel, set through CDP so media queries see 640 px.
import type { CDPSession, Page } from 'playwright-core';
import { artifactPath, axe, describeViolations, horizontalOverflow, settle } from './portal.ts';

export const DESKTOP = { width: 1024, height: 768 };
export const ZOOM_200 = { width: 640, height: 400, deviceScaleFactor: 2 };
export const NARROW = { width: 320, height: 640 };

/** Returns the problems found (empty = pass); leaves the page at desktop size. Screenshots go to e2e/artifacts/<dir>/. */
export async function auditLayouts(page: Page, cdp: CDPSession, dir: string, name: string): Promise<string[]> {
  const problems: string[] = [];
  await page.setViewportSize(DESKTOP);
  await settle(page);
  const desktop = await axe(page);
  if (desktop.length) problems.push(`axe at ${DESKTOP.width}px:\n${describeViolations(desktop)}`);
  const overflowDesktop = await horizontalOverflow(page);
  if (overflowDesktop) problems.push(`horizontal scroll at ${DESKTOP.width}px: ${JSON.stringify(overflowDesktop)}`);

  await cdp.send('Emulation.setDeviceMetricsOverride', { ...ZOOM_200, mobile: false });
  await settle(page);
  const overflowZoom = await horizontalOverflow(page);
  if (overflowZoom) problems.push(`horizontal scroll at 200% zoom: ${JSON.stringify(overflowZoom)}`);

  await page.setViewportSize(NARROW); // also puts deviceScaleFactor back to 1
  await settle(page);
  const narrow = await axe(page);
  if (narrow.length) problems.push(`axe at ${NARROW.width}px:\n${describeViolations(narrow)}`);
  const overflowNarrow = await horizontalOverflow(page);
  if (overflowNarrow) problems.push(`horizontal scroll at ${NARROW.width}px: ${JSON.stringify(overflowNarrow)} (widest: ${await widest(page)})`);
  await page.screenshot({ path: artifactPath(dir, `${name}-320.png`), fullPage: true });

  await page.setViewportSize(DESKTOP);
  await settle(page);
  return problems;
}

/** The element that sticks out furthest to the right, to say what to fix. */
async function widest(page: Page): Promise<string> {
  return page.evaluate(() => {
    let worst: Element | null = null;
    let right = document.documentElement.clientWidth;
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect().right;
      if (r > right) {
        right = r;
        worst = el;
      }
    }
    return worst ? `${worst.tagName.toLowerCase()}.${[...worst.classList].join('.')} right=${Math.round(right)}px "${(worst.textContent ?? '').slice(0, 40)}"` : 'none';
  });
}
