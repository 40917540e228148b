import { test as base, expect, BrowserContext, Page } from '@playwright/test';

export { expect, request } from '@playwright/test';
export type { Page } from '@playwright/test';

/** Collects what the pages of `context` throw, from now on. */
export function pageErrorsOf(context: BrowserContext): string[] {
  const errors: string[] = [];
  const watch = (page: Page) => page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
  context.pages().forEach(watch);
  context.on('page', watch);
  return errors;
}

/**
 * Collects the Content-Security-Policy violations of the pages of
 * `context`, from now on: the browser's own report on the console, and the
 * `securitypolicyviolation` event the page fires (caught before any script
 * of ours runs).
 */
export async function cspViolationsOf(context: BrowserContext): Promise<string[]> {
  const violations: string[] = [];
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  const watch = (page: Page) =>
    page.on('console', (message) => {
      const text = message.text();
      if (text.startsWith('CSP violation') || text.includes('Content Security Policy')) {
        violations.push(`${page.url()}: ${text}`);
      }
    });
  context.pages().forEach(watch);
  context.on('page', watch);
  return violations;
}

/**
 * Every test fails if a page of its browser context threw: a WASM that fails
 * at start (as a broken wasm-opt made it) throws before anything is shown, and
 * a test that only looks at server-rendered HTML would not notice. A test
 * that opens a context of its own checks it with `pageErrorsOf`.
 */
export const test = base.extend<{ pageErrors: string[]; cspViolations: string[] }>({
  pageErrors: [
    async ({ context }, use) => {
      const errors = pageErrorsOf(context);
      await use(errors);
      expect(errors, 'errors thrown in the page').toEqual([]);
    },
    { auto: true },
  ],
  // Every test also fails on any Content-Security-Policy violation: the
  // policy must allow everything the app does, and nothing else.
  cspViolations: [
    async ({ context }, use) => {
      const violations = await cspViolationsOf(context);
      await use(violations);
      expect(violations, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});
