// `npm run test:packaging`: the tests that run npm itself (test/packaging/install.test.ts says why they are apart),
// with the suite's settings (its global setup builds dist/ first).
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

export default defineConfig({
  ...base,
  root: fileURLToPath(new URL('../../', import.meta.url)),
  test: { ...base.test, include: ['test/packaging/**/*.test.ts'], exclude: configDefaults.exclude },
});
