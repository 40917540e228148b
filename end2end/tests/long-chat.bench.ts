import { test, expect } from './fixtures';
import { hydrated, importLongChat, signUp, uniqueName } from './helpers';

// `make bench` only (the `bench` project): how fast a 2,000-message chat
// opens and how typing feels in it, printed for the bench table. Speed is
// measured here, never asserted in the test suite.
test('a 2,000-message chat: time to DOM ready and per key typed', async ({ page }) => {
  await signUp(page, uniqueName('long'));
  const id = await importLongChat(page);

  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    await page.goto(`/c/${id}`);
    runs.push(
      await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        return nav.domContentLoadedEventEnd - nav.startTime;
      }),
    );
  }
  await hydrated(page);
  const box = page.getByLabel('Message', { exact: true });
  await box.click();
  const text = 'smooth typing check';
  const started = Date.now();
  await box.pressSequentially(text, { delay: 0 });
  const perKey = (Date.now() - started) / text.length;
  await expect(box).toHaveValue(text);
  runs.sort((a, b) => a - b);
  console.log(`BENCH long_chat_dom_ready_ms=${runs[2].toFixed(0)} typing_ms_per_key=${perKey.toFixed(1)}`);
});
