// Kiln's Grafana dashboards (dashboards/*.json) and provisioning files
// (dashboards/provisioning/) checked as Grafana 12.4 would use them:
//
// 1. Schema: every dashboard, panel options/field config, Kiln target and
//    variable query is type-checked with the frontend's tsc against the
//    pinned @grafana/schema 12.4.2 and the plugin's own query types
//    (plugin-backend/frontend/src/types.ts); then what types cannot say:
//    schemaVersion, core panel types, grid positions, unique ids and refIds,
//    defined variables.
// 2. Datasources: every panel, target and variable datasource is provisioned
//    (same uid and type) in dashboards/provisioning/datasources/kiln.yaml.
// 3. Data: a real `kiln server` seeded with corpus pprof files (re-timed)
//    and fixtures of this test, labelled service_name/pod/version as the
//    dashboards' variables expect; the plugin binary under the Grafana
//    stand-in host (tests/plugin_host) with the provisioned datasource
//    settings. Variables are resolved as Grafana does (the plugin's variable
//    query through CallResource, Grafana's sort and default selection), the
//    targets interpolated with the frontend's own interpolateQuery, and every
//    panel's queries answered with frames of the kind its panel draws, with
//    data and without errors.
//
//   KILN_BIN=build/bin/kiln KILN_PLUGIN_BINARY=build/bin/gpx_kiln_linux_amd64 \
//   KILN_PLUGIN_HOST=build/plugin_host/bin/kiln-plugin-host KILN_CORPUS_DIR=../shared/corpus \
//   node --test tests/dashboards/dashboards.test.mjs
// (run_dashboards_test.sh installs the npm packages first.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

import { KilnServer } from '../node/kiln_server.mjs';
import {
  decodeFrame, num, pprof, pprofTotal, readFlameFrame, requiredEnv, retimedPprof, runHost, sourceDir, writeCpuPprof,
} from '../plugin_e2e/harness.mjs';

const YAML = createRequire(path.join(sourceDir, 'tests', 'dashboards', 'package.json'))('yaml');

const DASHBOARD_DIR = path.join(sourceDir, 'dashboards');
const PROVISIONING = path.join(DASHBOARD_DIR, 'provisioning');
const FRONTEND = path.join(sourceDir, 'plugin-backend', 'frontend');
const SCHEMA_PKG = path.join(FRONTEND, 'node_modules', '@grafana', 'schema');
const WORK = process.env.KILN_TEST_WORK_DIR || fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-dashboards-'));
fs.mkdirSync(WORK, { recursive: true });

const PLUGIN_TYPE = 'kiln-profiling-datasource';
const CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds';
const MS = 1_000_000; // ns per ms
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

// Grafana 12.4's core panel plugins (public/app/plugins/panel/*/plugin.json
// ids), and the frames a Kiln query must answer for the panels this test
// knows how to check: panel type → the query types that draw in it.
const CORE_PANELS = new Set(['alertlist', 'annolist', 'barchart', 'bargauge', 'candlestick', 'canvas', 'dashlist',
  'datagrid', 'flamegraph', 'gauge', 'geomap', 'heatmap', 'histogram', 'logs', 'news', 'nodeGraph', 'piechart', 'row',
  'stat', 'state-timeline', 'status-history', 'table', 'text', 'timeseries', 'traces', 'trend', 'xychart']);
const QUERY_TYPES_FOR_PANEL = {
  flamegraph: ['profile', 'span', 'diff'],
  timeseries: ['metrics'],
  heatmap: ['heatmap'],
  table: ['profiles'],
};
// Panel types whose options and field config @grafana/schema types
// (raw/composable/<dir>/panelcfg); others must carry no options.
const PANEL_CFG = { timeseries: 'timeseries', heatmap: 'heatmap', table: 'table', stat: 'stat', text: 'text',
  barchart: 'barchart', bargauge: 'bargauge', gauge: 'gauge', piechart: 'piechart', histogram: 'histogram' };

// ---------------------------------------------------------------- the files

const readYaml = (file) => YAML.parse(fs.readFileSync(file, 'utf8'));
const datasourceYaml = readYaml(path.join(PROVISIONING, 'datasources', 'kiln.yaml'));
const providerYaml = readYaml(path.join(PROVISIONING, 'dashboards', 'kiln.yaml'));
const provisioned = new Map((datasourceYaml?.datasources || []).map((d) => [d.uid, d]));

const dashboardFiles = fs.readdirSync(DASHBOARD_DIR).filter((f) => f.endsWith('.json')).sort();
const dashboards = dashboardFiles.map((file) => ({
  file, json: JSON.parse(fs.readFileSync(path.join(DASHBOARD_DIR, file), 'utf8')),
}));

const panelsOf = (d) => (d.panels || []).flatMap((p) => (p.type === 'row' ? [p, ...(p.panels || [])] : [p]));
const variablesOf = (d) => d.templating?.list || [];
const kilnTargets = (panel) => (panel.targets || []).filter((t) => (t.datasource ?? panel.datasource)?.type === PLUGIN_TYPE);

// Variable references as Grafana's TemplateSrv finds them: $name, [[name]],
// ${name}, ${name:format}, ${name.path}.
const VARIABLE_RE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}/g;
function referencedVariables(value) {
  const out = new Set();
  const walk = (v) => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(VARIABLE_RE)) out.add(m[1] || m[2] || m[4]);
    } else if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (v && typeof v === 'object') {
      Object.values(v).forEach(walk);
    }
  };
  walk(value);
  return out;
}

// ---------------------------------------------------------------- 1. schema

