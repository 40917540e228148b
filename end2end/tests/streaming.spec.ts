import { test, expect, request } from './fixtures';
import { MOCK_API } from '../playwright.config';
import { explainFailure, hydrated, queueFault, reload, sendWithEnter, signUp, uniqueName } from './helpers';

const words = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${i + 1}`).join(' ');

async function streamStats(): Promise<{ started: number; finished: number; cancelled: number }> {
  const ctx = await request.newContext();
  const res = await ctx.get(`${MOCK_API}/__mock/streams`);
  const body = await res.json();
  await ctx.dispose();
  return body;
}

test('a reply is formatted while it is written, and stays so', async ({ page }) => {
  await signUp(page, uniqueName('live-md'));
  const log = page.getByRole('log', { name: 'Conversation' });
  const text = `**Bold start** ${words(24, 'm')}\n\n- first item\n- second item`;
  await queueFault({ kind: 'stream', text, pause_ms: 100 });
  await sendWithEnter(page, 'Format as you go');

  const live = log.locator('article.message.assistant.live');
  // The server renders the Markdown; the page applies its patches.
  await expect(live.locator('.content strong')).toHaveText('Bold start');
  await expect(live).toContainText('m3');
  await expect(live).not.toContainText('m24');
  await expect(live).not.toContainText('**');
  const reply = log.locator('article.message.assistant:not(.live)').last();
  await expect(reply.locator('.content li')).toHaveText(['first item', 'second item'], { timeout: 15_000 });
  await expect(reply.locator('.content strong')).toHaveText('Bold start');
  await expect(reply.locator('.content')).toContainText('m24');
});

test('the reply appears as it is written; Stop ends it and keeps the text', async ({ page }) => {
  await signUp(page, uniqueName('stop'));
  const log = page.getByRole('log', { name: 'Conversation' });
  const text = words(40, 'w');
  await queueFault({ kind: 'stream', text, pause_ms: 120 });
  const before = await streamStats();
  await sendWithEnter(page, 'Count slowly');

  const live = log.locator('article.message.assistant.live');
  await expect(live).toContainText('w2');
  // Incremental: some words are there, the last is not yet.
  await expect(live).not.toContainText('w40');
  await expect(page.getByRole('button', { name: 'Send' })).toHaveCount(0);
  const stop = page.getByRole('button', { name: 'Stop' });
  await expect(stop).toBeVisible();
  await expect(live).toContainText('w4');
  await stop.click();

  const reply = log.locator('article.message.assistant.stopped');
  await expect(reply).toContainText('Stopped');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  const kept = (await reply.locator('.content').innerText()).trim();
  expect(text.startsWith(kept)).toBe(true);
  expect(kept.length).toBeLessThan(text.length);
  // The provider's stream was cancelled, not left running.
  await expect.poll(async () => (await streamStats()).cancelled).toBe(before.cancelled + 1);

  // Still stopped, with the same text, after a reload.
  await reload(page);
  await expect(log.locator('article.message.assistant.stopped .content')).toHaveText(kept);
});

test('a reload mid-stream shows the reply finishing, and a second tab sees it', async ({ page, context }) => {
  await signUp(page, uniqueName('reload'));
  const log = page.getByRole('log', { name: 'Conversation' });
  const text = words(30, 'r');
  await queueFault({ kind: 'stream', text, pause_ms: 100 });
  await sendWithEnter(page, 'Tell me a long story');
  await expect(log.locator('article.message.assistant.live')).toContainText('r3');

  const second = await context.newPage();
  await explainFailure([page, second], async () => {
    await second.goto(page.url());
    await hydrated(second);
    await reload(page);

    for (const p of [page, second]) {
      const reply = p.getByRole('log', { name: 'Conversation' }).locator('article.message.assistant:visible');
      await expect(reply.locator('.content')).toHaveText(text, { timeout: 15_000 });
      await expect(reply).toHaveCount(1);
    }
  });
  await reload(page);
  await expect(log.locator('article.message.assistant .content')).toHaveText(text);
});

test('a failure mid-stream keeps the partial text and Retry answers', async ({ page }) => {
  await signUp(page, uniqueName('cut'));
  const log = page.getByRole('log', { name: 'Conversation' });
  await queueFault({ kind: 'stream', text: words(10, 'p'), pause_ms: 60, cut_after: 4 });
  await sendWithEnter(page, 'Go on');
  const failed = log.getByRole('alert');
  await expect(failed).toContainText('Sorry, no reply this time.');
  await expect(failed).toContainText('broke in the middle of the reply');
  await expect(failed.locator('.content')).toHaveText('p1 p2 p3 p4');
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(log).toContainText('you said "Go on" (1 messages in the history)');
  await expect(log.getByRole('alert')).toHaveCount(0);
});

test('reasoning shows in a Thinking block, with token usage', async ({ page }) => {
  await signUp(page, uniqueName('think'));
  const log = page.getByRole('log', { name: 'Conversation' });
  await queueFault({ kind: 'stream', reasoning: 'The user wants a sum.', text: 'It is 4.', pause_ms: 30 });
  await sendWithEnter(page, '2+2?');
  const reply = log.locator('article.message.assistant:not(.live)');
  await expect(reply.locator('.content')).toHaveText('It is 4.');
  const thinking = reply.locator('details.thinking');
  await expect(thinking.locator('summary')).toHaveText('Thinking');
  await thinking.locator('summary').click();
  await expect(thinking).toContainText('The user wants a sum.');
  await expect(reply.locator('.usage')).toContainText('3 tokens');
});

test('a dropped network loses nothing: the page reconnects and the reply completes once', async ({ page, context }) => {
  await signUp(page, uniqueName('offline'));
  const log = page.getByRole('log', { name: 'Conversation' });
  const text = words(30, 'n');
  await queueFault({ kind: 'stream', text, pause_ms: 100 });
  await sendWithEnter(page, 'Keep talking');
  await expect(log.locator('article.message.assistant.live')).toContainText('n3');
  await context.setOffline(true);
  await page.waitForTimeout(1500);
  await context.setOffline(false);
  const reply = log.locator('article.message.assistant:visible');
  await expect(reply.locator('.content')).toHaveText(text, { timeout: 20_000 });
  await expect(reply).toHaveCount(1);
});
