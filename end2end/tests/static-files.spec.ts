import { test, expect } from './fixtures';
import { signUp, uniqueName } from './helpers';

test('the page files are named after their build, and browsers keep them', async ({ page, request }) => {
  await signUp(page, uniqueName('files'));
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
    // A browser that asks again gets "not modified", not the file again.
    const again = await request.get(url, { headers: { 'if-modified-since': res.headers()['last-modified'] } });
    expect(again.status()).toBe(304);
  }
  // The page is not kept: it is what names the current build's files.
  const html = await request.get('/login');
  expect(html.headers()['cache-control'] ?? '').not.toContain('max-age');
  expect(html.headers()['last-modified']).toBeUndefined();
});