// The dashboards as TypeScript literals checked with `satisfies` (a JSON
// import would widen "query" to string and fail every union; a literal
// keeps it and also rejects unknown properties). JSON has no enums, so a
// string enum member is checked as its value.
const JSON_TYPES = `// Generated by tests/dashboards/dashboards.test.mjs.
export type AsJson<T> = T extends string ? \`\${T}\`
  : T extends readonly (infer U)[] ? AsJson<U>[]
  : T extends object ? { [K in keyof T]: AsJson<T[K]> } : T;
export type PartialJson<T> = T extends string ? \`\${T}\`
  : T extends readonly (infer U)[] ? PartialJson<U>[]
  : T extends object ? { [K in keyof T]?: PartialJson<T[K]> } : T;
`;

// The package export of a panel's option types, e.g.
// dist/esm/raw/composable/heatmap/panelcfg/x/HeatmapPanelCfg_types.gen.
const schemaExports = Object.keys(JSON.parse(fs.readFileSync(path.join(SCHEMA_PKG, 'package.json'), 'utf8')).exports);
function panelCfgExport(dir) {
  const key = schemaExports.find((k) => k.includes(`/raw/composable/${dir}/panelcfg/x/`));
  if (!key) throw new Error(`@grafana/schema exports no panel options for ${dir}`);
  return key.replace(/^\.\//, '');
}

function typecheckSource(d) {
  const lit = (v) => JSON.stringify(v, null, 2);
  const lines = [`// Generated by tests/dashboards/dashboards.test.mjs from dashboards/${d.file}.`,
    `import type { Dashboard } from '@grafana/schema';`,
    `import type { KilnQuery, KilnVariableQuery } from ${JSON.stringify(path.join(FRONTEND, 'src', 'types'))};`,
    `import type { AsJson, PartialJson } from './json_types';`];
  const cfgImports = new Set();
  const body = [`export const dashboard = ${lit(d.json)} satisfies AsJson<Dashboard>;`];
  for (const p of panelsOf(d.json)) {
    const cfg = PANEL_CFG[p.type];
    const name = `panel${p.id}`;
    if (cfg) {
      const alias = `${cfg}Cfg`;
      cfgImports.add(`import type * as ${alias} from '@grafana/schema/${panelCfgExport(cfg)}';`);
      if (p.options) body.push(`export const ${name}Options = ${lit(p.options)} satisfies PartialJson<${alias}.Options>;`);
      const custom = p.fieldConfig?.defaults?.custom;
      if (custom) body.push(`export const ${name}Custom = ${lit(custom)} satisfies PartialJson<${alias}.FieldConfig>;`);
    }
    kilnTargets(p).forEach((t, i) => body.push(`export const ${name}Target${i} = ${lit(t)} satisfies AsJson<KilnQuery>;`));
  }
  for (const v of variablesOf(d.json)) {
    if (v.type === 'query' && v.datasource?.type === PLUGIN_TYPE && typeof v.query === 'object') {
      body.push(`export const variable_${v.name} = ${lit(v.query)} satisfies AsJson<KilnVariableQuery>;`);
    }
  }
  return [...lines, ...cfgImports, '', ...body, ''].join('\n');
}

// Writes the generated files and runs the frontend's tsc on them (async, so
// it overlaps the server setup).
function startTypecheck() {
  const dir = path.join(WORK, 'typecheck');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  // Module resolution as in the frontend: its node_modules (@grafana/schema 12.4.2).
  fs.symlinkSync(path.join(FRONTEND, 'node_modules'), path.join(dir, 'node_modules'));
  fs.writeFileSync(path.join(dir, 'json_types.ts'), JSON_TYPES);
  for (const d of dashboards) fs.writeFileSync(path.join(dir, d.file.replace(/\.json$/, '.ts')), typecheckSource(d));
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2020', lib: ['ES2021', 'DOM', 'DOM.Iterable'], module: 'ESNext', moduleResolution: 'Bundler',
      strict: true, noEmit: true, isolatedModules: true, skipLibCheck: true, types: [],
    },
    include: ['*.ts'],
  }, null, 2));
  const tsc = path.join(FRONTEND, 'node_modules', 'typescript', 'bin', 'tsc');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '--noEmit', '-p', path.join(dir, 'tsconfig.json')],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b) => { out += b; });
    child.stderr.on('data', (b) => { out += b; });
    child.on('error', (e) => resolve({ code: -1, out: `${out}\n${e.message}`, dir }));
    child.on('close', (code) => resolve({ code, out, dir }));
  });
}

// Started now, checked by the last test: tsc runs while the server part does.
const typecheck = startTypecheck();

// The dashboard schema version Grafana 12.4 writes (its defaultDashboard).
const schemaDefaults = await import(pathToFileURL(path.join(SCHEMA_PKG, 'dist', 'esm', 'raw', 'dashboard', 'x', 'types.gen.mjs')).href);

test('the dashboard provider provisions a folder of files', () => {
  const providers = providerYaml?.providers;
  assert.equal(providerYaml?.apiVersion, 1);
  assert.ok(Array.isArray(providers) && providers.length > 0, 'no providers');
  for (const p of providers) {
    assert.equal(p.type, 'file', `provider ${p.name}`);
    assert.ok(typeof p.options?.path === 'string' && p.options.path.startsWith('/'), `provider ${p.name}: options.path`);
  }
});

