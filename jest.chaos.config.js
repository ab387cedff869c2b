// `npm run test:chaos`: the fault suite. Real app processes (the built app, as `npm start` runs it) on
// loopback ports, on one real PostgreSQL server (TEST_DATABASE_URL), killed, restarted and raced. One file
// at a time: a test restarts the database server itself.
const base = require('./jest.config.js');
const e2e = base.projects.find((project) => project.displayName === 'e2e');

module.exports = {
  maxWorkers: 1,
  // A killed instance can leave a socket of a test's client half-open.
  forceExit: true,
  testTimeout: 180000,
  projects: [
    {
      ...e2e,
      displayName: 'chaos',
      testMatch: ['<rootDir>/test/chaos/**/*.chaos-spec.ts'],
      globalSetup: '<rootDir>/test/chaos/support/global-setup.ts',
      globalTeardown: undefined,
    },
  ],
};
