import { execFileSync } from 'node:child_process';

/** End-to-end tests spawn the built CLI exactly as `npx` would run it, so build it first (about a second). */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
