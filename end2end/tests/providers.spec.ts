import { test, expect } from './fixtures';
import { mockRequests, queueFault, sendWithEnter, signUp, uniqueName, reload } from './helpers';

test('the picker marks an offline provider and sends the model picked for the conversation', async ({ page }) => {
  await signUp(page, uniqueName('picker'));
  const picker = page.getByLabel('Provider', { exact: true });
  // The model lists are checked in the background at start (the page never
  // waits for them), long before this test signs up.
  await expect(picker.locator('option', { hasText: 'Spare box (offline)' })).toHaveCount(1);
  const model = page.getByLabel('Model', { exact: true });
  await expect(model).toHaveAttribute('placeholder', /mock-instruct-7b/);
  await expect(page.locator('#model-suggestions option[value="mock-instruct-7b"]')).toHaveCount(1);
  await model.fill('qwen2.5-7b-instruct');
  await model.blur();
  await sendWithEnter(page, 'Which model are you?');
  const log = page.getByRole('log', { name: 'Conversation' });
  await expect(log).toContainText('you said "Which model are you?"');
  expect((await mockRequests()).at(-1).model).toBe('qwen2.5-7b-instruct');

  // The conversation remembers its model.
  await reload(page);
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('qwen2.5-7b-instruct');

  // Hugging Face explains its suffixes.
  await picker.selectOption('huggingface');
  await expect(page.locator('.model-help')).toContainText(':cheapest');
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('');
});

test('failover: the fallback answers when the chosen provider is down, and the reply says so', async ({ page }) => {
  await signUp(page, uniqueName('failover'));
  await page.getByLabel('Provider', { exact: true }).selectOption('spare');
  await sendWithEnter(page, 'Anyone there?');
  const log = page.getByRole('log', { name: 'Conversation' });
  await expect(log).toContainText('you said "Anyone there?"');
  await expect(log.locator('.notice')).toHaveText('Spare box could not be reached, so Local AI answered.');
  await expect(log.getByRole('alert')).toHaveCount(0);
});

test('a model that is loading is waited for with a visible countdown, then answers', async ({ page }) => {
  await signUp(page, uniqueName('loading'));
  await page.getByLabel('Provider', { exact: true }).selectOption('huggingface');
  await queueFault({ kind: 'status', status: 503, body: '{"error":"Model is currently loading","estimated_time":3.0}' });
  await sendWithEnter(page, 'Wake up');
  const log = page.getByRole('log', { name: 'Conversation' });
  await expect(log.getByRole('status')).toContainText(/Hugging Face is loading the model\. Trying again in [123] s/);
  await expect(log).toContainText('you said "Wake up"');
  await expect(log.getByRole('status')).toHaveCount(0);
  await expect(log.getByRole('alert')).toHaveCount(0);
});
