import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Two cores here: spawn-heavy end-to-end files run beside the in-process ones without starving them.
    maxWorkers: 2,
    // Each worker keeps the modules it loaded (src/, stripe, zod, the MCP SDK) from one test file to the next
    // instead of loading them again for every file: about 40 % less CPU for the in-process files (measured
    // 83 s → 47 s of CPU for test/tools, unit, emulator and server). Test files hold no module state of their
    // own that another file could see: each starts its own emulator and server, and restores what it changes in
    // process.env.
    isolate: false,
  },
});
