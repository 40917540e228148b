import { test, expect, Page, cspViolationsOf, pageErrorsOf } from './fixtures';
import * as fs from 'fs';
import { hydrated, importLongChat, mockProvider, mockRequests, open, PASSWORD, queueFault, reload, sendWithEnter, signUp, uniqueName } from './helpers';

const conversationLog = (page: Page) => page.getByRole('log', { name: /Conversation|Conversación/ });
const sidebar = (page: Page) => page.getByRole('navigation', { name: /Conversations|Conversaciones/ });

/** Sends a message and waits until its reply is stored (Send is back). */
async function chat(page: Page, text: string): Promise<void> {
  await sendWithEnter(page, text);
  await expect(conversationLog(page)).toContainText(`you said "${text}"`);
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
}

test('replies render as Markdown and hostile output runs nothing', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  let dialogs = 0;
  page.on('dialog', async (d) => {
    dialogs += 1;
    await d.dismiss();
  });
  await signUp(page, uniqueName('md'));
  const reply = [
    'Here is **bold**, a [safe link](https://example.com/docs) and a table:',
    '',
    '| lang | year |',
    '|------|------|',
    '| Rust | 2015 |',
    '',
    '```rust',
    'fn main() { println!("hi"); }',
    '```',
    '',
    '<script>window.__xss = 1; alert(1)</script>',
    '<img src=x onerror="window.__xss = 2; alert(2)">',
    '',
    '[x](javascript:alert(1)) ![cat](https://example.com/cat.png)',
  ].join('\n');
  await queueFault({ kind: 'stream', text: reply, pause_ms: 5 });
  await sendWithEnter(page, 'Show me markdown');
  const answer = conversationLog(page).locator('article.message.assistant:visible .content');
  await expect(answer.locator('strong')).toHaveText('bold');
  await expect(answer.locator('table td').first()).toHaveText('Rust');
  await expect(answer.locator('.code-lang')).toHaveText('rust');
  await expect(answer.locator('pre code')).toHaveText('fn main() { println!("hi"); }');
  // Raw HTML is shown as text, never run or fetched.
  await expect(answer).toContainText('<script>window.__xss = 1; alert(1)</script>');
  await expect(answer).toContainText('<img src=x onerror=');
  await expect(answer.locator('script, img, iframe')).toHaveCount(0);
  await expect(answer.getByRole('link', { name: 'safe link' })).toHaveAttribute('href', 'https://example.com/docs');
  await expect(answer.locator('a[href^="javascript"]')).toHaveCount(0);
  await expect(answer.getByRole('link', { name: /cat/ })).toHaveAttribute('href', 'https://example.com/cat.png');
  // The same after a reload (server-rendered this time).
  await reload(page);
  const stored = conversationLog(page).locator('article.message.assistant .content');
  await expect(stored.locator('script, img')).toHaveCount(0);
  await expect(stored).toContainText('<img src=x onerror=');
  expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
  expect(dialogs).toBe(0);

  // The code block's Copy button copies the code.
  const copy = stored.locator('.copy-code');
  await copy.click();
  await expect(copy).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('fn main() { println!("hi"); }\n');
  // Copy on a message copies its text.
  await conversationLog(page).locator('article.message.user').getByRole('button', { name: 'Copy' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('Show me markdown');
});

test('edit and resend replaces later turns; regenerate replaces the last reply', async ({ page }) => {
  await signUp(page, uniqueName('edit'));
  await chat(page, 'first question');
  await chat(page, 'second question');
  const log = conversationLog(page);
  await log.locator('article.message.user').first().getByRole('button', { name: 'Edit' }).click();
  const box = log.getByRole('textbox', { name: 'Edit' });
  await expect(box).toBeFocused();
  await box.press('Escape');
  await expect(box).toHaveCount(0);
  await log.locator('article.message.user').first().getByRole('button', { name: 'Edit' }).click();
  await log.getByRole('textbox', { name: 'Edit' }).fill('edited question');
  await log.getByRole('button', { name: 'Save and send' }).click();
  await expect(log).toContainText('you said "edited question" (1 messages in the history)');
  await expect(log).not.toContainText('second question');
  await expect(log.locator('article.message')).toHaveCount(2);

  const before = (await mockRequests()).length;
  await queueFault({ kind: 'stream', text: 'A brand new answer', pause_ms: 5 });
  await log.getByRole('button', { name: 'Regenerate' }).click();
  await expect(log.locator('article.message.assistant:visible')).toHaveText(/A brand new answer/);
  await expect(log.locator('article.message')).toHaveCount(2);
  expect((await mockRequests()).length).toBe(before + 1);
});

test('sidebar: Ctrl+K searches titles and text, rename in place, delete after a confirm', async ({ page }) => {
  await signUp(page, uniqueName('side'));
  await chat(page, 'Plan a trip to Lisbon');
  await page.getByRole('link', { name: '+ New chat' }).click();
  await chat(page, 'Bake sourdough bread');
  const nav = sidebar(page);
  await expect(nav.locator('.conversation')).toHaveText(['Bake sourdough bread', 'Plan a trip to Lisbon']);

  await page.getByLabel('Message', { exact: true }).focus();
  await page.keyboard.press('Control+k');
  const search = nav.getByRole('searchbox');
  await expect(search).toBeFocused();
  await search.fill('lisbon');
  await expect(nav.locator('.conversation')).toHaveText(['Plan a trip to Lisbon']);
  await search.fill('"sourdough');
  await expect(nav.locator('.conversation')).toHaveCount(0);
  await search.fill('you said "bake');
  await expect(nav.locator('.conversation')).toHaveText(['Bake sourdough bread'], { ignoreCase: true });
  await search.press('Escape');
  await expect(nav.locator('.conversation')).toHaveCount(2);

  // Rename: Enter saves, Esc cancels.
  await nav.getByRole('button', { name: 'Rename: Bake sourdough bread' }).click();
  const title = nav.getByRole('textbox', { name: 'New title' });
  await expect(title).toBeFocused();
  await title.fill('Bread notes');
  await title.press('Enter');
  await expect(nav.locator('.conversation').first()).toHaveText('Bread notes');
  await nav.getByRole('button', { name: 'Rename: Bread notes' }).click();
  await nav.getByRole('textbox', { name: 'New title' }).fill('Never mind');
  await nav.getByRole('textbox', { name: 'New title' }).press('Escape');
  await expect(nav.locator('.conversation').first()).toHaveText('Bread notes');
  await reload(page);
  await expect(nav.locator('.conversation').first()).toHaveText('Bread notes');

  // Delete asks first; Esc keeps it; Delete removes it and leaves the open chat.
  await nav.getByRole('button', { name: 'Delete: Bread notes' }).click();
  const confirm = nav.getByRole('alertdialog', { name: 'Delete this conversation?' });
  await expect(confirm).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await nav.getByRole('button', { name: 'Delete: Bread notes' }).click();
  await nav.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
  await expect(nav.locator('.conversation')).toHaveText(['Plan a trip to Lisbon']);
  await expect(page).toHaveURL(/\/$/);
});

test('a chat turn asks the server only for what the page lacks', async ({ page }) => {
  await signUp(page, uniqueName('turns'));
  const calls: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith('/api/')) calls.push(path.replace(/\/chats\/\d+\//, '/chats/{id}/'));
  });
  const stored = conversationLog(page).locator('article.message.assistant:not(.live)');

  // A new chat: the send and the conversation it opened (with the reply's
  // stream if the reply was still being written when it loaded); the list
  // gains the chat without asking.
  await chat(page, 'First turn');
  await expect(stored).toHaveCount(1);
  await expect(sidebar(page).getByRole('link', { name: 'First turn' })).toBeVisible();
  expect(calls.filter((c) => c !== '/api/chats/{id}/stream')).toEqual(['/api/send_message', '/api/get_conversation']);
  expect(calls.filter((c) => c === '/api/chats/{id}/stream').length).toBeLessThanOrEqual(1);

  // A later turn: only the send and the stream; the page applies both.
  calls.length = 0;
  await chat(page, 'Second turn');
  await expect(stored).toHaveCount(2);
  await expect(stored.last()).toContainText('you said "Second turn" (3 messages in the history)');
  expect(calls).toEqual(['/api/send_message', '/api/chats/{id}/stream']);

  // What the page holds is what the server stored: a reload shows the same.
  const shown = await conversationLog(page).locator('article.message').allInnerTexts();
  await reload(page);
  await expect(stored).toHaveCount(2);
  expect(await conversationLog(page).locator('article.message').allInnerTexts()).toEqual(shown);
});

