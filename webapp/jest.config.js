/** Unit tests of the webapp: jsdom, Testing Library, beside each component. */
module.exports = {
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/src'],
  transform: {'^.+\\.tsx?$': ['ts-jest', {tsconfig: {jsx: 'react-jsx', module: 'commonjs', moduleResolution: 'node', esModuleInterop: true, isolatedModules: true}}]},
  moduleNameMapper: {
    '^@contract$': '<rootDir>/../server-bridge/src/contract/index.ts',
    '^@contract-trust$': '<rootDir>/../server-bridge/src/contract/trust.ts',
    '^@contract-notice$': '<rootDir>/../server-bridge/src/contract/notice.ts',
  },
};
