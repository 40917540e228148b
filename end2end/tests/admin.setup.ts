import { test as setup, expect } from '@playwright/test';
import { ADMIN } from '../playwright.config';

// The database is new for every run: the first account becomes the admin.
setup('create the admin account', async ({ request }) => {
  const res = await request.post('/api/auth/signup', { data: ADMIN });
  expect(res.status()).toBe(200);
});
