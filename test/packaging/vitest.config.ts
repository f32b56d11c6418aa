// `npm run test:packaging`: what ships, built and installed as a user gets it: the npm tarball (install.test.ts says
// why apart from `npm test`) and the MCP Bundle; with the suite's settings (its global setup builds dist/ first).
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

export default defineConfig({
  ...base,
  root: fileURLToPath(new URL('../../', import.meta.url)),
  test: { ...base.test, include: ['test/packaging/**/*.test.ts'], exclude: configDefaults.exclude },
});
