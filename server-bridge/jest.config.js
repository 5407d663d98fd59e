/** Unit tests of the bridge: beside the code, no network beyond 127.0.0.1 servers they start. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  transform: {
    '^.+\\.ts$': ['ts-jest', {tsconfig: '<rootDir>/tsconfig.json'}],
    // fastify's inject() needs cookie 2, which is ESM only; jest on Node 20 cannot require ESM.
    '/node_modules/cookie/.+\\.js$': ['ts-jest', {tsconfig: {allowJs: true, module: 'commonjs', target: 'ES2022'}}],
  },
  transformIgnorePatterns: ['/node_modules/(?!cookie/)'],
  testTimeout: 20000,
};
