import { test, expect } from './fixtures';
import { PASSWORD, open, signUp, uniqueName } from './helpers';

test('a new user signs up, signs out and signs back in', async ({ page }) => {
  const name = uniqueName('ana');
  await signUp(page, name);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { name: 'Sign in to Nexa Chat' })).toBeVisible();
  // The sign-in page is plain HTML: no script file, no WASM.
  expect(await page.locator('script[src], link[rel="modulepreload"], link[href$=".wasm"]').count()).toBe(0);

  // Signed out really means signed out: the chat sends us back.
  await open(page, '/');
  await expect(page).toHaveURL(/\/login$/);

  await page.getByLabel('Username').fill(name);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong username or password.');
  // The page came back from the server with the error; what was typed stays.
  await expect(page.getByLabel('Username')).toHaveValue(name);

  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('navigation', { name: 'Conversations' })).toContainText(name);
});

test('a taken username is refused with a clear message', async ({ page }) => {
  const name = uniqueName('bo');
  await signUp(page, name);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await open(page, '/signup');
  await page.getByLabel('Username').fill(name);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('alert')).toContainText('already taken');
});

test('the sign-in page switches language with no script file, under its policy', async ({ page }) => {
  await open(page, '/login');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  // Picking posts the switcher's form; the server sends the page back.
  await page.getByLabel('Language').selectOption('es');
  await expect(page.getByRole('heading', { name: 'Inicia sesión en Nexa Chat' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'es');
  await page.getByLabel('Tema').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page).toHaveURL(/\/login\??$/);
});

