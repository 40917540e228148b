import { defineConfig } from '@playwright/test';

// The app and the mock provider run on their own ports so a dev server on
// :3000 is left alone. Both are started from the repository root.
export const APP_URL = 'http://127.0.0.1:3100';
export const MOCK_CONTROL = 'http://127.0.0.1:4011';
export const MOCK_API = 'http://127.0.0.1:4010';
// The first account of the fresh test database: created by admin.setup.ts
// before every other test, so it is the admin.
export const ADMIN = { username: 'e2eadmin', password: 'correct-horse-battery' };

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  // No retries: a test that passes only on its second try is a bug to fix,
  // not a green run (explainFailure prints what each side knew).
  retries: 0,
  reporter: [['list']],
  projects: [
    { name: 'setup', testMatch: /.*\.setup\.ts/ },
    { name: 'chromium', dependencies: ['setup'] },
    // `make screenshots` only: retakes the README's pictures.
    ...(process.env.SCREENSHOTS ? [{ name: 'screenshots', testMatch: /.*\.shots\.ts/, dependencies: ['setup'] }] : []),
    // `make bench` only: page timings for the bench table.
    ...(process.env.BENCH ? [{ name: 'bench', testMatch: /.*\.bench\.ts/, dependencies: ['setup'] }] : []),
  ],
  use: {
    baseURL: APP_URL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    },
  },
  webServer: [
    {
      command: './target/release/mock-provider --port 4010 --control-port 4011',
      cwd: '..',
      url: `${MOCK_API}/v1/models`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      // The release build that scripts/run.sh serves (built by scripts/test.sh
      // and scripts/bench.sh): what users run is what these tests open.
      command: './target/release/nexa-chat',
      cwd: '..',
      // The app's warnings (RUST_LOG=warn) land in the test log.
      stdout: 'pipe',
      url: `${APP_URL}/api/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        LISTEN_ADDR: '127.0.0.1:3100',
        DATA_DIR: 'end2end/.tmp',
        DATABASE_URL: 'sqlite://end2end/.tmp/e2e.db?mode=rwc',
        LOCAL_AI_URL: `${MOCK_API}/v1`,
        HUGGINGFACE_API_TOKEN: 'hf_e2e_token',
        HF_API_URL: `${MOCK_API}/v1/chat/completions`,
        HF_CHAT_MODEL: 'meta-llama/Llama-3.2-3B-Instruct:fastest',
        PROVIDERS_FILE: 'end2end/providers.e2e.toml',
        LEPTOS_SITE_ROOT: 'target/site',
        LEPTOS_SITE_PKG_DIR: 'pkg',
        LEPTOS_OUTPUT_NAME: 'nexa-chat',
        // Hashed file names, as scripts/lib.sh builds them.
        LEPTOS_HASH_FILES: 'true',
        LEPTOS_ENV: 'PROD',
        RUST_LOG: 'warn',
      },
    },
  ],
});
