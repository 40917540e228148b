import { expect, Page, request } from '@playwright/test';
import { MOCK_CONTROL, MOCK_API } from '../playwright.config';

let counter = 0;

/** A username no other test uses. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}`;
}

export const PASSWORD = 'correct-horse-battery';

/** Waits until the WASM has hydrated the page (it sets html[data-hydrated]). */
export async function hydrated(page: Page): Promise<void> {
  await page.locator('html[data-hydrated]').waitFor({ state: 'attached', timeout: 20_000 });
}

/** Whether the page at `url` runs the WASM: only the chat does; sign-in,
 * sign-up and diagnostics are plain HTML, ready once loaded. */
export function hydrates(url: string): boolean {
  const path = new URL(url, 'http://x').pathname;
  return path === '/' || /^\/c\/[^/]+$/.test(path);
}

/** Waits until the page it ended on (after any redirect) is interactive. */
async function ready(page: Page): Promise<void> {
  if (hydrates(page.url())) await hydrated(page);
}

/** Goes to a path and waits for the page to become interactive. */
export async function open(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await ready(page);
}

/** Reloads and waits for the page to become interactive. */
export async function reload(page: Page): Promise<void> {
  await page.reload();
  await ready(page);
}

/** Creates an account through the sign-up page and waits for the chat. */
export async function signUp(page: Page, username: string): Promise<void> {
  await open(page, '/signup');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('navigation', { name: 'Conversations' })).toContainText(username);
  await hydrated(page);
}

/** Types a message and sends it with Enter. */
export async function sendWithEnter(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Message', { exact: true });
  await box.fill(text);
  await box.press('Enter');
}

/** Takes the mock provider's port down (connections refused) or back up;
 * "up" returns once the mock answers again, so a busy machine cannot race
 * the next request against the new listener. */
export async function mockProvider(state: 'down' | 'up'): Promise<void> {
  const ctx = await request.newContext();
  const res = await ctx.post(`${MOCK_CONTROL}/${state}`);
  expect(res.status()).toBe(204);
  if (state === 'up') {
    await expect
      .poll(async () => (await ctx.get(`${MOCK_API}/v1/models`).catch(() => null))?.status() ?? 0, {
        timeout: 10_000,
      })
      .toBe(200);
  }
  await ctx.dispose();
}

/** Queues a fault for the mock's next completion. */
export async function queueFault(fault: object): Promise<void> {
  const ctx = await request.newContext();
  const res = await ctx.post(`${MOCK_API}/__mock/faults`, { data: fault });
  expect(res.status()).toBe(204);
  await ctx.dispose();
}

/** The completion bodies the mock received. */
export async function mockRequests(): Promise<any[]> {
  const ctx = await request.newContext();
  const res = await ctx.get(`${MOCK_API}/__mock/requests`);
  const body = await res.json();
  await ctx.dispose();
  return body;
}

/**
 * Runs `check`; when it fails, prints what each side knew (the mock's stream
 * counts, each page's console and the reply it shows) before failing, so a
 * rare failure on CI says where the reply stopped.
 */
export async function explainFailure(pages: Page[], check: () => Promise<void>): Promise<void> {
  const consoles = pages.map((p) => {
    const lines: string[] = [];
    p.on('console', (m) => lines.push(`${m.type()}: ${m.text()}`));
    p.on('pageerror', (e) => lines.push(`pageerror: ${e.message}`));
    return lines;
  });
  try {
    await check();
  } catch (err) {
    const ctx = await request.newContext();
    const streams = await (await ctx.get(`${MOCK_API}/__mock/streams`)).text();
    await ctx.dispose();
    console.log(`mock streams: ${streams}`);
    for (const [i, p] of pages.entries()) {
      const shown = await p
        .locator('article.message.assistant')
        .evaluateAll((els) =>
          els.map((e) => `${e.className} visible=${(e as HTMLElement).offsetParent !== null}: ${e.textContent?.slice(-60)}`),
        )
        .catch((e) => [`unreadable: ${e}`]);
      console.log(`page ${i} (${p.url()}) replies:\n  ${shown.join('\n  ')}`);
      console.log(`page ${i} console:\n  ${consoles[i].join('\n  ')}`);
    }
    throw err;
  }
}

/** Imports a chat of 2,000 messages (answers with Markdown) for the
 * signed-in user of `page`; returns its id. */
export async function importLongChat(page: Page): Promise<number> {
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
  return res.json();
}
