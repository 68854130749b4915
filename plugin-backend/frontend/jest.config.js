// Unit tests of the editors, the datasource and the built bundle (jsdom).
module.exports = {
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  setupFiles: ['<rootDir>/jest/setup.ts'],
  transform: {
    '^.+\\.(t|j)sx?$|^.+\\.mjs$': '<rootDir>/jest/esbuildTransform.cjs',
  },
  // Some packages ship ES modules only (.mjs, or .js under jsdom's "browser"
  // export condition); the transform converts those and passes CommonJS through.
  transformIgnorePatterns: [],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
  moduleNameMapper: {
    '\\.(css|scss|sass)$': '<rootDir>/jest/styleStub.cjs',
  },
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
};
