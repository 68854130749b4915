// Bundles src/module.ts into the AMD module Grafana loads (module.js).
//
// Grafana loads a plugin's module.js with SystemJS's AMD support and hands it
// its own copies of the shared packages (React, @grafana/*, rxjs, ...); the
// bundle must take those from `define`'s dependency list instead of carrying
// them. esbuild has no AMD output, so it emits CommonJS with those packages
// external, and the CommonJS is wrapped in a define() whose dependencies are
// exactly the externals the bundle requires.
//
//   node build.mjs [--out PATH] [--no-minify]
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** Packages Grafana provides to plugins at run time (its sharedDependencies). */
export const SHARED_PACKAGES = [
  '@emotion/css',
  '@emotion/react',
  '@grafana/data',
  '@grafana/runtime',
  '@grafana/ui',
  'd3',
  'i18next',
  'lodash',
  'moment',
  'react',
  'react-dom',
  'react-inlinesvg',
  'react-redux',
  'react-router',
  'react-router-dom',
  'redux',
  'rxjs',
  'rxjs/operators',
];

function parseArgs(argv) {
  const args = { out: resolve(here, '../dist/module.js'), minify: true };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') {
      args.out = resolve(argv[++i]);
    } else if (argv[i] === '--no-minify') {
      args.minify = false;
    } else {
      throw new Error(`build.mjs: unknown argument ${argv[i]}; usage: node build.mjs [--out PATH] [--no-minify]`);
    }
  }
  return args;
}

/** The CommonJS bundle wrapped as `define([deps], factory)`. */
export function wrapAmd(cjs, deps) {
  const params = deps.map((_, i) => `d${i}`);
  const table = deps.map((d, i) => `${JSON.stringify(d)}: d${i}`).join(', ');
  return (
    `define(${JSON.stringify(deps)}, function (${params.join(', ')}) {\n` +
    `  var shared = { ${table} };\n` +
    `  var require = function (name) {\n` +
    `    if (Object.prototype.hasOwnProperty.call(shared, name)) return shared[name];\n` +
    `    throw new Error("kiln-profiling-datasource: Grafana did not provide module " + name);\n` +
    `  };\n` +
    `  var module = { exports: {} };\n` +
    `  var exports = module.exports;\n` +
    `${cjs}\n` +
    `  return module.exports;\n` +
    `});\n`
  );
}

export async function bundle({ out, minify }) {
  const result = await build({
    absWorkingDir: here,
    entryPoints: ['src/module.ts'],
    bundle: true,
    format: 'cjs',
    platform: 'browser',
    target: 'es2020',
    jsx: 'transform',
    minify,
    legalComments: 'none',
    external: SHARED_PACKAGES,
    define: { 'process.env.NODE_ENV': '"production"' },
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  const deps = new Set();
  for (const input of Object.values(result.metafile.inputs)) {
    for (const imp of input.imports) {
      // Type-only imports are dropped before resolution and show up as
      // external too; only the shared packages are real dependencies.
      if (imp.external && SHARED_PACKAGES.includes(imp.path)) {
        deps.add(imp.path);
      }
    }
  }
  const code = wrapAmd(result.outputFiles[0].text, [...deps].sort());
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, code);
  return { out, bytes: code.length, deps: [...deps].sort() };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  bundle(parseArgs(process.argv.slice(2))).then(
    ({ out, bytes, deps }) => {
      console.log(`build.mjs: ${out} (${bytes} bytes, ${Date.now() - started} ms); from Grafana: ${deps.join(' ')}`);
    },
    (err) => {
      console.error(err.message ?? err);
      process.exit(1);
    }
  );
}
