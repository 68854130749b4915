// Bundles src/render.tsx (React, @grafana/data, @grafana/ui, @grafana/flamegraph
// and the rest, all included) into one browser script plus its CSS, with
// esbuild from this directory's node_modules.
//
//   import { buildPage } from './build_page.mjs';
//   const { js, css } = await buildPage(outDir);  // css: null if none
//
// One interop fix: Grafana's published ESM (dist/esm/*.mjs) default-imports
// CommonJS packages compiled from ES modules (exports.__esModule plus
// exports.default, e.g. react-custom-scrollbars-2). esbuild follows Node for
// .mjs importers and hands them the whole exports object, which React then
// rejects as a component ("Element type is invalid ... got: object").
// Grafana itself bundles these packages from source, so never meets this.
// The plugin below routes such imports through a tiny re-exporting module
// that is not .mjs, where esbuild applies the __esModule convention.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, 'package.json'));
const esbuild = require('esbuild');

const ESM_SYNTAX = /^\s*(import\s[^(]|export\s)/m;

function isTranspiledCommonJs(file) {
  if (!/\.c?js$/.test(file)) return false;
  const text = fs.readFileSync(file, 'utf8');
  return text.includes('__esModule') && !ESM_SYNTAX.test(text);
}

const esModuleInterop = {
  name: 'kiln-esmodule-interop',
  setup(build) {
    const checked = new Map();
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.namespace !== 'file' || !args.importer.endsWith('.mjs') || args.pluginData?.interop) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { interop: true },
      });
      if (resolved.errors.length > 0 || !resolved.path) return undefined;
      if (!checked.has(resolved.path)) checked.set(resolved.path, isTranspiledCommonJs(resolved.path));
      if (!checked.get(resolved.path)) return undefined;
      return { path: resolved.path, namespace: 'esmodule-interop' };
    });
    build.onLoad({ filter: /.*/, namespace: 'esmodule-interop' }, (args) => {
      const target = JSON.stringify(args.path);
      return {
        contents: `import m from ${target};\nexport default m;\nexport * from ${target};\n`,
        resolveDir: path.dirname(args.path),
        loader: 'js',
      };
    });
  },
};

// Rebuilds only when the bundle is older than what it is built from.
function upToDate(outfile) {
  if (!fs.existsSync(outfile)) return false;
  const built = fs.statSync(outfile).mtimeMs;
  const inputs = [path.join(here, 'src', 'render.tsx'), path.join(here, 'build_page.mjs'),
    path.join(here, 'node_modules', '.package-lock.json')];
  return inputs.every((f) => fs.existsSync(f) && fs.statSync(f).mtimeMs < built);
}

export async function buildPage(outDir) {
  fs.mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, 'render.js');
  const css = path.join(outDir, 'render.css');
  if (upToDate(outfile)) return { js: outfile, css: fs.existsSync(css) ? css : null };
  await esbuild.build({
    entryPoints: [path.join(here, 'src', 'render.tsx')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    jsx: 'automatic',
    outfile,
    minify: true,
    sourcemap: false,
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"' },
    // Monaco's icon font and other assets @grafana/ui's CSS points at: the
    // flame graph uses none of them.
    loader: { '.ttf': 'empty', '.woff': 'empty', '.woff2': 'empty', '.svg': 'text' },
    plugins: [esModuleInterop],
  });
  return { js: outfile, css: fs.existsSync(css) ? css : null };
}
