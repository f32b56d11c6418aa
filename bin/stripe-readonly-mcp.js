#!/usr/bin/env node
// The entry point only: everything lives in src/ (bundled to dist/ by `npm run build`).
import('../dist/cli.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli.js')) {
    process.stderr.write('stripe-readonly-mcp: the build is missing. Run `npm run build` in the package folder (a clone needs `npm ci && npm run build`).\n');
    process.exit(1);
  }
  throw err;
});
