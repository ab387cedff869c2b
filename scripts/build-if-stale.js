// `npm start` and `npm run demo` build only when something the build reads has changed since the last
// build that finished (the build's last step writes dist/.build-stamp), so that a restart takes a second
// rather than a full build. `--stamp` writes the stamp. The check is exported for its unit test.
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

/** What `npm run build` reads: the sources it compiles and bundles, and every file that configures it. */
const BUILD_INPUTS = ['src', 'console', 'scripts', 'bench', 'ormconfig.ts', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package.json', 'package-lock.json'];
/** Under the inputs, but written by the build rather than read by it. */
const NOT_INPUTS = new Set(['console/dist', 'node_modules']);
/** What a finished build leaves; a stamp without one of them (deleted by hand) is no finished build. */
const BUILD_OUTPUTS = ['dist/src/main.js', 'dist/redoc/redoc.standalone.js', 'console/dist/index.html'];
const STAMP = 'dist/.build-stamp';

/** Why `root` needs a build, or null when its last build is current. */
function staleBuildReason(root) {
  const stamp = join(root, STAMP);
  if (!existsSync(stamp)) return 'no finished build yet';
  const missing = BUILD_OUTPUTS.find((output) => !existsSync(join(root, output)));
  if (missing) return `${missing} is missing`;
  const builtAt = statSync(stamp).mtimeMs;
  for (const input of BUILD_INPUTS) {
    const changed = firstChangedSince(root, input, builtAt);
    if (changed) return `${changed} changed since the last build`;
  }
  return null;
}

/** The first file (or folder: a file added, removed or renamed in it) under `path` modified after `time`. */
function firstChangedSince(root, path, time) {
  const full = join(root, path);
  if (NOT_INPUTS.has(path) || !existsSync(full)) return null;
  const stats = statSync(full);
  // Unit tests are not part of the build (tsconfig.build.json leaves them out).
  if (stats.isFile()) return stats.mtimeMs > time && !path.endsWith('.spec.ts') ? path : null;
  if (stats.mtimeMs > time) return `${path}/`;
  for (const entry of readdirSync(full)) {
    const changed = firstChangedSince(root, `${path}/${entry}`, time);
    if (changed) return changed;
  }
  return null;
}

function writeStamp(root) {
  writeFileSync(join(root, STAMP), `Built at ${new Date().toISOString()}; scripts/build-if-stale.js compares the sources with this file's time.\n`);
}

function main() {
  const root = join(__dirname, '..');
  if (process.argv.includes('--stamp')) return writeStamp(root);
  const reason = staleBuildReason(root);
  if (!reason) {
    console.log('The build is current (no source changed since it): starting without rebuilding.');
    return;
  }
  console.log(`Building first: ${reason}.`);
  // npm sets npm_execpath when it runs this script; `npm` itself is the fallback when run by hand.
  const npm = process.env.npm_execpath;
  const built = npm
    ? spawnSync(process.execPath, [npm, 'run', 'build', '--silent'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

if (require.main === module) main();

module.exports = { staleBuildReason, writeStamp, BUILD_OUTPUTS, STAMP };
