import { test, expect } from '@playwright/test';
import { hydrated } from './helpers';

test('the page files are named after their build, and browsers keep them', async ({ page, request }) => {
  await page.goto('/login');
  await hydrated(page);
  const urls = await page.evaluate(() =>
    [...document.querySelectorAll('link[href^="/pkg/"]')].map((l) => l.getAttribute('href') ?? ''),
  );
  // The stylesheet, the JS module and the WASM.
  expect(urls).toHaveLength(3);
  for (const url of urls) {
    expect(url).toMatch(/^\/pkg\/nexa-chat\.[\w-]{8,}\.(css|js|wasm)$/);
    const res = await request.get(url);
    expect(res.status()).toBe(200);
    expect(res.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  }
  // The page is not kept: it is what names the current build's files.
  const html = await request.get('/login');
  expect(html.headers()['cache-control'] ?? '').not.toContain('max-age');
  expect(html.headers()['last-modified']).toBeUndefined();
});
