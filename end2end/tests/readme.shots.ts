import { test, expect, Page } from './fixtures';
import * as fs from 'fs';
import * as path from 'path';
import { queueFault, sendWithEnter, signUp, uniqueName } from './helpers';

// Not a test: `make screenshots` runs it (SCREENSHOTS=1) to retake the
// README's pictures from the running app; the test suite never rewrites
// tracked files.
const conversationLog = (page: Page) => page.getByRole('log', { name: /Conversation|Conversación/ });
const SCREENSHOTS = path.join(__dirname, '..', '..', 'docs', 'screenshots');

test('README screenshots: light, dark and phone', async ({ page }) => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await signUp(page, uniqueName('shots'));
  await queueFault({
    kind: 'stream',
    text: 'Here is a small Rust function:\n\n```rust\nfn greet(name: &str) -> String {\n    format!("Hello, {name}!")\n}\n```\n\nIt returns the greeting instead of printing it, so **tests can check it**.',
    pause_ms: 5,
  });
  await sendWithEnter(page, 'Write a Rust function that greets someone');
  await expect(conversationLog(page)).toContainText('tests can check it');
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await page.setViewportSize({ width: 1280, height: 760 });
  await page.getByLabel('Theme').selectOption('light');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'chat-light.png') });
  await page.getByLabel('Theme').selectOption('dark');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'chat-dark.png') });
  await page.setViewportSize({ width: 360, height: 740 });
  await page.screenshot({ path: path.join(SCREENSHOTS, 'chat-phone.png') });
  await page.setViewportSize({ width: 1280, height: 760 });
  await page.getByLabel('Theme').selectOption('system');
});
