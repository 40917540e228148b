import { test, expect } from './fixtures';
import { reload, mockProvider, mockRequests, queueFault, sendWithEnter, signUp, uniqueName } from './helpers';

test('chat with Local AI: Enter sends, Shift+Enter adds a line, history survives a reload', async ({ page }) => {
  await signUp(page, uniqueName('chat'));
  const log = page.getByRole('log', { name: 'Conversation' });

  const box = page.getByLabel('Message', { exact: true });
  await box.fill('first line');
  await box.press('Shift+Enter');
  await box.pressSequentially('second line');
  await expect(box).toHaveValue('first line\nsecond line');
  await box.press('Enter');

  await expect(page).toHaveURL(/\/c\/\d+$/);
  await expect(log).toContainText('you said "first line\nsecond line" (1 messages in the history)');
  await expect(box).toHaveValue('');

  await sendWithEnter(page, 'And a follow-up');
  // The whole history went to the provider: two user messages and one reply.
  await expect(log).toContainText('you said "And a follow-up" (3 messages in the history)');
  const sent = (await mockRequests()).at(-1);
  expect(sent.messages.map((m: any) => m.role)).toEqual(['user', 'assistant', 'user']);

  await reload(page);
  await expect(log).toContainText('first line');
  await expect(log).toContainText('(1 messages in the history)');
  await expect(log).toContainText('(3 messages in the history)');
  await expect(page.getByRole('navigation', { name: 'Conversations' })).toContainText('first line');
});

test('provider down: the message stays, the fix is shown, Retry answers', async ({ page }) => {
  await signUp(page, uniqueName('down'));
  const log = page.getByRole('log', { name: 'Conversation' });
  await mockProvider('down');
  try {
    await sendWithEnter(page, 'Are you there?');
    const failed = log.getByRole('alert');
    await expect(failed).toContainText('Sorry, no reply this time.');
    // Not an admin: the fix, without the network's addresses.
    await expect(failed).toContainText("Can't reach the local AI server at the address set on this server");
    await expect(failed).not.toContainText('127.0.0.1');
    await expect(failed).toContainText('LOCAL_AI_URL');
    await expect(log).toContainText('Are you there?');

    // Still there after a reload, with Retry.
    await reload(page);
    await expect(log.getByRole('alert')).toContainText("Can't reach the local AI server");
  } finally {
    await mockProvider('up');
  }
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(log).toContainText('you said "Are you there?" (1 messages in the history)');
  await expect(log.getByRole('alert')).toHaveCount(0);
});

test('Hugging Face: a token without permission says how to fix it', async ({ page }) => {
  await signUp(page, uniqueName('hf'));
  await page.getByLabel('Provider', { exact: true }).selectOption('huggingface');
  await queueFault({ kind: 'status', status: 403, body: '{"error":"This authentication method does not have sufficient permissions"}' });
  await sendWithEnter(page, 'Hola');
  const log = page.getByRole('log', { name: 'Conversation' });
  await expect(log.getByRole('alert')).toContainText('Make calls to Inference Providers');
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(log).toContainText('you said "Hola"');
  const sent = (await mockRequests()).at(-1);
  expect(sent.model).toBe('meta-llama/Llama-3.2-3B-Instruct:fastest');
});
