// Build step: copies ReDoc's standalone bundle from @redocly/cli (a devDependency) into dist/redoc/, so
// that /redoc serves it from a production install too (src/common/redoc-bundle.ts reads it there).
const { copyFileSync, mkdirSync } = require('node:fs');
const { dirname, join } = require('node:path');

const ROOT = join(__dirname, '..');
const target = join(ROOT, 'dist', 'redoc', 'redoc.standalone.js');
let source;
try {
  source = require.resolve('@redocly/cli/lib/chunks/redoc.standalone.js', { paths: [ROOT] });
} catch {
  console.error('ReDoc bundle not found in @redocly/cli (has it moved in a new version?): /redoc will show no documentation');
  process.exit(1);
}
mkdirSync(dirname(target), { recursive: true });
copyFileSync(source, target);
