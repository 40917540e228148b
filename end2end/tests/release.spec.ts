import { test, expect } from './fixtures';
import { sendWithEnter, signUp, uniqueName } from './helpers';

// What scripts/run.sh serves must start in a browser: the release WASM once
// came out of an old wasm-opt broken (it threw at start and Send did
// nothing) while every test ran a debug build. scripts/bench.sh runs this
// file before it weighs the page.
test('the release build serves a chat page that starts and answers', async ({ page, request }) => {
  const health = await request.get('/api/health');
  expect(health.status()).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok', build: 'release' });

  // signUp waits for html[data-hydrated]; the fixture fails the test on any
  // error thrown in the page.
  await signUp(page, uniqueName('release'));
  await sendWithEnter(page, 'Does the release page work?');
  const log = page.getByRole('log', { name: 'Conversation' });
  await expect(log).toContainText('you said "Does the release page work?" (1 messages in the history)');
  await expect(page).toHaveURL(/\/c\/\d+$/);

  // The WASM it ran was compressed at build time: served as the stored .br
  // file, with its length, not compressed on the fly (which has none).
  const wasm = await page.evaluate(() => document.querySelector('link[href$=".wasm"]')?.getAttribute('href') ?? '');
  expect(wasm).toMatch(/^\/pkg\/nexa-chat\.[\w-]{8,}\.wasm$/);
  const res = await request.get(wasm, { headers: { 'accept-encoding': 'br' } });
  expect(res.status()).toBe(200);
  expect(res.headers()['content-encoding']).toBe('br');
  expect(Number(res.headers()['content-length'])).toBeGreaterThan(0);
});
