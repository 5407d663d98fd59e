/** Unit tests of the bridge: beside the code, no network beyond 127.0.0.1 servers they start. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  transform: {'^.+\\.ts$': ['ts-jest', {tsconfig: '<rootDir>/tsconfig.json'}]},
  testTimeout: 20000,
};
