import { test, expect } from './fixtures';
import { ADMIN } from '../playwright.config';
import { hydrated, mockProvider, open, signUp, uniqueName } from './helpers';

async function signInAsAdmin(page: import('@playwright/test').Page) {
  await open(page, '/login');
  await page.getByLabel('Username').fill(ADMIN.username);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/$/);
  await hydrated(page);
}

test('the admin runs the checks: each provider step by step, with the fix for what fails', async ({ page }) => {
  await signInAsAdmin(page);
  await page.getByRole('link', { name: 'Diagnostics' }).click();
  await expect(page).toHaveURL(/\/admin\/diagnostics$/);
  // Plain HTML: the button loads the page again with the checks run.
  await page.getByRole('button', { name: 'Run the checks' }).click();
  await expect(page).toHaveURL(/\/admin\/diagnostics\?run=1$/);
  const local = page.getByRole('region', { name: 'Local AI' });
  await expect(local).toContainText('works');
  await expect(local.locator('.check.pass')).toHaveCount(5);
  await expect(local).toContainText('mock-instruct-7b');
  await expect(page.getByRole('region', { name: 'Hugging Face' })).not.toContainText('hf_e2e_token');

  await mockProvider('down');
  try {
    await page.getByRole('button', { name: 'Run the checks' }).click();
    await expect(local).toContainText('needs a fix');
    await expect(local.locator('.check.fail .check-name')).toHaveText('Server reachable');
    await expect(local.locator('.check-fix')).toContainText("Can't reach the local AI server at http://127.0.0.1:4010/v1/chat/completions");
  } finally {
    await mockProvider('up');
  }
});

test('the diagnostics are for the admin only', async ({ page }) => {
  await signUp(page, uniqueName('nosy'));
  await expect(page.getByRole('link', { name: 'Diagnostics' })).toHaveCount(0);
  await open(page, '/admin/diagnostics');
  await expect(page.getByRole('alert')).toContainText('Only the admin');
});
