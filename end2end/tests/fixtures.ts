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
 * Every test fails if a page of its browser context threw: a WASM that fails
 * at start (as a broken wasm-opt made it) throws before anything is shown, and
 * a test that only looks at server-rendered HTML would not notice. A test
 * that opens a context of its own checks it with `pageErrorsOf`.
 */
export const test = base.extend<{ pageErrors: string[] }>({
  pageErrors: [
    async ({ context }, use) => {
      const errors = pageErrorsOf(context);
      await use(errors);
      expect(errors, 'errors thrown in the page').toEqual([]);
    },
    { auto: true },
  ],
});