test('chats open in place: no page load, and Back / Forward return to the chat before', async ({ page }) => {
  await signUp(page, uniqueName('nav'));
  await chat(page, 'First topic');
  const first = page.url();
  await page.getByRole('link', { name: '+ New chat' }).click();
  await expect(page).toHaveURL(/\/$/);
  await chat(page, 'Second topic');
  const second = page.url();
  expect(second).not.toBe(first);
  // A page load would drop this marker.
  await page.evaluate(() => { (window as any).stillTheSamePage = true; });

  await sidebar(page).getByRole('link', { name: 'First topic' }).click();
  await expect(page).toHaveURL(first);
  await expect(conversationLog(page)).toContainText('First topic');
  await expect(conversationLog(page)).not.toContainText('Second topic');
  await expect(sidebar(page).getByRole('link', { name: 'First topic' })).toHaveAttribute('aria-current', 'page');

  await page.goBack();
  await expect(page).toHaveURL(second);
  await expect(conversationLog(page)).toContainText('Second topic');
  await page.goForward();
  await expect(page).toHaveURL(first);
  await expect(conversationLog(page)).toContainText('First topic');
  expect(await page.evaluate(() => (window as any).stillTheSamePage)).toBe(true);

  // Ctrl+click is left to the browser (a new tab), not taken over.
  const [tab] = await Promise.all([
    page.context().waitForEvent('page'),
    sidebar(page).getByRole('link', { name: 'Second topic' }).click({ modifiers: ['Control'] }),
  ]);
  await tab.waitForLoadState();
  expect(tab.url()).toBe(second);
  await expect(page).toHaveURL(first);
  await tab.close();
});

