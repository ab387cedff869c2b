import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BUILD_OUTPUTS, STAMP, staleBuildReason, writeStamp } from './build-if-stale';

describe('staleBuildReason (npm start skips the build when dist/ is current)', () => {
  let root: string;
  const HOUR_AGO = Date.now() / 1000 - 3600;
  const TWO_HOURS_AGO = HOUR_AGO - 3600;

  /** Writes `path` under the project, dated `at` (seconds); its folders are dated then too. */
  const file = (path: string, at = TWO_HOURS_AGO) => {
    mkdirSync(join(root, dirname(path)), { recursive: true });
    writeFileSync(join(root, path), 'x');
    utimesSync(join(root, path), at, at);
    for (let dir = dirname(path); dir !== '.'; dir = dirname(dir)) utimesSync(join(root, dir), at, at);
  };
  /** Edits `path`, which exists: its folder keeps its time, as on a real disk. */
  const edit = (path: string) => writeFileSync(join(root, path), 'changed');
  /** A project whose last build (an hour ago) came after every change to its sources. */
  const builtProject = () => {
    for (const input of ['src/tickets/tickets.service.ts', 'src/tickets/tickets.service.spec.ts', 'console/src/main.tsx', 'console/vite.config.mts', 'package-lock.json', 'tsconfig.json']) file(input);
    for (const output of BUILD_OUTPUTS) file(output, HOUR_AGO);
    writeStamp(root);
    utimesSync(join(root, STAMP), HOUR_AGO, HOUR_AGO);
    utimesSync(join(root, 'dist'), HOUR_AGO, HOUR_AGO);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'build-stamp-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('asks for a build when no build has finished', () => {
    file('src/main.ts');
    expect(staleBuildReason(root)).toBe('no finished build yet');
  });

  it('finds nothing to do when no source changed since the stamp', () => {
    builtProject();
    expect(staleBuildReason(root)).toBeNull();
  });

  it.each(['src/tickets/tickets.service.ts', 'console/src/main.tsx', 'console/vite.config.mts', 'package-lock.json', 'tsconfig.json'])(
    'asks for a build when %s changed after it',
    (input) => {
      builtProject();
      edit(input);
      expect(staleBuildReason(root)).toBe(`${input} changed since the last build`);
    },
  );

  it('asks for a build when a source was added or removed (its folder changed)', () => {
    builtProject();
    rmSync(join(root, 'src/tickets/tickets.service.ts'));
    expect(staleBuildReason(root)).toBe('src/tickets/ changed since the last build');
  });

  it('ignores what the build does not read: unit tests and its own output', () => {
    builtProject();
    edit('src/tickets/tickets.service.spec.ts');
    edit('console/dist/index.html');
    expect(staleBuildReason(root)).toBeNull();
  });

  it('asks for a build when an output is gone, stamp or not', () => {
    builtProject();
    rmSync(join(root, 'console/dist/index.html'));
    expect(staleBuildReason(root)).toBe('console/dist/index.html is missing');
  });
});
