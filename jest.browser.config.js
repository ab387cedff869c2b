// `npm run test:browser`: the console in Debian's Chromium (playwright-core, no browser download), against
// the built app (`npm start`'s own entry point) with the demo loaded, on the embedded database.
const base = require('./jest.config.js');
const e2e = base.projects.find((project) => project.displayName === 'e2e');

module.exports = {
  maxWorkers: 1,
  testTimeout: 120000,
  projects: [{ ...e2e, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'] }],
};