test('another chat mid-reply shows nothing of it; coming back follows the reply again', async ({ page }) => {
  await signUp(page, uniqueName('away'));
  await chat(page, 'Quiet chat');
  const quiet = page.url();
  await page.getByRole('link', { name: '+ New chat' }).click();
  const text = Array.from({ length: 30 }, (_, i) => `z${i + 1}`).join(' ');
  await queueFault({ kind: 'stream', text, pause_ms: 150 });
  await sendWithEnter(page, 'Busy chat');
  await expect(page).toHaveURL(/\/c\/\d+$/);
  const busy = page.url();
  const log = conversationLog(page);
  await expect(log.locator('article.message.assistant.live')).toContainText('z2');

  await sidebar(page).getByRole('link', { name: 'Quiet chat' }).click();
  await expect(page).toHaveURL(quiet);
  await expect(log).toContainText('you said "Quiet chat"');
  await expect(log).not.toContainText('z2');
  await expect(log.locator('article.message.assistant.live')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Stop' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();

  await page.goBack();
  await expect(page).toHaveURL(busy);
  await expect(log.locator('article.message.assistant').last()).toContainText('z30', { timeout: 15_000 });
  await expect(log).not.toContainText('Quiet chat');
});

test('chat settings reach the provider; export and import a conversation', async ({ page }) => {
  await signUp(page, uniqueName('set'));
  await chat(page, 'Hello settings');
  await page.getByRole('button', { name: 'Chat settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Chat settings' });
  await expect(dialog.getByLabel('System prompt')).toBeFocused();
  await dialog.getByLabel('System prompt').fill('Answer like a pirate.');
  // The server checks the numbers and says what is wrong (the browser only
  // knows the field's min and step); nothing is saved.
  await dialog.getByLabel('Max tokens').fill('2000000');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Max tokens must be a whole number from 1 to 1000000');
  await dialog.getByLabel('Temperature').fill('0.3');
  await dialog.getByLabel('Max tokens').fill('128');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('status')).toHaveText('Saved.');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await chat(page, 'Who are you?');
  const sent = (await mockRequests()).at(-1);
  expect(sent.messages[0]).toEqual({ role: 'system', content: 'Answer like a pirate.' });
  expect(sent.temperature).toBeCloseTo(0.3);
  expect(sent.max_tokens).toBe(128);

  // Export both ways, then import the JSON as a new chat.
  await page.getByRole('button', { name: 'Chat settings' }).click();
  await expect(dialog.getByLabel('Temperature')).toHaveValue('0.3');
  await expect(dialog.getByLabel('Max tokens')).toHaveValue('128');
  const [markdown] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export Markdown' }).click(),
  ]);
  expect(markdown.suggestedFilename()).toMatch(/^Hello-settings-\d+\.md$/);
  const md = fs.readFileSync((await markdown.path())!, 'utf8');
  expect(md).toContain('# Hello settings');
  expect(md).toContain('## System prompt\n\nAnswer like a pirate.');
  expect(md).toContain('## You\n\nWho are you?');
  const [json] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export JSON' }).click(),
  ]);
  const jsonPath = (await json.path())!;
  await page.keyboard.press('Escape');
  const oldUrl = page.url();
  await page.locator('input[type=file]').setInputFiles({
    name: 'chat.json',
    mimeType: 'application/json',
    buffer: fs.readFileSync(jsonPath),
  });
  await expect(page).not.toHaveURL(oldUrl);
  await expect(page).toHaveURL(/\/c\/\d+$/);
  await expect(conversationLog(page)).toContainText('Who are you?');
  await expect(sidebar(page).locator('.conversation', { hasText: 'Hello settings' })).toHaveCount(2);

  // A file that is not an export is refused with a reason.
  await page.locator('input[type=file]').setInputFiles({
    name: 'notes.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"notes": true}'),
  });
  await expect(sidebar(page).getByRole('alert')).toContainText('This file cannot be imported');
});

