// The built module.js as Grafana loads it: Grafana fetches the file, wraps it
// in `(function(define) { ... })(amdDefine)` and resolves define's dependency
// names to its own shared packages. This test builds the bundle, does the
// same with a recording define, and checks the plugin it exports.
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

import { DataSourcePlugin } from '@grafana/data';

import { FakeTemplateSrv, instanceSettings } from './fakes';

const root = resolve(__dirname, '..');
let source = '';
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-module-'));
  execFileSync(process.execPath, [join(root, 'build.mjs'), '--out', join(dir, 'module.js')], { cwd: root });
  source = readFileSync(join(dir, 'module.js'), 'utf8');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Grafana's shared packages as its loader hands them over: ES module namespaces. */
function sharedModule(name: string): unknown {
  const mod = require(name);
  return { ...mod, default: mod.default ?? mod, [Symbol.toStringTag]: 'Module' };
}

function load(): { deps: string[]; exports: any } {
  let deps: string[] = [];
  let exports: any;
  const define = (names: string[], factory: (...args: unknown[]) => unknown) => {
    deps = names;
    exports = factory(...names.map(sharedModule));
  };
  new Function('define', source)(define);
  return { deps, exports };
}

describe('dist/module.js', () => {
  it('is one AMD define() whose dependencies are only packages Grafana shares', () => {
    expect(source.startsWith('define([')).toBe(true);
    const { deps } = load();
    expect(deps).toEqual(expect.arrayContaining(['@grafana/data', '@grafana/runtime', '@grafana/ui', 'react']));
    const shared = ['@grafana/data', '@grafana/runtime', '@grafana/ui', 'react', 'react-dom', 'rxjs', '@emotion/css'];
    expect(deps.filter((d) => !shared.includes(d))).toEqual([]);
    // Every require() in the bundle is one of define's dependencies.
    const required = new Set(Array.from(source.matchAll(/require\("([^"]+)"\)/g), (m) => m[1]));
    expect([...required].filter((r) => !deps.includes(r))).toEqual([]);
  });

  it('does not carry its own copy of React or Grafana', () => {
    expect(source.length).toBeLessThan(200_000);
    expect(source).not.toContain('react.production.min');
    expect(source).not.toContain('__SECRET_INTERNALS_DO_NOT_USE');
  });

  it('exports a datasource plugin with config and query editors and variable support', () => {
    const { exports } = load();
    expect(exports.plugin).toBeInstanceOf(DataSourcePlugin);
    expect(typeof exports.plugin.components.ConfigEditor).toBe('function');
    expect(typeof exports.plugin.components.QueryEditor).toBe('function');

    const ds = new exports.plugin.DataSourceClass(instanceSettings(), new FakeTemplateSrv({ service: 'api' }));
    expect(ds.filterQuery({ refId: 'A', profileTypeId: '' })).toBe(false);
    expect(
      ds.applyTemplateVariables({ refId: 'A', profileTypeId: 'x', labelSelector: '{s="$service"}', groupBy: [] }, {})
        .labelSelector
    ).toBe('{s="api"}');
    expect(ds.variables.getType()).toBe('custom');
  });
});
