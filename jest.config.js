// Unit tests sit beside the services (src/**/*.spec.ts) and scripts; e2e tests in test/ boot the real app on a real
// database (embedded PGlite, or the PostgreSQL server named by TEST_DATABASE_URL) and speak HTTP.
const tsJest = [
  'ts-jest',
  {
    tsconfig: 'tsconfig.json',
    diagnostics: false, // `npm run typecheck` checks types; here we only need the code.
    // The same @nestjs/swagger plugin as `nest build`, so the tested OpenAPI document is the served one.
    astTransformers: { before: ['<rootDir>/test/support/swagger-plugin.js'] },
  },
];

module.exports = {
  maxWorkers: 2,
  // An e2e file's first hook boots the app on its own database (a few seconds, more on a busy machine).
  // Deadlines here are for hangs, not speed: a shared CI machine with both cores busy must still pass.
  testTimeout: 180_000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/scripts/**/*.spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
      setupFiles: ['<rootDir>/test/support/unit-transactions.ts'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      transform: { '^.+\\.ts$': tsJest },
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
