/** End-to-end tests against a real Mattermost server (tests/mattermost/up.sh), one file at a time. */
module.exports = {
  rootDir: '..',
  testEnvironment: 'node',
  roots: ['<rootDir>/e2e', '<rootDir>/browser'],
  transform: {'^.+\\.ts$': ['ts-jest', {tsconfig: '<rootDir>/tsconfig.json'}]},
  // The webapp's API code runs here too (trust and latest-report checks against the real server).
  moduleNameMapper: {'^@contract$': '<rootDir>/../server-bridge/src/contract/index.ts', '^@contract-trust$': '<rootDir>/../server-bridge/src/contract/trust.ts'},
  globalSetup: '<rootDir>/lib/global-setup.js',
  globalTeardown: '<rootDir>/lib/global-teardown.js',
  testTimeout: 120000,
  maxWorkers: 1,
};
