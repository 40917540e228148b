import { test, expect } from './fixtures';
import { hydrated, signUp, uniqueName } from './helpers';

// `make bench` only (the `bench` project): how fast a 2,000-message chat
// opens and how typing feels in it, printed for the bench table. Speed is
// measured here, never asserted in the test suite.
test('a 2,000-message chat: time to DOM ready and per key typed', async ({ page }) => {
  await signUp(page, uniqueName('long'));
  const messages = Array.from({ length: 2000 }, (_, i) => ({
    id: i + 1,
    role: i % 2 ? 'assistant' : 'user',
    content: i % 2 ? `Answer **${i}** with \`code\` and a list:\n\n- one\n- two` : `Question ${i}`,
    status: 'complete',
    error: null,
    provider: 'local',
  }));
  const exported = {
    format: 'nexa-chat.conversation',
    version: 1,
    conversation: { summary: { id: 0, title: 'Very long chat', provider: 'local', updated_at: '' }, messages },
  };
  const res = await page.request.post('/api/import_conversation', { data: { json: JSON.stringify(exported) } });
  expect(res.status()).toBe(200);
  const id = await res.json();

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
