import { test, expect, cspViolationsOf, pageErrorsOf } from './fixtures';
import { ADMIN } from '../playwright.config';
import { PASSWORD, hydrated, open, signUp, uniqueName } from './helpers';
import type { Browser, Page } from '@playwright/test';

async function signIn(page: Page, username: string, password: string) {
  await open(page, '/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/$/);
  await hydrated(page);
}

/** A second browser, with its own cookies; the returned check fails on
 * what its pages threw or the policy refused. */
async function otherBrowser(browser: Browser): Promise<[Page, () => Promise<void>]> {
  const context = await browser.newContext();
  const errors = pageErrorsOf(context);
  const violations = await cspViolationsOf(context);
  const page = await context.newPage();
  const check = async () => {
    await context.close();
    expect(errors, 'errors thrown in the page').toEqual([]);
    expect(violations, 'Content-Security-Policy violations').toEqual([]);
  };
  return [page, check];
}

test('a password change on the Account page signs every other browser out', async ({ page, browser }) => {
  const name = uniqueName('pat');
  await signUp(page, name);
  const [laptop, checkLaptop] = await otherBrowser(browser);
  await signIn(laptop, name, PASSWORD);
  // Closed meanwhile (an open chat could be sent to sign-in by a refused
  // background call while the test loads a page: two navigations).
  await laptop.goto('about:blank');

  await page.getByRole('link', { name }).click();
  await expect(page).toHaveURL(/\/account$/);
  await page.getByLabel('Current password').fill('not-my-password');
  await page.getByLabel('New password').fill('a-brand-new-password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('alert')).toHaveText('The current password is not right; nothing was changed.');

  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByLabel('New password').fill('a-brand-new-password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status')).toContainText('Password changed');

  // The other browser's next page load finds its session ended.
  await laptop.goto('/');
  await expect(laptop).toHaveURL(/\/login$/);
  // This one stays signed in, until it signs out everywhere.
  await open(page, '/');
  await expect(page.getByRole('navigation', { name: 'Conversations' })).toContainText(name);
  await open(page, '/account');
  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await open(page, '/');
  await expect(page).toHaveURL(/\/login$/);
  await checkLaptop();
});

test('the admin closes sign-up, invites someone, then disables them', async ({ page, browser }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.getByRole('link', { name: 'Users' }).click();
  await expect(page).toHaveURL(/\/admin\/users$/);
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  const [guest, checkGuest] = await otherBrowser(browser);
  try {
    await page.getByRole('button', { name: 'Close sign-up' }).click();
    await expect(page.getByText('Closed: only people with an invitation')).toBeVisible();
    await open(guest, '/signup');
    await expect(guest.getByRole('alert')).toContainText('Sign-up is closed');

    await page.getByRole('button', { name: 'New invitation link' }).click();
    const link = await page.locator('.invite-link').first().inputValue();
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:3100\/signup\?invite=[\w-]{22}$/);

    const name = uniqueName('guest');
    await open(guest, link);
    await expect(guest.getByText('You were invited')).toBeVisible();
    await guest.getByLabel('Username').fill(name);
    await guest.getByLabel('Password').fill(PASSWORD);
    await guest.getByRole('button', { name: 'Create account' }).click();
    await expect(guest).toHaveURL(/\/$/);
    await hydrated(guest);
    await guest.goto('about:blank');

    // The link worked once: it left the admin's list.
    await open(page, '/admin/users');
    await expect(page.locator('.invite-link')).toHaveCount(0);
    const row = page.getByRole('row').filter({ hasText: name });
    await row.getByRole('button', { name: 'Disable' }).click();
    await expect(page.getByRole('row').filter({ hasText: name })).toContainText('disabled');

    await guest.goto('/');
    await expect(guest).toHaveURL(/\/login$/);
    await guest.getByLabel('Username').fill(name);
    await guest.getByLabel('Password').fill(PASSWORD);
    await guest.getByRole('button', { name: 'Sign in' }).click();
    await expect(guest.getByRole('alert')).toContainText('This account is disabled');
  } finally {
    // Other tests sign up by themselves.
    await open(page, '/admin/users');
    const reopen = page.getByRole('button', { name: 'Open sign-up' });
    if (await reopen.count()) await reopen.click();
    await expect(page.getByRole('button', { name: 'Close sign-up' })).toBeVisible();
    await checkGuest();
  }
});
