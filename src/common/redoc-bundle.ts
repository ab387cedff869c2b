// Where ReDoc's browser bundle comes from, so that /redoc needs no CDN. @redocly/cli (a devDependency,
// for `openapi:lint`) ships ReDoc's standalone bundle; the build copies it into dist/, since a production
// install (--omit=dev) no longer has the CLI. The `redoc` package itself is no better a source: its 3.x
// requires Node 22, and its 2.x pulls React, MobX and styled-components into production.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const REDOC_BUNDLE_IN_CLI = '@redocly/cli/lib/chunks/redoc.standalone.js';
/** Relative to the project root; written by scripts/copy-redoc-bundle.js after `nest build`. */
export const REDOC_BUNDLE_IN_DIST = join('dist', 'redoc', 'redoc.standalone.js');

/** The installed CLI's bundle first (it is the one `npm ci` just installed), else the build's copy. */
export function redocBundleFile(): string | null {
  try {
    return require.resolve(REDOC_BUNDLE_IN_CLI);
  } catch {
    const root = projectRoot();
    const copied = root && join(root, REDOC_BUNDLE_IN_DIST);
    return copied && existsSync(copied) ? copied : null;
  }
}

function projectRoot(): string | null {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  return null;
}
