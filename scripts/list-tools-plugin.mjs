// Why this exists: src/tools/lists/discover.ts finds the list tools by reading src/tools/ at run time (every
// list-*.ts is one), which works from source but not in a bundle, where there is no src/ to read. This esbuild
// plugin gives the bundle the same module, written as static imports of the same files in the same (name) order, so
// esbuild bundles them like any import and puts them where the other tools go (a chunk loaded on a tool's first
// call). Used by scripts/build.mjs, scripts/bundle.mjs and scripts/readme.mjs.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The same names as discover.ts matches. */
const LIST_TOOL_FILE = /^list-[a-z0-9-]+\.ts$/;

export const listToolsPlugin = {
  name: 'list-tools',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]tools[\\/]lists[\\/]discover\.ts$/ }, (args) => {
      const toolsFolder = join(dirname(args.path), '..');
      const files = readdirSync(toolsFolder).filter((name) => LIST_TOOL_FILE.test(name)).sort();
      const imports = files.map((file, i) => `import * as m${i} from '../${file}';`);
      const modules = files.map((file, i) => `{ file: ${JSON.stringify(file)}, exports: m${i} }`);
      return {
        contents: `${imports.join('\n')}\nexport const LIST_TOOL_MODULES = [${modules.join(', ')}];\n`,
        resolveDir: dirname(args.path),
        loader: 'ts',
      };
    });
  },
};