test('Spanish follows the browser, the switch is remembered, errors are translated', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'es-ES' });
  const errors = pageErrorsOf(context);
  const violations = await cspViolationsOf(context);
  const page = await context.newPage();
  await open(page, '/signup');
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await page.getByLabel('Usuario').fill(uniqueName('es'));
  await page.getByLabel('Contraseña').fill(PASSWORD);
  await page.getByRole('button', { name: 'Crear cuenta' }).click();
  await expect(page).toHaveURL(/\/$/);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: '¿En qué puedo ayudarte?' })).toBeVisible();

  await mockProvider('down');
  try {
    const box = page.getByLabel('Mensaje', { exact: true });
    await box.fill('¿Hola?');
    await box.press('Enter');
    const failed = conversationLog(page).getByRole('alert');
    await expect(failed).toContainText('Lo siento, esta vez no hubo respuesta.');
    await expect(failed).toContainText('LOCAL_AI_URL');
    await expect(failed).not.toContainText("Can't reach");
    await expect(page.getByRole('button', { name: 'Reintentar' })).toBeVisible();
  } finally {
    await mockProvider('up');
  }

  // Switching to English reloads the page in English and is remembered.
  await page.getByLabel('Idioma').selectOption('en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await hydrated(page);
  await expect(conversationLog(page).getByRole('alert')).toContainText("Can't reach the local AI server");
  await reload(page);
  await expect(page.getByRole('button', { name: 'Retry' })).toBeVisible();
  await context.close();
  expect(errors, 'errors thrown in the page').toEqual([]);
  expect(violations, 'Content-Security-Policy violations').toEqual([]);
});

test('themes: follows the system, the choice is remembered', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await signUp(page, uniqueName('theme'));
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(await background()).toBe('rgb(21, 22, 26)');
  await page.getByLabel('Theme').selectOption('light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await background()).toBe('rgb(247, 247, 248)');
  await reload(page);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(await background()).toBe('rgb(247, 247, 248)');
  await page.getByLabel('Theme').selectOption('system');
  await reload(page);
  expect(await background()).toBe('rgb(21, 22, 26)');
});

test('a 360 px phone: the menu opens the sidebar, nothing scrolls sideways, keyboard works', async ({ page }) => {
  await signUp(page, uniqueName('phone'));
  await page.setViewportSize({ width: 360, height: 740 });
  await chat(page, 'Hello from a phone');
  const nav = sidebar(page);
  await expect(nav).toBeHidden();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  const menu = page.getByRole('button', { name: 'Menu' });
  await menu.click();
  await expect(nav).toBeVisible();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await nav.getByRole('link', { name: 'Hello from a phone' }).click();
  await expect(nav).toBeHidden();

  // Keyboard alone: Tab reaches the message box, Enter sends.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  const box = page.getByLabel('Message', { exact: true });
  for (let i = 0; i < 40 && !(await box.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(box).toBeFocused();
  await page.keyboard.type('Typed without a mouse');
  await page.keyboard.press('Enter');
  await expect(conversationLog(page)).toContainText('you said "Typed without a mouse"');
});

test('a 2,000-message chat opens with the latest 100, typing works, earlier ones load on demand', async ({ page }) => {
  await signUp(page, uniqueName('long'));
  const id = await importLongChat(page);

  // How fast it opens and types is measured by `make bench`
  // (long-chat.bench.ts), not asserted here.
  await page.goto(`/c/${id}`);
  const log = conversationLog(page);
  await expect(log.locator('article.message').last()).toContainText('Answer 1999');
  await hydrated(page);
  await expect(page.getByRole('button', { name: /Show earlier messages \(1900\)/ })).toBeVisible();

  const box = page.getByLabel('Message', { exact: true });
  await box.click();
  await box.pressSequentially('typing check', { delay: 0 });
  await expect(box).toHaveValue('typing check');

  await page.getByRole('button', { name: /Show earlier messages/ }).click();
  await expect(log.locator('article.message')).toHaveCount(600);
});
