import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // What ships, built and installed (the npm tarball, the MCP Bundle): `npm run test:packaging`, in CI on every Node.
    exclude: [...configDefaults.exclude, 'test/packaging/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Five workers on two cores: most files spend much of their time waiting (on spawned CLIs and servers, which do
    // the work in other processes, on Stripe's rate limits, time-outs and retry back-offs), so fewer workers left a
    // core idle. Measured on this 2-core machine (2026-12-04, the suite with the keychain): 4 workers 130 s, 5 workers
    // 120 s, 6 workers 128 s (each worker loads the modules again, and more of them fight over the two cores); later that
    // day, after the suite lost its packaging tests and many processes (vitest alone, no keychain): 4 workers 132 s,
    // 5 workers 120 s, 6 workers 117 s, single runs on a machine whose speed varies by a tenth from run to run: 6 is
    // no clear gain for a sixth more memory, so 5 stays. (npm test's ~110 s in the README is a fresh clone's run.)
    maxWorkers: 5,
    // Each worker keeps the modules it loaded (src/, stripe, zod, the MCP SDK) from one test file to the next
    // instead of loading them again for every file: about 40 % less CPU for the in-process files (measured
    // 83 s → 47 s of CPU for test/tools, unit, emulator and server). Test files hold no module state of their
    // own that another file could see: each starts its own emulator and server (the emulators share the generated
    // datasets, which nothing changes: src/emulator/server.ts), and restores what it changes in process.env.
    isolate: false,
    // A larger young generation for the workers: test files allocate a lot (datasets, pages of JSON, MCP messages),
    // and with V8's default 16 MB semi-space the scavenger ran far more often. Measured on test/tools, emulator and
    // server: about 8 % less CPU.
    execArgv: ['--max-semi-space-size=32'],
  },
});