test('the datasources: Kiln\'s plugin (uid kiln) and the Pyroscope datasource on the same server', () => {
  assert.equal(datasourceYaml?.apiVersion, 1);
  const kiln = provisioned.get('kiln');
  assert.ok(kiln, 'no datasource with uid kiln');
  assert.equal(kiln.type, PLUGIN_TYPE);
  assert.equal(kiln.url, 'http://127.0.0.1:4040');
  assert.equal(kiln.jsonData?.mode, 'server');
  assert.equal(kiln.jsonData?.minStep, '15s');
  const pyroscope = provisioned.get('kiln-pyroscope');
  assert.ok(pyroscope, 'no datasource with uid kiln-pyroscope');
  assert.equal(pyroscope.type, 'grafana-pyroscope-datasource');
  assert.equal(pyroscope.url, kiln.url, 'the Pyroscope datasource reads another server');
  assert.equal(new Set(datasourceYaml.datasources.map((d) => d.uid)).size, datasourceYaml.datasources.length, 'duplicate uids');
});

test('dashboard uids and titles are unique', () => {
  assert.ok(dashboards.length >= 4, `only ${dashboards.length} dashboards`);
  for (const key of ['uid', 'title']) {
    const seen = dashboards.map((d) => d.json[key]);
    assert.equal(new Set(seen).size, seen.length, `duplicate ${key}s: ${seen.join(', ')}`);
  }
});

// ---------------------------------------------------------------- 1. and 2., per dashboard

function checkGrid(panels, where) {
  const cells = new Map();
  for (const p of panels) {
    const g = p.gridPos;
    assert.ok(g, `${where}: panel ${p.id} (${p.title}) has no gridPos`);
    for (const k of ['x', 'y', 'w', 'h']) assert.ok(Number.isInteger(g[k]) && g[k] >= 0, `${where}: panel ${p.id} gridPos.${k} = ${g[k]}`);
    assert.ok(g.w > 0 && g.h > 0 && g.x + g.w <= 24, `${where}: panel ${p.id} gridPos ${JSON.stringify(g)} outside the 24 columns`);
    for (let x = g.x; x < g.x + g.w; x++) {
      for (let y = g.y; y < g.y + g.h; y++) {
        const other = cells.get(`${x},${y}`);
        assert.ok(!other, `${where}: panels ${other} and ${p.id} overlap at ${x},${y}`);
        cells.set(`${x},${y}`, p.id);
      }
    }
  }
}

for (const d of dashboards) {
  const dash = d.json;
  const where = d.file;

  test(`${where}: dashboard, panels and variables are well formed`, () => {
    assert.equal(dash.schemaVersion, schemaDefaults.defaultDashboard.schemaVersion, 'schemaVersion of Grafana 12.4');
    assert.match(dash.uid ?? '', /^[a-zA-Z0-9_-]{1,40}$/, 'uid');
    assert.ok(dash.title, 'title');
    assert.ok(Array.isArray(dash.tags) && dash.tags.includes('kiln'), 'tags include kiln');
    assert.deepEqual(dash.time, { from: 'now-1h', to: 'now' });
    const panels = panelsOf(dash);
    assert.ok(panels.length > 0, 'no panels');
    const ids = panels.map((p) => p.id);
    assert.ok(ids.every((id) => Number.isInteger(id) && id > 0), `panel ids ${ids}`);
    assert.equal(new Set(ids).size, ids.length, `duplicate panel ids ${ids}`);
    checkGrid(dash.panels, where);
    for (const p of panels) {
      const pw = `${where} panel ${p.id} (${p.title})`;
      assert.ok(CORE_PANELS.has(p.type), `${pw}: "${p.type}" is not a Grafana 12.4 core panel`);
      assert.ok(p.title, `${pw}: no title`);
      if (!PANEL_CFG[p.type] && p.type !== 'row') assert.equal(p.options, undefined, `${pw}: options on a panel without options`);
      const targets = p.targets || [];
      if (p.type === 'text' || p.type === 'row') {
        assert.equal(targets.length, 0, `${pw}: targets on a ${p.type} panel`);
        continue;
      }
      assert.ok(targets.length > 0, `${pw}: no targets`);
      const refIds = targets.map((t) => t.refId);
      assert.ok(refIds.every((r) => typeof r === 'string' && r !== ''), `${pw}: a target without refId`);
      assert.equal(new Set(refIds).size, refIds.length, `${pw}: duplicate refIds ${refIds}`);
      const kinds = QUERY_TYPES_FOR_PANEL[p.type];
      assert.ok(kinds, `${pw}: this test does not know what a ${p.type} panel expects`);
      for (const t of targets) {
        assert.equal((t.datasource ?? p.datasource)?.type, PLUGIN_TYPE, `${pw} ${t.refId}: not a Kiln query`);
        assert.ok(kinds.includes(t.queryType), `${pw} ${t.refId}: queryType ${t.queryType} does not draw in a ${p.type} panel (${kinds})`);
        assert.ok(t.profileTypeId, `${pw} ${t.refId}: no profileTypeId (Grafana would drop the target)`);
      }
    }
    const names = variablesOf(dash).map((v) => v.name);
    assert.equal(new Set(names).size, names.length, `duplicate variables ${names}`);
    // Every variable a panel, title or variable uses is defined (Grafana's
    // own start with __, e.g. ${__field.labels.pod}).
    const defined = new Set(names);
    const used = referencedVariables({ panels: dash.panels, templating: dash.templating, title: dash.title });
    const undefinedVars = [...used].filter((n) => !n.startsWith('__') && !defined.has(n));
    assert.deepEqual(undefinedVars, [], `variables used but not defined: ${undefinedVars}`);
    // A variable may only use variables defined before it.
    variablesOf(dash).forEach((v, i) => {
      for (const n of referencedVariables(v.query)) {
        assert.ok(names.indexOf(n) >= 0 && names.indexOf(n) < i, `variable ${v.name} uses $${n}, not defined before it`);
      }
    });
  });

  test(`${where}: every datasource is provisioned`, () => {
    const refs = [];
    for (const p of panelsOf(dash)) {
      if (p.datasource) refs.push([`panel ${p.id}`, p.datasource]);
      for (const t of p.targets || []) if (t.datasource) refs.push([`panel ${p.id} ${t.refId}`, t.datasource]);
      if (p.targets?.length && !p.datasource && !(p.targets || []).every((t) => t.datasource)) {
        assert.fail(`panel ${p.id}: queries without a datasource would go to the default datasource`);
      }
    }
    for (const v of variablesOf(dash)) {
      if (v.type === 'query') {
        assert.ok(v.datasource, `variable ${v.name} has no datasource`);
        refs.push([`variable ${v.name}`, v.datasource]);
      }
    }
    assert.ok(refs.length > 0, 'no datasource references');
    for (const [what, ref] of refs) {
      const ds = provisioned.get(ref.uid);
      assert.ok(ds, `${what}: datasource uid "${ref.uid}" is not provisioned (${[...provisioned.keys()]})`);
      assert.equal(ref.type, ds.type, `${what}: datasource type ${ref.type}, provisioned as ${ds.type}`);
    }
  });
}

