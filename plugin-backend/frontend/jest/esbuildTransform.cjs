// Jest transform: TypeScript, JSX and the ES modules some Grafana
// dependencies ship (.mjs) to CommonJS with esbuild, the bundler the plugin
// is built with, so tests and bundle read the sources the same way.
const { transformSync } = require('esbuild');
const { version } = require('esbuild/package.json');

const ESM_SYNTAX = /(^|[;}\n])\s*(import\s*[\w{*'"]|export\s*[\w{*])|import\.meta/;

function loaderOf(path) {
  if (path.endsWith('.tsx')) return 'tsx';
  if (path.endsWith('.ts')) return 'ts';
  if (path.endsWith('.jsx')) return 'jsx';
  return 'js';
}

module.exports = {
  process(source, path) {
    // Most of node_modules is CommonJS already; only ES module syntax needs esbuild.
    if (path.includes('/node_modules/') && !ESM_SYNTAX.test(source)) {
      return { code: source };
    }
    const result = transformSync(source, {
      loader: loaderOf(path),
      format: 'cjs',
      target: 'node20',
      jsx: 'transform',
      sourcemap: 'inline',
      sourcefile: path,
      supported: { 'dynamic-import': false },
    });
    return { code: result.code };
  },
  getCacheKey(source, path, options) {
    return require('crypto')
      .createHash('sha1')
      .update(version)
      .update('\0')
      .update(path)
      .update('\0')
      .update(source)
      .update('\0')
      .update(options.configString)
      .digest('hex');
  },
};
