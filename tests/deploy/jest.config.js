/** Checks of the deployment files (deploy/, Dockerfile) and the bridge package, each by its real tool (tools.sh). */
module.exports = {
  rootDir: '..',
  testEnvironment: 'node',
  roots: ['<rootDir>/deploy'],
  transform: {'^.+\\.ts$': ['ts-jest', {tsconfig: '<rootDir>/tsconfig.json'}]},
  testTimeout: 120000,
  maxWorkers: 1,
};