// ---------------------------------------------------------------- 3. data

// The seed is the corpus's Go profiles: without the corpus this part is
// skipped with this note, as the project's corpus tests are (decided before
// the suite is declared, since skips are declared with it).
const CORPUS = process.env.KILN_CORPUS_DIR || '';
const SEED_FILES = ['pprof/generated-go/cpu.pb.gz', 'pprof/generated-go/heap.pb.gz'].map((f) => path.join(CORPUS, f));
const corpusNote = CORPUS && SEED_FILES.every((f) => fs.existsSync(f)) ? false
  : `corpus pprof files not found under ${CORPUS || '(KILN_CORPUS_DIR unset)'}: the seeded-server checks are skipped`;

describe('every panel and variable against a seeded kiln server', { concurrency: false, skip: corpusNote }, () => {
  const KILN = requiredEnv('KILN_BIN');
  const PLUGIN = requiredEnv('KILN_PLUGIN_BINARY');
  const HOST = requiredEnv('KILN_PLUGIN_HOST');
  const host = { host: HOST, plugin: PLUGIN, workDir: WORK };

  const NOW = Date.now();
  const RANGE = { from: NOW - 60 * MINUTE, to: NOW };
  const known = {};
  const SPANS = { checkout: 'c0ffee00c0ffee01', render: 'c0ffee00c0ffee02' };
  // Values this test picks where a dashboard offers no default (textboxes),
  // as a tracing link or a user would.
  const OVERRIDES = {
    'kiln-fleet': { function: 'main.fib' },
    'kiln-trace-span': { span_id: SPANS.checkout, trace_id: '4bf92f3577b34da6a3ce929d0e0e4736' },
  };

  let server;
  let settings;       // the host's datasource settings: the provisioned uid kiln, on this server
  let frontend;       // the frontend's interpolateQuery and parseVariableQuery
  const resolved = {}; // dashboard uid → variable name → {value, text, isAll, allValue, options}
  const panelResults = {}; // `${uid}/${panel id}` → {queries, responses}
  const hostResults = [];

  // The seed: two services, two pods and two versions of checkout, heap
  // profiles beside the CPU ones, span-labelled samples, and one profile a
  // day earlier for the release dashboard's "same hour a day earlier" diff.
  async function seed() {
    const [cpu, heap] = SEED_FILES;
    const cpuTotal = pprofTotal(pprof.Profile.decode(zlib.gunzipSync(fs.readFileSync(cpu))), 'cpu', 'nanoseconds');
    const at = (minutesAgo) => NOW - minutesAgo * MINUTE;
    const ingest = (service, labels, body) => server.ingest(
      `name=${encodeURIComponent(`${service}{${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',')}}`)}&format=pprof`, body);
    const v1 = { pod: 'checkout-1', version: 'v1.2.0' };
    const v2 = { pod: 'checkout-2', version: 'v1.3.0' };
    const jobs = [
      ingest('checkout', v1, retimedPprof(cpu, at(50))),
      ingest('checkout', v1, retimedPprof(cpu, at(40))),
      ingest('checkout', v2, retimedPprof(cpu, at(30))),
      ingest('checkout', v2, retimedPprof(cpu, at(20))),
      ingest('checkout', v1, retimedPprof(heap, at(50))),
      ingest('checkout', v2, retimedPprof(heap, at(30))),
      ingest('payments', { pod: 'payments-1', version: 'v2.0.1' }, retimedPprof(cpu, at(45))),
      ingest('checkout', v1, retimedPprof(cpu, NOW - DAY - 30 * MINUTE)),
    ];
    const span = (id, name) => ({ span_id: id, span_name: name });
    jobs.push(ingest('checkout', v2, writeCpuPprof({
      timeMs: at(10),
      samples: [
        { stack: ['main', 'serve', 'checkout.Handle', 'db.Query'], value: 300 * MS, labels: span(SPANS.checkout, 'POST /checkout') },
        { stack: ['main', 'serve', 'checkout.Handle', 'json.Marshal'], value: 120 * MS, labels: span(SPANS.checkout, 'POST /checkout') },
        { stack: ['main', 'serve', 'render.Page'], value: 150 * MS, labels: span(SPANS.render, 'GET /') },
        { stack: ['main', 'gc'], value: 50 * MS },
      ],
    })));
    await Promise.all(jobs);
    known.spanCheckout = 420 * MS;
    known.checkoutV1 = 2 * cpuTotal;              // in the last hour
    known.checkoutV2 = 2 * cpuTotal + 620 * MS;
    known.checkoutDayBefore = cpuTotal;           // the hour a day earlier
  }

  // ------------------------------------------------------------ Grafana's template service

  // Grafana's TemplateSrv.replace for this dashboard's resolved variables:
  // a function format gets the raw value (string or array), a custom All
  // value goes in unformatted, `:text` gives the text, and the default
  // format of a multi-value is a glob. Unknown variables stay as they are.
  function templateSrv(vars, builtins = {}) {
    const replace = (target, _scopedVars, format) => {
      if (typeof target !== 'string') return target ?? '';
      return target.replace(VARIABLE_RE, (match, v1, v2, fmt2, v3, fieldPath, fmt3) => {
        const name = v1 || v2 || v3;
        const fmt = fmt2 || fmt3 || format;
        if (name in builtins) return String(builtins[name]);
        const v = vars[name];
        if (!v || v.error || fieldPath) return match;
        if (fmt === 'text') return Array.isArray(v.text) ? v.text.join(' + ') : v.text;
        if (v.isAll && v.allValue) return v.allValue;
        const value = v.isAll ? v.options.filter((o) => o.value !== '$__all').map((o) => o.value) : v.value;
        if (typeof fmt === 'function') return fmt(value, { name });
        if (fmt === undefined || fmt === 'glob' || fmt === 'raw') {
          return Array.isArray(value) ? (value.length === 1 ? value[0] : `{${value.join(',')}}`) : value;
        }
        throw new Error(`the test's TemplateSrv does not do format ${fmt} (in ${target})`);
      });
    };
    return { replace, getVariables: () => [], containsTemplate: (t) => VARIABLE_RE.test(t ?? ''), updateTimeRange: () => {} };
  }

  // Grafana's variable option sort (VariableSort).
  function sortOptions(options, sort) {
    const natural = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
    const numberOf = (t) => { const m = /\d+/.exec(t); return m ? Number(m[0]) : -Infinity; };
    const cmp = {
      1: (a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0),
      3: (a, b) => numberOf(a.text) - numberOf(b.text),
      5: (a, b) => a.text.toLowerCase().localeCompare(b.text.toLowerCase()),
      7: (a, b) => natural.compare(a.text, b.text),
    };
    if (!sort) return options;
    const base = cmp[sort % 2 === 1 ? sort : sort - 1];
    assert.ok(base, `unknown variable sort ${sort}`);
    return [...options].sort(sort % 2 === 1 ? base : (a, b) => base(b, a));
  }

  // Grafana's choice of a variable's value: the saved current one if it is
  // among the options (All counts with includeAll), else the first option.
  function choose(v, options, override) {
    const all = v.includeAll ? [{ text: 'All', value: '$__all' }] : [];
    const opts = [...all, ...options];
    const want = override ?? v.current?.value;
    const wanted = [want].flat().filter((x) => x !== undefined && x !== '');
    let picked = wanted.length && wanted.every((w) => opts.some((o) => o.value === w))
      ? opts.filter((o) => wanted.includes(o.value)) : [opts[0]];
    if (override !== undefined) {
      assert.ok(wanted.every((w) => opts.some((o) => o.value === w)), `${v.name}: ${override} is not among ${opts.map((o) => o.value)}`);
    }
    picked = picked.filter(Boolean);
    const isAll = picked.some((o) => o.value === '$__all');
    const value = v.multi ? picked.map((o) => o.value) : picked[0]?.value;
    const text = v.multi ? picked.map((o) => o.text) : picked[0]?.text;
    return { value, text, isAll, allValue: v.allValue, options: opts };
  }

  // The resource request datasource.ts makes for a variable query, as
  // Grafana serialises getResource's params.
  function variableRequest(query, vars) {
    const parsed = frontend.parseVariableQuery(query);
    assert.ok(!('error' in parsed), `variable query ${JSON.stringify(query)}: ${parsed.error}`);
    const q = parsed.query;
    const srv = templateSrv(vars);
    const selector = () => srv.replace(q.labelSelector ?? '', {}, frontend.formatSelectorValue).trim() || '{}';
    const range = { start: RANGE.from, end: RANGE.to };
    const params = q.type === 'profileTypes' ? range
      : q.type === 'labelNames' ? { query: selector(), ...range }
      : { label: srv.replace(q.labelName ?? ''), query: selector(), ...range };
    const search = Object.entries(params).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
    return { type: q.type, path: q.type, url: `${q.type}?${search}` };
  }

  // A variable that cannot be resolved keeps its error (the variables test
  // reports it) and stays unreplaced in what uses it.
  function failsAlone(uid, v, resolve) {
    try {
      resolve();
    } catch (e) {
      resolved[uid][v.name] = { error: e.message };
    }
  }

  // Resolves every variable of every dashboard: rounds of CallResource
  // through the plugin, each round the variables whose inputs are known.
  async function resolveVariables() {
    const pending = [];
    for (const d of dashboards) {
      const uid = d.json.uid;
      resolved[uid] = {};
      for (const v of variablesOf(d.json)) pending.push({ uid, v });
    }
    for (let round = 0; pending.length > 0; round++) {
      assert.ok(round < 10, `variables never resolve: ${pending.map((p) => `${p.uid}.${p.v.name}`)}`);
      const ready = pending.filter(({ uid, v }) => [...referencedVariables(v.query)].every((n) => n in resolved[uid]));
      const calls = [];
      for (const item of ready) {
        const { uid, v } = item;
        const override = OVERRIDES[uid]?.[v.name];
        failsAlone(uid, v, () => {
          if (v.type === 'textbox' || v.type === 'constant') {
            const value = override ?? v.current?.value ?? v.query ?? '';
            resolved[uid][v.name] = { value, text: value, isAll: false, options: [] };
          } else if (v.type === 'custom') {
            const options = String(v.query).split(',').map((s) => s.trim()).filter(Boolean).map((s) => ({ text: s, value: s }));
            resolved[uid][v.name] = choose(v, options, override);
          } else {
            assert.equal(v.type, 'query', `${uid}: variable ${v.name} of type ${v.type}`);
            item.request = variableRequest(v.query, resolved[uid]);
            calls.push({ id: `${uid}.${v.name}`, kind: 'callResource', settings, path: item.request.path, method: 'GET', url: item.request.url });
          }
        });
      }
      if (calls.length > 0) {
        const result = await runHost(host, { calls }, `variables${round}`);
        hostResults.push(result);
        const byId = Object.fromEntries(result.calls.map((c) => [c.id, c]));
        for (const item of ready.filter((r) => r.request)) {
          const { uid, v, request } = item;
          failsAlone(uid, v, () => {
            const c = byId[`${uid}.${v.name}`];
            assert.equal(c.grpcError, undefined, `${uid} variable ${v.name}: ${JSON.stringify(c.grpcError)}`);
            assert.equal(c.resource.code, 200, `${uid} variable ${v.name} (${request.url}): ${c.resource.code} ${c.resource.body}`);
            const list = JSON.parse(c.resource.body);
            assert.ok(Array.isArray(list) && list.length > 0, `${uid} variable ${v.name} (${request.url}): no values: ${c.resource.body}`);
            // datasource.ts runVariableQuery's mapping to MetricFindValues.
            const options = request.type === 'profileTypes' ? list.map((t) => ({ text: t.label, value: t.id }))
              : list.map((s) => ({ text: s, value: s }));
            resolved[uid][v.name] = choose(v, sortOptions(options, v.sort), OVERRIDES[uid]?.[v.name]);
            resolved[uid][v.name].request = request.url;
          });
        }
      }
      for (const item of ready) pending.splice(pending.indexOf(item), 1);
    }
  }

  // ------------------------------------------------------------ panels

  const DURATION = /^(\d+)(ms|s|m|h|d|w)$/;
  const UNIT_MS = { ms: 1, s: 1000, m: MINUTE, h: 60 * MINUTE, d: DAY, w: 7 * DAY };
  function durationMs(text, where) {
    const m = DURATION.exec(text);
    assert.ok(m, `${where}: "${text}" is not a duration`);
    return Number(m[1]) * UNIT_MS[m[2]];
  }

  // The panel's time range: the dashboard's, then the panel's relative time
  // (timeFrom) and time shift, with variables replaced (as Grafana's
  // applyPanelTimeOverrides does).
  function panelRange(panel, srv, where) {
    let { from, to } = RANGE;
    if (panel.timeFrom) from = to - durationMs(srv.replace(panel.timeFrom), `${where} timeFrom`);
    if (panel.timeShift) {
      const shift = durationMs(srv.replace(panel.timeShift), `${where} timeShift`);
      from -= shift;
      to -= shift;
    }
    return { from, to };
  }

  function panelQueries(d, panel) {
    const uid = d.json.uid;
    const where = `${uid} panel ${panel.id}`;
    const range = panelRange(panel, templateSrv(resolved[uid]), where);
    const widthPx = Math.round((panel.gridPos.w / 24) * 1600);
    const maxDataPoints = panel.maxDataPoints ?? widthPx;
    const intervalMs = Math.max(1000, Math.ceil((range.to - range.from) / maxDataPoints / 1000) * 1000);
    const builtins = { __from: range.from, __to: range.to, __interval_ms: intervalMs, __interval: `${intervalMs / 1000}s` };
    const srv = templateSrv(resolved[uid], builtins);
    return kilnTargets(panel).filter((t) => !t.hide).map((t) => {
      // DataSourceWithBackend: applyTemplateVariables, then /api/ds/query.
      const q = frontend.interpolateQuery(srv, t, {});
      const left = JSON.stringify(q).match(/\$\{?\w+/g);
      assert.equal(left, null, `${where} ${t.refId}: variables left after interpolation: ${JSON.stringify(q)}`);
      assert.ok(q.profileTypeId.trim() !== '', `${where} ${t.refId}: empty profileTypeId; Grafana would drop the target`);
      const json = { ...q, datasource: { type: PLUGIN_TYPE, uid: 'kiln' }, intervalMs, maxDataPoints };
      return { refId: t.refId, queryType: q.queryType ?? '', json, from: range.from, to: range.to, intervalMs, maxDataPoints };
    });
  }

  async function runPanels() {
    const calls = [];
    for (const d of dashboards) {
      for (const panel of panelsOf(d.json)) {
        if (!kilnTargets(panel).length) continue;
        const key = `${d.json.uid}/${panel.id}`;
        try {
          const queries = panelQueries(d, panel);
          panelResults[key] = { queries };
          calls.push({ id: key, kind: 'queryData', settings, queries });
        } catch (e) {
          panelResults[key] = { buildError: e.message }; // that panel's test reports it
        }
      }
    }
    calls.push({ id: 'health', kind: 'checkHealth', settings });
    const result = await runHost(host, { calls }, 'panels');
    hostResults.push(result);
    for (const c of result.calls) {
      if (panelResults[c.id]) panelResults[c.id].call = c;
      if (c.id === 'health') panelResults.health = c;
    }
  }

  before(async () => {
    const started = Date.now();
    // The frontend's interpolation and variable parsing, bundled for node.
    const outdir = path.join(WORK, 'frontend');
    const esbuild = spawnSync(path.join(FRONTEND, 'node_modules', '.bin', 'esbuild'),
      [path.join(FRONTEND, 'src', 'interpolation.ts'), path.join(FRONTEND, 'src', 'variableQuery.ts'), '--bundle',
        '--platform=node', '--format=esm', '--out-extension:.js=.mjs', `--outdir=${outdir}`, '--log-level=warning'],
      { encoding: 'utf8' });
    assert.equal(esbuild.status, 0, `esbuild: ${esbuild.stderr}`);
    frontend = {
      ...(await import(pathToFileURL(path.join(outdir, 'interpolation.mjs')).href)),
      ...(await import(pathToFileURL(path.join(outdir, 'variableQuery.mjs')).href)),
    };

    const dataDir = path.join(WORK, 'data');
    fs.rmSync(dataDir, { recursive: true, force: true });
    server = new KilnServer(KILN, dataDir, path.join(WORK, 'kiln-server.log'));
    await server.start();
    await seed();
    // The provisioned datasource as Grafana hands it to the plugin, on this
    // test's server instead of 127.0.0.1:4040.
    const ds = provisioned.get('kiln');
    settings = { uid: ds.uid, name: ds.name, url: server.url, jsonData: ds.jsonData ?? {}, lastUpdatedMS: 1 };
    await resolveVariables();
    await runPanels();
    console.log(`# setup (frontend bundle, server, seed, variables, panels under the host): ${Date.now() - started} ms`);
  });

  after(async () => {
    if (server) await server.stop();
  });

  test('CheckHealth of the provisioned datasource is OK', () => {
    const h = panelResults.health;
    assert.equal(h?.grpcError, undefined, JSON.stringify(h?.grpcError));
    assert.equal(h.health.status, 'OK', h.health.message);
  });

  for (const d of dashboards) {
    const uid = d.json.uid;
    test(`${uid}: every variable has values from the plugin`, () => {
      for (const v of variablesOf(d.json)) {
        const r = resolved[uid][v.name];
        assert.ok(r, `variable ${v.name} unresolved`);
        assert.ok(!r.error, `variable ${v.name}: ${r.error}`);
        const value = [r.value].flat();
        assert.ok(value.length > 0 && value.every((x) => x !== undefined && x !== ''), `variable ${v.name} has no value: ${JSON.stringify(r)}`);
        if (v.type === 'query') {
          assert.ok(r.options.filter((o) => o.value !== '$__all').length > 0, `variable ${v.name}: no options`);
          if (v.current?.value !== undefined && !OVERRIDES[uid]?.[v.name]) {
            assert.deepEqual(r.value, v.current.value, `variable ${v.name}: the saved value ${JSON.stringify(v.current.value)} is not offered (${r.request})`);
            assert.deepEqual(r.text, v.current.text, `variable ${v.name}: the saved text is not the plugin's for that value`);
          }
        }
      }
    });

    for (const panel of panelsOf(d.json)) {
      if (!kilnTargets(panel).length) continue;
      const key = `${uid}/${panel.id}`;
      test(`${uid}: panel ${panel.id} "${panel.title}" (${panel.type}) answers ${panel.type} frames with data`, () => {
        const { queries, call, buildError } = panelResults[key] ?? {};
        assert.ok(!buildError, `${key}: its queries cannot be built: ${buildError}`);
        assert.ok(call, `no result for ${key}`);
        assert.equal(call.grpcError, undefined, `${key}: ${JSON.stringify(call.grpcError)}`);
        for (const q of queries) {
          const where = `${key} ${q.refId} ${JSON.stringify(q.json)}`;
          const r = call.queryData.responses?.[q.refId];
          assert.ok(r, `${where}: no response`);
          assert.ok(!r.error, `${where}: error ${r.error}`);
          assert.ok(!r.status || r.status === 200, `${where}: status ${r.status}`);
          const frames = (r.frames || []).map(decodeFrame);
          checkFrames(panel.type, q, frames, where);
        }
      });
    }
  }

  function unitOf(profileTypeId) {
    const unit = profileTypeId.split(':')[2];
    return { nanoseconds: 'ns', bytes: 'bytes' }[unit] ?? 'short';
  }

  // What a panel of each type draws, from Kiln's frames.
  function checkFrames(panelType, q, frames, where) {
    assert.ok(frames.length > 0, `${where}: no frames`);
    switch (panelType) {
      case 'flamegraph': {
        assert.equal(frames.length, 1, `${where}: ${frames.length} frames`);
        const f = readFlameFrame(frames[0], where, { diff: q.queryType === 'diff', unit: unitOf(q.json.profileTypeId) });
        assert.ok(f.rows > 1 && f.root.value > 0, `${where}: an empty flame graph (${f.rows} rows)`);
        if (q.queryType === 'diff') assert.ok(f.root.valueRight > 0, `${where}: the right side is empty`);
        break;
      }
      case 'timeseries': {
        let points = 0;
        let nonZero = 0;
        for (const f of frames) {
          const time = f.fields.find((x) => x.tstype === 'time');
          const values = f.fields.filter((x) => x.tstype === 'number');
          assert.ok(time && values.length === 1, `${where}: frame ${f.name} is not a time series: ${f.fields.map((x) => `${x.name}:${x.tstype}`)}`);
          for (const label of q.json.groupBy) {
            assert.ok(values[0].labels?.[label], `${where}: a series without its ${label} label: ${JSON.stringify(values[0].labels)}`);
          }
          points += f.rows;
          nonZero += values[0].values.filter((v) => num(v) > 0).length;
        }
        assert.ok(points > 0 && nonZero > 0, `${where}: ${points} points, ${nonZero} above zero`);
        break;
      }
      case 'heatmap': {
        assert.equal(frames.length, 1, `${where}: ${frames.length} frames`);
        const h = frames[0];
        assert.equal(h.meta?.type, 'heatmap-cells', `${where}: meta ${JSON.stringify(h.meta)}`);
        assert.deepEqual(h.fields.map((x) => x.name), ['xMax', 'yMin', 'yMax', 'count'], where);
        const count = h.field.count.values.reduce((a, b) => a + num(b), 0);
        assert.ok(h.rows > 0 && count > 0, `${where}: ${h.rows} cells, count ${count}`);
        break;
      }
      case 'table': {
        assert.equal(frames.length, 1, `${where}: ${frames.length} frames`);
        const p = frames[0];
        assert.equal(p.name, 'profiles', where);
        assert.deepEqual(p.fields.map((x) => x.name), ['time', 'id', 'labels', 'total'], where);
        assert.ok(p.rows > 0, `${where}: no profiles`);
        // Every row is of the selected service.
        const service = /service_name="([^"]*)"/.exec(q.json.labelSelector)?.[1];
        if (service) {
          for (const labels of p.field.labels.values) assert.match(labels, new RegExp(`service_name=${service}(,|$)`), where);
        }
        break;
      }
      default:
        assert.fail(`${where}: no frame check for ${panelType} panels`);
    }
  }

  // Beyond the shape: the numbers the seed implies, for the queries whose
  // variables this test chose. Panels are found by what they query, not by id.
  function panelWith(uid, predicate) {
    const hits = Object.entries(panelResults).filter(([k, r]) => k.startsWith(`${uid}/`) && r.queries?.some(predicate));
    assert.equal(hits.length, 1, `${uid}: ${hits.length} panels match`);
    const [key, r] = hits[0];
    const q = r.queries.find(predicate);
    return { key, q, frames: (r.call.queryData.responses[q.refId].frames || []).map(decodeFrame) };
  }

  test('release comparison: the version diff is v1.2.0 (lowest) against v1.3.0 (highest)', () => {
    const { key, q, frames } = panelWith('kiln-release-comparison', (x) => x.queryType === 'diff' && x.json.rightFrom === undefined);
    assert.equal(q.json.labelSelector, '{service_name="checkout", version="v1.2.0"}', key);
    assert.equal(q.json.rightLabelSelector, '{service_name="checkout", version="v1.3.0"}', key);
    const f = readFlameFrame(frames[0], key, { diff: true });
    assert.equal(f.root.value, known.checkoutV1, `${key}: left root`);
    assert.equal(f.root.valueRight, known.checkoutV2, `${key}: right root`);
  });

  test('release comparison: the last hour against the same hour a day earlier', () => {
    const { key, q, frames } = panelWith('kiln-release-comparison', (x) => x.queryType === 'diff' && x.json.rightFrom !== undefined);
    assert.equal(typeof q.json.rightFrom, 'number', `${key}: rightFrom not resolved to ms`);
    assert.ok(Math.abs(q.json.rightFrom - (Date.now() - 60 * MINUTE)) < 5 * MINUTE, `${key}: rightFrom ${q.json.rightFrom}`);
    assert.ok(Math.abs(q.from - (NOW - DAY - 60 * MINUTE)) < MINUTE, `${key}: the left range starts at ${q.from}`);
    const f = readFlameFrame(frames[0], key, { diff: true });
    assert.equal(f.root.value, known.checkoutDayBefore, `${key}: left (a day earlier) root`);
    assert.equal(f.root.valueRight, known.checkoutV1 + known.checkoutV2, `${key}: right (last hour) root`);
  });

  test('trace span: the span\'s own samples', () => {
    const { key, q, frames } = panelWith('kiln-trace-span', (x) => x.queryType === 'span');
    assert.deepEqual(q.json.spanSelector, [SPANS.checkout], key);
    const f = readFlameFrame(frames[0], key);
    assert.equal(f.root.value, known.spanCheckout, `${key}: root`);
    assert.ok(!f.names.includes('render.Page'), `${key}: another span's function`);
  });

  test('fleet: the function metrics of main.fib, total at least self', () => {
    const sum = (refId) => {
      const { frames } = panelWith('kiln-fleet', (x) => x.refId === refId && x.json.functionName === 'main.fib');
      return frames.flatMap((f) => f.fields.filter((x) => x.tstype === 'number').flatMap((x) => x.values.map(num)))
        .reduce((a, b) => a + b, 0);
    };
    const total = sum('total');
    const self = sum('self');
    assert.ok(total > 0 && self > 0 && total >= self, `main.fib total ${total}, self ${self}`);
  });

  test('the plugin logged no errors and shut down cleanly each time', () => {
    assert.ok(hostResults.length >= 2, `${hostResults.length} host runs`);
    for (const r of hostResults) {
      assert.deepEqual((r.pluginLog || []).filter((l) => l['@level'] === 'error'), [], 'plugin error logs');
      assert.equal(r.shutdown.exitedCleanly, true, JSON.stringify(r.shutdown));
    }
  });
});

test('every dashboard type-checks against @grafana/schema 12.4.2 and the plugin\'s query types (tsc --noEmit)', async () => {
  const version = JSON.parse(fs.readFileSync(path.join(SCHEMA_PKG, 'package.json'), 'utf8')).version;
  assert.equal(version, '12.4.2', 'the pinned @grafana/schema');
  const { code, out, dir } = await typecheck;
  assert.equal(code, 0, `tsc found errors in the dashboards (generated sources in ${dir}):\n${out}`);
});
