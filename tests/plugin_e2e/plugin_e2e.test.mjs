// Kiln's Grafana backend plugin (gpx_kiln) end to end, as Grafana would run
// it: a real `kiln server` on 127.0.0.1 with a temporary data directory,
// seeded with corpus pprof files (two services, pods at distinct times) and
// profiles this test writes itself (collapsed stacks with known totals; a
// pprof with span_id sample labels, written with npm pprof-format); the
// plugin under the Grafana stand-in host (tests/plugin_host), in server mode
// (the server's URL) and in storage mode (the running server's data dir).
//
// Every frame is decoded with npm apache-arrow and compared with the core's
// own answers, fetched from the same server's Connect JSON API in this test
// (SelectMergeStacktraces, SelectSeries, SelectFunctionSeries, SelectHeatmap,
// SelectProfiles, ...), and where this test wrote the data, with the totals
// it knows. Then per-query errors (the plugin keeps serving), health checks
// of broken datasources, a clean shutdown, and a clean server stop.
//
//   KILN_BIN=build/bin/kiln KILN_PLUGIN_BINARY=build/bin/gpx_kiln_linux_amd64 \
//   KILN_PLUGIN_HOST=build/plugin_host/bin/kiln-plugin-host KILN_CORPUS_DIR=../shared/corpus \
//   node --test tests/plugin_e2e/plugin_e2e.test.mjs
// (tests/node/run_node_test.sh installs the npm packages first.)
// The fixtures, host runner and frame decoding are in harness.mjs, shared
// with tests/dashboards.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { KilnServer } from '../node/kiln_server.mjs';
import {
  SEP, decodeFrame, expectFields, freePort, num, pprof, pprofTotal,
  readFlameFrame, requiredEnv, retimedPprof, runHost as runHostWith, writeCpuPprof,
} from './harness.mjs';

const KILN = requiredEnv('KILN_BIN');
const PLUGIN = requiredEnv('KILN_PLUGIN_BINARY');
const HOST = requiredEnv('KILN_PLUGIN_HOST');
const CORPUS = process.env.KILN_CORPUS_DIR || '';
const WORK = process.env.KILN_TEST_WORK_DIR || fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-plugin-e2e-'));
fs.mkdirSync(WORK, { recursive: true });

const CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds';
const HEAP = 'memory:inuse_space:bytes:space:bytes';
const MS = 1_000_000; // ns per ms
const STEP_S = 60;
// maxNodes values the truncation checks use on the corpus CPU profile (its
// recursive main.fib chain has many equal totals, i.e. ties) and, for a diff,
// on checkout vs payments.
const TRUNCATIONS = [1, 4, 6, 8, 13, 24, 48];
const DIFF_TRUNCATIONS = [4, 24];

// ---------------------------------------------------------------- helpers

const sel = (labels) => `{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`;
const enc = encodeURIComponent;

function relClose(got, want, where) {
  const ok = got === want || Math.abs(got - want) <= 1e-12 * Math.max(Math.abs(got), Math.abs(want));
  assert.ok(ok, `${where}: got ${got}, want ${want}`);
}

// Pyroscope's flame graph levels as path -> node. A plain flame graph's
// node is [x delta, total, self, name] (|sides| 1); a diff's is [xL,
// totalL, selfL, xR, totalR, selfR, name] (|sides| 2), x delta-encoded per
// side. A node's parent is the node above that spans its x on a side where
// it has a value; nodes are in x order on every side, so one cursor per
// side finds them. Nodes of zero total on every side have no extent and
// are skipped.
function flamebearerNodes(fg, sides, what) {
  const stride = 3 * sides + 1;
  const names = fg.names;
  const out = new Map();
  let above = [];
  (fg.levels || []).forEach((level, depth) => {
    const v = (level.values || []).map(Number);
    const nodes = [];
    const x = new Array(sides).fill(0);
    for (let i = 0; i < v.length; i += stride) {
      const n = { x: [], total: [], self: [], name: names[v[i + stride - 1]] };
      for (let s = 0; s < sides; s++) {
        x[s] += v[i + 3 * s];
        n.x.push(x[s]);
        n.total.push(v[i + 3 * s + 1]);
        n.self.push(v[i + 3 * s + 2]);
        x[s] += n.total[s];
      }
      nodes.push(n);
    }
    const cursor = new Array(sides).fill(0);
    for (const n of nodes) {
      if (n.total.every((t) => t === 0)) continue;
      if (depth === 0) {
        n.names = [];
      } else {
        const s = n.total[0] > 0 ? 0 : 1;
        const spans = (p) => p.x[s] <= n.x[s] && n.x[s] < p.x[s] + p.total[s];
        while (cursor[s] < above.length && !spans(above[cursor[s]])) cursor[s]++;
        if (cursor[s] === above.length) throw new Error(`${what} level ${depth}: node ${n.name} at x=${n.x[s]} has no parent`);
        n.names = [...above[cursor[s]].names, n.name];
      }
      const key = n.names.join(SEP);
      if (out.has(key)) throw new Error(`server ${what} has two nodes for ${n.names.join(';')}`);
      out.set(key, n);
    }
    above = nodes.filter((n) => n.total.some((t) => t > 0));
  });
  return out;
}

// A flame graph as path -> {value, self}.
function flamebearerPaths(fg) {
  const out = new Map();
  for (const [k, n] of flamebearerNodes(fg, 1, 'flame graph')) out.set(k, { value: n.total[0], self: n.self[0] });
  return out;
}

// A diff flame graph as path -> {value, self, valueRight, selfRight}.
function flamebearerDiffPaths(fg) {
  const out = new Map();
  for (const [k, n] of flamebearerNodes(fg, 2, 'diff flame graph')) {
    out.set(k, { value: n.total[0], self: n.self[0], valueRight: n.total[1], selfRight: n.self[1] });
  }
  return out;
}

// One side of a diff frame's paths as a plain flame graph's (paths where
// that side has a value).
function sideOf(paths, right) {
  const out = new Map();
  for (const [k, p] of paths) {
    const value = right ? p.valueRight : p.value;
    if (value > 0 || k === '') out.set(k, { value, self: right ? p.selfRight : p.self });
  }
  return out;
}

function comparePaths(got, want, where) {
  const problems = [];
  for (const [k, w] of want) {
    const g = got.get(k);
    const shown = k.split(SEP).join(';') || 'total';
    if (!g) problems.push(`missing ${shown} (value ${w.value})`);
    else if (g.value !== w.value || g.self !== w.self) problems.push(`${shown}: value/self ${g.value}/${g.self}, want ${w.value}/${w.self}`);
    else if ('valueRight' in w && (g.valueRight !== w.valueRight || g.selfRight !== w.selfRight)) {
      problems.push(`${shown}: right value/self ${g.valueRight}/${g.selfRight}, want ${w.valueRight}/${w.selfRight}`);
    }
  }
  for (const k of got.keys()) {
    if (!want.has(k) && (got.get(k).value !== 0 || got.get(k).valueRight)) problems.push(`extra ${k.split(SEP).join(';')} (value ${got.get(k).value})`);
  }
  assert.equal(problems.length, 0, `${where}: ${problems.length} differences from the server's flame graph, e.g.\n  ${problems.slice(0, 8).join('\n  ')}`);
}

// ---------------------------------------------------------------- plugin host

const runHost = (script, name, onOutput) => runHostWith({ host: HOST, plugin: PLUGIN, workDir: WORK }, script, name, onOutput);

// ---------------------------------------------------------------- the run

const T = {};       // times (ms)
const known = {};   // totals this test wrote itself
const oracle = {};  // the server's own answers
let server;
let result;         // the host's result
let calls;          // result calls by id
// The corpus parts are skipped, with this note, when the corpus is absent
// (decided before the tests are declared, since skips are declared with them).
const CORPUS_CPU = path.join(CORPUS, 'pprof/generated-go/cpu.pb.gz');
const CORPUS_HEAP = path.join(CORPUS, 'pprof/generated-go/heap.pb.gz');
const corpusNote = CORPUS && fs.existsSync(CORPUS_CPU) && fs.existsSync(CORPUS_HEAP) ? ''
  : `corpus pprof files not found under ${CORPUS || '(KILN_CORPUS_DIR unset)'}: the checkout/payments fixtures are skipped`;
const haveCorpus = () => !corpusNote;

const SPAN = { a1: 'a1a1a1a1a1a1a1a1', b1: 'b1b1b1b1b1b1b1b1', a2: 'a2a2a2a2a2a2a2a2', b2: 'b2b2b2b2b2b2b2b2' };

// The span fixture: two profiles of service "spanapp", the second twice the
// first; frames main;serve;handleA|handleB;... under spans and span names.
function spanappSamples(factor, spanA, spanB) {
  const ms = (n) => n * factor * MS;
  return [
    { stack: ['main', 'serve', 'handleA', 'parse'], value: ms(100), labels: { span_id: spanA, span_name: 'GET /a' } },
    { stack: ['main', 'serve', 'handleA', 'render'], value: ms(250), labels: { span_id: spanA, span_name: 'GET /a' } },
    { stack: ['main', 'serve', 'handleB', 'query'], value: ms(400), labels: { span_id: spanB, span_name: 'GET /b' } },
    { stack: ['main', 'serve', 'handleB', 'parse'], value: ms(30), labels: { span_id: spanB, span_name: 'GET /b' } },
    { stack: ['main', 'gc'], value: ms(50) },
  ];
}

async function seed() {
  const cpuFile = CORPUS_CPU;
  const heapFile = CORPUS_HEAP;
  if (!haveCorpus()) console.log(`# ${corpusNote}`);
  const jobs = [];
  if (haveCorpus()) {
    const cpu = [
      ['checkout', 'checkout-1', 'prod', T.checkout1],
      ['checkout', 'checkout-2', 'prod', T.checkout2],
      ['payments', 'payments-1', 'staging', T.payments1],
    ];
    for (const [app, pod, env, t] of cpu) {
      jobs.push(server.ingest(`name=${enc(`${app}{pod=${pod},env=${env}}`)}&format=pprof`, retimedPprof(cpuFile, t)));
    }
    for (const [pod, t] of [['checkout-1', T.checkout1], ['checkout-2', T.checkout2]]) {
      jobs.push(server.ingest(`name=${enc(`checkout{pod=${pod},env=prod}`)}&format=pprof`, retimedPprof(heapFile, t)));
    }
    const corpusCpu = pprof.Profile.decode(zlib.gunzipSync(fs.readFileSync(cpuFile)));
    known.corpusCpuTotal = pprofTotal(corpusCpu, 'cpu', 'nanoseconds');
  }
  jobs.push(server.ingest(`name=${enc('spanapp{env=dev}')}&format=pprof`,
    writeCpuPprof({ timeMs: T.spanapp1, samples: spanappSamples(1, SPAN.a1, SPAN.b1) })));
  jobs.push(server.ingest(`name=${enc('spanapp{env=dev}')}&format=pprof`,
    writeCpuPprof({ timeMs: T.spanapp2, samples: spanappSamples(2, SPAN.a2, SPAN.b2) })));
  // Collapsed stacks at 100 Hz: each count is 10 ms of CPU.
  jobs.push(server.ingest(`name=${enc('shop.cpu{env=prod}')}&from=${T.shopProd / 1000}&until=${T.shopProd / 1000 + 10}&sampleRate=100`,
    'main;handle;parse 120\nmain;handle;render 300\nmain;idle 80\n'));
  jobs.push(server.ingest(`name=${enc('shop.cpu{env=canary}')}&from=${T.shopCanary / 1000}&until=${T.shopCanary / 1000 + 10}&sampleRate=100`,
    'main;handle;parse 200\nmain;handle;render 100\n'));
  await Promise.all(jobs);
  known.shopProd = 500 * 10 * MS;
  known.shopCanary = 300 * 10 * MS;
  known.spanapp = 3 * 830 * MS;
  known.spanA1 = 350 * MS;
  known.spanA1A2 = 3 * 350 * MS;
  known.handleATotal = [350 * MS, 700 * MS];
  known.parseSelf = [130 * MS, 260 * MS];
  // Profiles as ingested: each is stored as one series per sample label set
  // (the spanapp profiles split by span_name into 3), but listed and counted
  // in heatmaps once.
  known.profiles = (haveCorpus() ? 3 : 0) + 2 + 2;
}

function flameSelection(labelSelector, extra = {}) {
  return { profileTypeID: CPU, labelSelector, start: String(T.from), end: String(T.to), ...extra };
}

async function collectOracles() {
  const c = (p, b) => server.connect(p, b);
  const merge = (s, extra) => c('querier.v1.QuerierService/SelectMergeStacktraces', flameSelection(s, extra));
  const series = (type, s, groupBy) => c('querier.v1.QuerierService/SelectSeries',
    { profileTypeID: type, labelSelector: s, start: String(T.from), end: String(T.to), step: STEP_S, groupBy });
  const fnSeries = (fn, self) => c('kiln.profiles.v1.ProfilesService/SelectFunctionSeries', {
    series: { profileTypeID: CPU, labelSelector: '{service_name="spanapp"}', start: String(T.from), end: String(T.to), step: STEP_S },
    function: fn, self });
  const range = { start: String(T.from), end: String(T.to) };
  const jobs = {
    stats: c('querier.v1.QuerierService/GetProfileStats', {}),
    profileTypes: c('querier.v1.QuerierService/ProfileTypes', range),
    labelNames: c('querier.v1.QuerierService/LabelNames', { matchers: ['{}'], ...range }),
    labelValues: c('querier.v1.QuerierService/LabelValues', { name: 'service_name', matchers: ['{}'], ...range }),
    spanappMerge: merge('{service_name="spanapp"}', { maxNodes: '16384' }),
    spanappTrunc: merge('{service_name="spanapp"}', { maxNodes: '4' }),
    shopMerge: merge('{service_name="shop"}', { maxNodes: '16384' }),
    shopProd: merge('{service_name="shop",env="prod"}'),
    shopCanary: merge('{service_name="shop",env="canary"}'),
    spanA1: merge('{service_name="spanapp"}', { spanSelector: [SPAN.a1] }),
    spanA1A2: merge('{service_name="spanapp"}', { spanSelector: [SPAN.a1, SPAN.a2] }),
    cpuSeries: series(CPU, '{}', ['service_name']),
    shopSeries: series(CPU, '{service_name="shop"}', []),
    handleA: fnSeries('handleA', false),
    parseSelf: fnSeries('parse', true),
    heatmap: c('querier.v1.QuerierService/SelectHeatmap', { profileTypeID: CPU, labelSelector: '{}', ...range, step: STEP_S,
      queryType: 'HEATMAP_QUERY_TYPE_INDIVIDUAL', exemplarType: 'EXEMPLAR_TYPE_NONE' }),
    profiles: c('kiln.profiles.v1.ProfilesService/SelectProfiles', { profileTypeID: CPU, labelSelector: '{}', ...range, limit: '1000' }),
  };
  if (haveCorpus()) {
    Object.assign(jobs, {
      checkoutMerge: merge('{service_name="checkout"}', { maxNodes: '100000' }),
      ...Object.fromEntries(TRUNCATIONS.map((n) => [`checkoutTrunc${n}`, merge('{service_name="checkout"}', { maxNodes: String(n) })])),
      ...Object.fromEntries(DIFF_TRUNCATIONS.flatMap((n) => [
        [`paymentsTrunc${n}`, merge('{service_name="payments"}', { maxNodes: String(n) })],
        [`diffTrunc${n}`, c('querier.v1.QuerierService/Diff', {
          left: flameSelection('{service_name="checkout"}', { maxNodes: String(n) }),
          right: flameSelection('{service_name="payments"}', { maxNodes: String(n) }) })],
      ])),
      checkoutPod1: merge('{service_name="checkout"}', { start: String(T.from), end: String(T.checkout1 + 1000) }),
      checkoutPod2: merge('{service_name="checkout"}', { start: String(T.checkout1 + 1001), end: String(T.checkout2 + 1000) }),
      labelValuesPod: c('querier.v1.QuerierService/LabelValues', { name: 'pod', matchers: ['{service_name="checkout"}'], ...range }),
      series: c('querier.v1.QuerierService/Series', { matchers: ['{service_name="checkout"}'], labelNames: ['service_name', 'pod'], ...range }),
      heapSeries: series(HEAP, '{service_name="checkout"}', ['pod']),
    });
  }
  const names = Object.keys(jobs);
  const answers = await Promise.all(Object.values(jobs));
  names.forEach((n, i) => { oracle[n] = answers[i]; });
}

// Good queries, the same in both modes; every one is checked below.
function goodQueries() {
  const q = (refId, queryType, json, extra = {}) => ({ refId, queryType, json: { profileTypeId: CPU, ...json },
    from: T.from, to: T.to, intervalMs: STEP_S * 1000, maxDataPoints: 1000, ...extra });
  const out = [
    q('flame_spanapp', 'profile', { labelSelector: '{service_name="spanapp"}' }),
    q('trunc_spanapp', 'profile', { labelSelector: '{service_name="spanapp"}', maxNodes: 4 }),
    q('metrics_cpu', 'metrics', { labelSelector: '{}', groupBy: ['service_name'] }),
    q('fn_total', 'metrics', { labelSelector: '{service_name="spanapp"}', functionName: 'handleA', functionMode: 'total' }),
    q('fn_self', 'metrics', { labelSelector: '{service_name="spanapp"}', functionName: 'parse', functionMode: 'self' }),
    q('both', 'both', { labelSelector: '{service_name="shop"}' }),
    q('diff', 'diff', { labelSelector: '{service_name="shop",env="prod"}', rightLabelSelector: '{service_name="shop",env="canary"}' }),
    q('heatmap', 'heatmap', { labelSelector: '{}' }),
    q('profiles', 'profiles', { labelSelector: '{}', limit: 1000 }),
    q('span', 'span', { labelSelector: '{service_name="spanapp"}', spanSelector: [SPAN.a1] }),
    q('span2', 'span', { labelSelector: '{service_name="spanapp"}', spanSelector: [SPAN.a1, SPAN.a2] }),
  ];
  if (haveCorpus()) {
    out.push(
      q('flame_checkout', 'profile', { labelSelector: '{service_name="checkout"}', maxNodes: 100000 }),
      ...TRUNCATIONS.map((n) => q(`trunc${n}`, 'profile', { labelSelector: '{service_name="checkout"}', maxNodes: n })),
      ...DIFF_TRUNCATIONS.map((n) => q(`diff_trunc${n}`, 'diff',
        { labelSelector: '{service_name="checkout"}', rightLabelSelector: '{service_name="payments"}', maxNodes: n })),
      q('metrics_heap', 'metrics', { profileTypeId: HEAP, labelSelector: '{service_name="checkout"}', groupBy: ['pod'] }),
      // Left: the first pod's minute; right: the second's.
      q('diff_time', 'diff', { labelSelector: '{service_name="checkout"}', rightFrom: T.checkout1 + 1001, rightTo: T.checkout2 + 1000 },
        { from: T.from, to: T.checkout1 + 1000 }),
    );
  }
  return out;
}

// Queries each of which must fail alone, with its own error.
function badQueries() {
  const base = { from: T.from, to: T.to, intervalMs: 60000, maxDataPoints: 1000 };
  return [
    { refId: 'unknown_type', queryType: 'flamechart', json: { profileTypeId: CPU }, ...base },
    { refId: 'bad_selector', queryType: 'profile', json: { profileTypeId: CPU, labelSelector: '{service_name=~"("}' }, ...base },
    { refId: 'empty_range', queryType: 'profile', json: { profileTypeId: CPU }, ...base, from: T.to, to: T.from },
    { refId: 'no_type', queryType: 'metrics', json: { labelSelector: '{}' }, ...base },
    { refId: 'diff_no_right', queryType: 'diff', json: { profileTypeId: CPU, labelSelector: '{}' }, ...base },
    { refId: 'bad_field', queryType: 'profile', json: { profileTypeId: CPU, maxNodes: 'many' }, ...base },
  ];
}

function resourceCalls(mode, settings) {
  const r = `start=${T.from}&end=${T.to}`;
  const res = (id, url) => ({ id: `${mode}.${id}`, kind: 'callResource', settings, path: url.split('?')[0], method: 'GET', url });
  const out = [
    res('profileTypes', `profileTypes?${r}`),
    res('labelNames', `labelNames?query=${enc('{}')}&${r}`),
    res('labelValues', `labelValues?label=service_name&${r}`),
    res('pprofSpanapp', `pprof?profileTypeId=${enc(CPU)}&labelSelector=${enc('{service_name="spanapp"}')}&${r}`),
    res('noLabel', `labelValues?${r}`),
    res('unknownPath', `flamegraph?${r}`),
    res('badRange', `labelNames?start=${T.to}&end=${T.from}`),
  ];
  if (haveCorpus()) {
    out.push(
      res('labelValuesPod', `labelValues?label=pod&query=${enc('{service_name="checkout"}')}&${r}`),
      res('series', `series?query=${enc('{service_name="checkout"}')}&labelNames=service_name,pod&${r}`),
      res('pprofCheckout', `pprof?profileTypeId=${enc(CPU)}&labelSelector=${enc('{service_name="checkout"}')}&${r}`),
    );
  }
  return out;
}

let settings;
const LATE_MARKER = 'late_ingest_marker';
let lateIngest = null;  // the ingest the marker started

function buildScript(dataDir, downUrl, missingDir) {
  settings = {
    server: { uid: 'kiln-server', name: 'Kiln (server)', url: server.url, jsonData: { minStep: '15s' }, lastUpdatedMS: 1 },
    storage: { uid: 'kiln-storage', name: 'Kiln (storage)', url: '', jsonData: { mode: 'storage', storagePath: dataDir, minStep: '15s' }, lastUpdatedMS: 1 },
    down: { uid: 'kiln-down', name: 'Kiln (down)', url: downUrl, jsonData: { timeout: '3s' }, lastUpdatedMS: 1 },
    missing: { uid: 'kiln-missing', name: 'Kiln (missing)', url: '', jsonData: { mode: 'storage', storagePath: missingDir }, lastUpdatedMS: 1 },
  };
  const calls = [];
  for (const mode of ['server', 'storage']) {
    const s = settings[mode];
    calls.push({ id: `${mode}.health`, kind: 'checkHealth', settings: s });
    calls.push(...resourceCalls(mode, s));
    calls.push({ id: `${mode}.queries`, kind: 'queryData', settings: s, queries: goodQueries() });
  }
  // Bad queries, each failing alone with its own error.
  for (const mode of ['server', 'storage']) {
    const s = settings[mode];
    calls.push({ id: `${mode}.badJson`, kind: 'raw', settings: s, queries: [{ refId: 'bad_json', raw: '{not json' }] });
    calls.push({ id: `${mode}.errors`, kind: 'queryData', settings: s, queries: badQueries() });
  }
  const probe = { refId: 'probe', queryType: 'profile', json: { profileTypeId: CPU, labelSelector: '{service_name="spanapp"}' },
    from: T.from, to: T.to, intervalMs: 60000, maxDataPoints: 1000 };
  const probeMetrics = { ...probe, refId: 'probe_metrics', queryType: 'metrics' };
  calls.push({ id: 'down.health', kind: 'checkHealth', settings: settings.down });
  calls.push({ id: 'down.queries', kind: 'queryData', settings: settings.down, queries: [probe, probeMetrics] });
  calls.push({ id: 'down.resource', kind: 'callResource', settings: settings.down, path: 'profileTypes', url: 'profileTypes' });
  calls.push({ id: 'missing.health', kind: 'checkHealth', settings: settings.missing });
  calls.push({ id: 'missing.resource', kind: 'callResource', settings: settings.missing, path: 'labelNames', url: 'labelNames' });
  calls.push({ id: 'missing.queries', kind: 'queryData', settings: settings.missing, queries: [probe] });
  // After all of that, the same plugin process still answers.
  calls.push({ id: 'server.after', kind: 'queryData', settings: settings.server, queries: [probe] });
  calls.push({ id: 'storage.after', kind: 'queryData', settings: settings.storage, queries: [probe] });
  calls.push({ id: 'server.healthAfter', kind: 'checkHealth', settings: settings.server });
  // Data ingested while the storage datasource is open shows up: a query
  // before, a failing query whose log line tells this test to ingest, a
  // pause (the data dir is re-read at most once a second), a query after.
  const late = { ...probe, refId: 'late', json: { profileTypeId: CPU, labelSelector: '{service_name="late"}' } };
  calls.push({ id: 'storage.lateBefore', kind: 'queryData', settings: settings.storage, queries: [late] });
  calls.push({ id: 'storage.lateMarker', kind: 'queryData', settings: settings.storage,
    queries: [{ ...probe, refId: LATE_MARKER, queryType: 'ingest-now' }] });
  calls.push({ id: 'lateWait', kind: 'sleep', ms: 3000 });
  calls.push({ id: 'storage.lateAfter', kind: 'queryData', settings: settings.storage, queries: [late] });
  calls.push({ id: 'server.lateAfter', kind: 'queryData', settings: settings.server, queries: [late] });
  calls.push({ id: 'metrics', kind: 'collectMetrics' });
  return { calls };
}

before(async () => {
  const started = Date.now();
  const dataDir = path.join(WORK, 'data');
  fs.rmSync(dataDir, { recursive: true, force: true });
  server = new KilnServer(KILN, dataDir, path.join(WORK, 'kiln-server.log'));
  await server.start();

  const minute = 60000;
  T.base = Math.floor(Date.now() / minute) * minute - 30 * minute;
  T.checkout1 = T.base + 30000;
  T.checkout2 = T.base + 90000;
  T.payments1 = T.base + 150000;
  T.spanapp1 = T.base + 210000;
  T.spanapp2 = T.base + 270000;
  T.shopProd = T.base + 330000;
  T.shopCanary = T.base + 390000;
  T.from = T.base;
  T.to = T.base + 10 * minute;
  await seed();
  await collectOracles();

  const downUrl = `http://127.0.0.1:${await freePort()}`;
  const missingDir = path.join(WORK, 'no-such-data-dir');
  T.late = T.base + 450000;
  result = await runHost(buildScript(dataDir, downUrl, missingDir), 'plugin', (stderr) => {
    if (!lateIngest && stderr.includes(LATE_MARKER)) {
      lateIngest = server.ingest(`name=late.cpu&from=${T.late / 1000}&until=${T.late / 1000 + 10}&sampleRate=100`, 'main;late 7\n')
        .then(() => Date.now());
    }
  });
  calls = Object.fromEntries(result.calls.map((c) => [c.id, c]));
  console.log(`# setup (server, seed, oracles, plugin under the host): ${Date.now() - started} ms`);
});

after(async () => {
  if (server) await server.stop();
});

// ---------------------------------------------------------------- checks

function call(id) {
  const c = calls[id];
  assert.ok(c, `no result for call ${id}`);
  assert.equal(c.grpcError, undefined, `${id}: gRPC error ${JSON.stringify(c.grpcError)}`);
  return c;
}

function responseOf(callId, refId) {
  const r = call(callId).queryData?.responses?.[refId];
  assert.ok(r, `${callId}: no response for ${refId}`);
  return r;
}

function framesOf(callId, refId) {
  const r = responseOf(callId, refId);
  assert.equal(r.error || '', '', `${callId}/${refId}: error ${r.error}`);
  assert.equal(r.status, 200, `${callId}/${refId}: status`);
  return (r.frames || []).map(decodeFrame).map((f) => {
    assert.equal(f.refId, refId, `${callId}/${refId}: frame refId`);
    return f;
  });
}

function resourceJson(id, wantCode = 200) {
  const r = call(id).resource;
  assert.equal(r.code, wantCode, `${id}: HTTP ${r.code}: ${r.body}`);
  assert.deepEqual(r.headers['Content-Type'], ['application/json'], `${id}: Content-Type`);
  return JSON.parse(r.body);
}

const labelsObject = (pairs) => Object.fromEntries((pairs || []).map((p) => [p.name, p.value]));
const publicLabels = (pairs) => Object.fromEntries((pairs || []).filter((p) => !p.name.startsWith('__')).map((p) => [p.name, p.value]));
const canonicalLabels = (o) => JSON.stringify(Object.keys(o || {}).sort().map((k) => [k, o[k]]));

// Series frames vs a SelectSeries answer: one frame per series, times equal,
// values equal after the rate rule (cumulative types per second; CPU ns → cores).
function checkSeriesFrames(frames, want, where, { sampleType, unit, rate }) {
  assert.equal(frames.length, want.series?.length ?? 0, `${where}: series frames`);
  const byLabels = new Map((want.series || []).map((s) => [canonicalLabels(publicLabels(s.labels)), s]));
  for (const f of frames) {
    assert.equal(f.name, 'series', `${where}: frame name`);
    assert.equal(f.meta?.preferredVisualisationType, 'graph', `${where}: meta ${JSON.stringify(f.meta)}`);
    assert.equal(f.meta?.custom?.rateCalculated === true, rate, `${where}: rateCalculated`);
    expectFields(f, [['time', 'time', 'time'], [sampleType, 'float64', 'number']], where);
    const value = f.field[sampleType];
    assert.equal(value.config?.unit, unit, `${where}: unit`);
    const key = canonicalLabels(value.labels || {});
    const s = byLabels.get(key);
    assert.ok(s, `${where}: a frame labelled ${key} that the server does not answer (it has ${[...byLabels.keys()].join(' ')})`);
    byLabels.delete(key);
    const points = s.points || [];
    assert.equal(f.rows, points.length, `${where} ${key}: points`);
    const scale = rate ? (unit === 'cores' ? 1 / STEP_S / 1e9 : 1 / STEP_S) : 1;
    points.forEach((p, i) => {
      assert.equal(f.field.time.values[i], BigInt(p.timestamp) * 1_000_000n, `${where} ${key} point ${i}: time`);
      relClose(value.values[i], Number(p.value ?? 0) * scale, `${where} ${key} point ${i}: value`);
    });
  }
}

const MODES = ['server', 'storage'];

test('kiln server took the seed: its stats and profile types', () => {
  assert.equal(oracle.stats.dataIngested, true);
  const first = haveCorpus() ? T.checkout1 : T.spanapp1;
  assert.equal(Number(oracle.stats.oldestProfileTime), first, 'oldest profile time');
  // The newest profile's end: the shop canary profile spans 10 s from its time.
  const newest = Number(oracle.stats.newestProfileTime);
  assert.ok(newest >= T.shopCanary && newest <= T.shopCanary + 10000, `newest profile time ${newest}, want ${T.shopCanary} + 0..10 s`);
  const ids = oracle.profileTypes.profileTypes.map((t) => t.ID);
  assert.ok(ids.includes(CPU), `profile types ${ids}`);
  if (haveCorpus()) assert.ok(ids.includes(HEAP), `profile types ${ids}`);
  // The data this test wrote, read back by the server itself.
  assert.equal(Number(oracle.spanappMerge.flamegraph.total), known.spanapp);
  assert.equal(Number(oracle.shopProd.flamegraph.total), known.shopProd);
  assert.equal(Number(oracle.shopCanary.flamegraph.total), known.shopCanary);
  assert.equal(Number(oracle.spanA1.flamegraph.total), known.spanA1);
  assert.equal(Number(oracle.spanA1A2.flamegraph.total), known.spanA1A2);
  if (haveCorpus()) {
    assert.equal(Number(oracle.checkoutMerge.flamegraph.total), 2 * known.corpusCpuTotal,
      'checkout (two pods of the corpus CPU profile) total vs pprof-format\'s reading of the file');
  }
});

test('the plugin started under the host (handshake, ping)', () => {
  assert.equal(result.handshake.ok, true, JSON.stringify(result.handshake));
  assert.equal(result.handshake.protocolVersion, 2);
  assert.equal(result.ping.ok, true);
});

for (const mode of MODES) {
  test(`${mode} mode: CheckHealth is OK and names its source`, () => {
    const h = call(`${mode}.health`).health;
    assert.equal(h.status, 'OK', h.message);
    const source = mode === 'server' ? `kiln server at ${server.url}` : `data directory ${server.dataDir}`;
    assert.ok(h.message.includes(source), `message ${JSON.stringify(h.message)} does not name ${source}`);
    assert.match(h.message, /Data source is working/);
  });

  test(`${mode} mode: resources profileTypes, labelNames, labelValues, series`, () => {
    const types = resourceJson(`${mode}.profileTypes`);
    assert.deepEqual(types.map((t) => t.id).sort(), oracle.profileTypes.profileTypes.map((t) => t.ID).sort());
    const cpu = types.find((t) => t.id === CPU);
    assert.equal(cpu.label, 'process_cpu - cpu');

    const names = resourceJson(`${mode}.labelNames`);
    assert.deepEqual(names, oracle.labelNames.names.filter((n) => !n.startsWith('__')));
    assert.ok(names.includes('service_name') && names.includes('span_name'), `label names ${names}`);
    assert.ok(!names.includes('span_id'), 'span_id is a sample annotation, not a series label');

    const services = resourceJson(`${mode}.labelValues`);
    assert.deepEqual(services, oracle.labelValues.names);
    assert.deepEqual([...services].sort(), [...(haveCorpus() ? ['checkout', 'payments'] : []), 'shop', 'spanapp'].sort());

    if (haveCorpus()) {
      assert.deepEqual(resourceJson(`${mode}.labelValuesPod`), oracle.labelValuesPod.names);
      assert.deepEqual(resourceJson(`${mode}.labelValuesPod`), ['checkout-1', 'checkout-2']);
      const series = resourceJson(`${mode}.series`);
      assert.deepEqual(series.map((s) => canonicalLabels(s)).sort(),
        oracle.series.labelsSet.map((s) => canonicalLabels(labelsObject(s.labels))).sort());
      assert.ok(series.length >= 2, `series ${JSON.stringify(series)}`);
    }
  });

  test(`${mode} mode: resource errors are JSON with 4xx`, () => {
    assert.match(resourceJson(`${mode}.noLabel`, 400).error, /label/);
    assert.match(resourceJson(`${mode}.unknownPath`, 404).error, /flamegraph/);
    assert.match(resourceJson(`${mode}.badRange`, 400).error, /empty/);
  });

  test(`${mode} mode: resource pprof is a gzipped pprof whose total is the merge total`, () => {
    const check = (id, wantTotal) => {
      const r = call(id).resource;
      assert.equal(r.code, 200, `${id}: ${r.body}`);
      assert.deepEqual(r.headers['Content-Type'], ['application/octet-stream']);
      const bytes = Buffer.from(r.bodyBase64 ?? Buffer.from(r.body, 'latin1').toString('base64'), 'base64');
      assert.deepEqual([...bytes.subarray(0, 2)], [0x1f, 0x8b], `${id}: not gzip`);
      const profile = pprof.Profile.decode(zlib.gunzipSync(bytes));
      assert.equal(pprofTotal(profile, 'cpu', 'nanoseconds'), wantTotal, `${id}: total`);
      return profile;
    };
    const p = check(`${mode}.pprofSpanapp`, Number(oracle.spanappMerge.flamegraph.total));
    const fnNames = new Set(p.function.map((f) => p.stringTable.strings[num(f.name)]));
    for (const n of ['main', 'serve', 'handleA', 'handleB', 'parse', 'render', 'query', 'gc']) assert.ok(fnNames.has(n), `pprof lacks ${n}`);
    if (haveCorpus()) check(`${mode}.pprofCheckout`, Number(oracle.checkoutMerge.flamegraph.total));
  });

  test(`${mode} mode: profile query — the flame graph equals the server's, node by node`, () => {
    const spanapp = readFlameFrame(framesOf(`${mode}.queries`, 'flame_spanapp')[0], `${mode} flame_spanapp`);
    assert.equal(spanapp.root.value, Number(oracle.spanappMerge.flamegraph.total));
    assert.equal(spanapp.root.value, known.spanapp);
    comparePaths(spanapp.paths, flamebearerPaths(oracle.spanappMerge.flamegraph), `${mode} flame_spanapp`);
    assert.equal(spanapp.paths.get(['main', 'serve', 'handleB', 'query'].join(SEP)).self, 3 * 400 * MS);
    for (const n of ['total', 'main', 'handleB', 'query']) assert.ok(spanapp.names.includes(n), `enum texts lack ${n}`);
    if (!haveCorpus()) return;
    const frames = framesOf(`${mode}.queries`, 'flame_checkout');
    assert.equal(frames.length, 1);
    const checkout = readFlameFrame(frames[0], `${mode} flame_checkout`);
    const fg = oracle.checkoutMerge.flamegraph;
    assert.equal(checkout.root.value, Number(fg.total));
    comparePaths(checkout.paths, flamebearerPaths(fg), `${mode} flame_checkout`);
    // The function with the largest self time (main.fib in the corpus profile) is a label.
    const top = [...flamebearerPaths(fg)].sort((a, b) => b[1].self - a[1].self)[0][0].split(SEP).pop();
    assert.ok(checkout.names.includes(top), `enum texts lack the top function ${top}`);
    assert.ok(checkout.names.includes('main.fib'), 'enum texts lack main.fib');
  });

  test(`${mode} mode: maxNodes truncates as the server does`, () => {
    // The test's own profiles: totals main 2490, serve 2340, handleB 1290,
    // query 1200, handleA 1050, ... ms; maxNodes 4 keeps the first four and
    // folds gc (under main), handleA (under serve) and handleB's parse into
    // an "other" each.
    const own = readFlameFrame(framesOf(`${mode}.queries`, 'trunc_spanapp')[0], `${mode} trunc_spanapp`);
    comparePaths(own.paths, flamebearerPaths(oracle.spanappTrunc.flamegraph), `${mode} trunc_spanapp`);
    const kept = [...own.paths.keys()].filter((k) => k !== '' && own.paths.get(k).name !== 'other');
    assert.deepEqual(kept.map((k) => k.split(SEP).join(';')).sort(),
      ['main', 'main;serve', 'main;serve;handleB', 'main;serve;handleB;query']);
    const other = (...p) => own.paths.get([...p, 'other'].join(SEP))?.value;
    assert.deepEqual([other('main'), other('main', 'serve'), other('main', 'serve', 'handleB')],
      [3 * 50 * MS, 3 * 350 * MS, 3 * 30 * MS]);
    if (!haveCorpus()) return;
    for (const n of TRUNCATIONS) {
      const where = `${mode} trunc${n}`;
      const t = readFlameFrame(framesOf(`${mode}.queries`, `trunc${n}`)[0], where);
      const fg = oracle[`checkoutTrunc${n}`].flamegraph;
      assert.equal(t.root.value, Number(fg.total), `${where}: root`);
      // Pyroscope's rule keeps the nodes at least as large as the n-th
      // largest: n of them, more only on ties with the n-th.
      const values = [...t.paths].filter(([k, p]) => k !== '' && p.name !== 'other').map(([, p]) => p.value).sort((a, b) => b - a);
      assert.ok(values.length >= n && (values.length === n || values[n - 1] === values[values.length - 1]),
        `${where}: ${values.length} nodes kept: ${values.join(' ')}`);
      assert.ok(t.names.includes('other'), `${where}: nothing folded into "other"`);
      comparePaths(t.paths, flamebearerPaths(fg), where);
    }
    for (const n of DIFF_TRUNCATIONS) {
      const where = `${mode} diff_trunc${n}`;
      const d = readFlameFrame(framesOf(`${mode}.queries`, `diff_trunc${n}`)[0], where, { diff: true });
      assert.equal(d.root.value, 2 * known.corpusCpuTotal, `${where}: left root`);
      assert.equal(d.root.valueRight, known.corpusCpuTotal, `${where}: right root`);
      if (mode === 'storage') {
        // One truncation of the aligned trees, by left + right: the server's Diff.
        comparePaths(d.paths, flamebearerDiffPaths(oracle[`diffTrunc${n}`].flamegraph), where);
      } else {
        // The server truncated each side alone; each side is its flame graph.
        comparePaths(sideOf(d.paths, false), flamebearerPaths(oracle[`checkoutTrunc${n}`].flamegraph), `${where} left`);
        comparePaths(sideOf(d.paths, true), flamebearerPaths(oracle[`paymentsTrunc${n}`].flamegraph), `${where} right`);
      }
    }
  });

  test(`${mode} mode: metrics query — series equal SelectSeries, as CPU cores`, () => {
    checkSeriesFrames(framesOf(`${mode}.queries`, 'metrics_cpu'), oracle.cpuSeries, `${mode} metrics_cpu`,
      { sampleType: 'cpu', unit: 'cores', rate: true });
    // The test's own shop profiles: 5 s and 3 s of CPU in their minutes.
    const shop = framesOf(`${mode}.queries`, 'metrics_cpu').find((f) => f.field.cpu.labels?.service_name === 'shop');
    const sum = shop.field.cpu.values.reduce((a, b) => a + b, 0);
    relClose(sum * STEP_S * 1e9, known.shopProd + known.shopCanary, `${mode} shop series sum`);
  });

  test(`${mode} mode: metrics of a level type (inuse_space) are not rated`, { skip: !haveCorpus() && corpusNote }, () => {
    checkSeriesFrames(framesOf(`${mode}.queries`, 'metrics_heap'), oracle.heapSeries, `${mode} metrics_heap`,
      { sampleType: 'inuse_space', unit: 'bytes', rate: false });
    const pods = framesOf(`${mode}.queries`, 'metrics_heap').map((f) => f.field.inuse_space.labels.pod).sort();
    assert.deepEqual(pods, ['checkout-1', 'checkout-2']);
  });

  test(`${mode} mode: function metrics equal SelectFunctionSeries`, () => {
    for (const [refId, want, knownValues] of [['fn_total', oracle.handleA, known.handleATotal],
      ['fn_self', oracle.parseSelf, known.parseSelf]]) {
      const frames = framesOf(`${mode}.queries`, refId);
      checkSeriesFrames(frames, want, `${mode} ${refId}`, { sampleType: 'cpu', unit: 'cores', rate: true });
      const got = frames.flatMap((f) => f.field.cpu.values).filter((v) => v !== 0).map((v) => Math.round(v * STEP_S * 1e9));
      assert.deepEqual(got.sort((a, b) => a - b), knownValues, `${mode} ${refId}: the function's values per profile`);
    }
  });

  test(`${mode} mode: both — a flame graph frame and series frames`, () => {
    const frames = framesOf(`${mode}.queries`, 'both');
    const flame = readFlameFrame(frames[0], `${mode} both`);
    assert.equal(flame.root.value, Number(oracle.shopMerge.flamegraph.total));
    assert.equal(flame.root.value, known.shopProd + known.shopCanary);
    comparePaths(flame.paths, flamebearerPaths(oracle.shopMerge.flamegraph), `${mode} both`);
    assert.ok(frames.length >= 2, 'no series frames');
    checkSeriesFrames(frames.slice(1), oracle.shopSeries, `${mode} both series`, { sampleType: 'cpu', unit: 'cores', rate: true });
  });

  test(`${mode} mode: diff — left and right roots are the two selections' totals`, () => {
    const frames = framesOf(`${mode}.queries`, 'diff');
    assert.equal(frames.length, 1);
    const d = readFlameFrame(frames[0], `${mode} diff`, { diff: true });
    assert.equal(d.root.value, Number(oracle.shopProd.flamegraph.total));
    assert.equal(d.root.valueRight, Number(oracle.shopCanary.flamegraph.total));
    assert.equal(d.root.value, known.shopProd);
    assert.equal(d.root.valueRight, known.shopCanary);
    const idle = d.paths.get(['main', 'idle'].join(SEP));
    assert.deepEqual([idle.value, idle.valueRight], [800 * MS, 0], 'main;idle only on the left');
    const parse = d.paths.get(['main', 'handle', 'parse'].join(SEP));
    assert.deepEqual([parse.self, parse.selfRight], [1200 * MS, 2000 * MS]);
    if (haveCorpus()) {
      const t = readFlameFrame(framesOf(`${mode}.queries`, 'diff_time')[0], `${mode} diff_time`, { diff: true });
      assert.equal(t.root.value, Number(oracle.checkoutPod1.flamegraph.total));
      assert.equal(t.root.valueRight, Number(oracle.checkoutPod2.flamegraph.total));
      assert.equal(t.root.value, known.corpusCpuTotal);
      assert.equal(t.root.valueRight, known.corpusCpuTotal);
    }
  });

  // Each profile is one "individual" point, however many series its sample
  // labels split it into; the profiles table lists it once too.
  test(`${mode} mode: heatmap — cells equal SelectHeatmap, counts sum to the profiles`, () => {
    const frames = framesOf(`${mode}.queries`, 'heatmap');
    assert.equal(frames.length, 1);
    const h = frames[0];
    assert.equal(h.name, 'heatmap');
    assert.deepEqual([h.meta?.preferredVisualisationType, h.meta?.type], ['heatmap', 'heatmap-cells']);
    expectFields(h, [['xMax', 'time', 'time'], ['yMin', 'float64', 'number'], ['yMax', 'float64', 'number'],
      ['count', 'float64', 'number']], `${mode} heatmap`);
    assert.equal(h.field.yMin.config?.unit, 'ns');
    const want = [];
    for (const s of oracle.heatmap.series || []) {
      for (const slot of s.slots || []) {
        (slot.counts || []).forEach((c, b) => want.push({ x: BigInt(slot.timestamp) * 1_000_000n, yMin: slot.yMin[b], count: Number(c) }));
      }
    }
    assert.equal(h.rows, want.length, `${mode} heatmap rows`);
    want.forEach((w, i) => {
      assert.equal(h.field.xMax.values[i], w.x, `row ${i} xMax`);
      assert.equal(h.field.yMin.values[i], w.yMin, `row ${i} yMin`);
      assert.ok(h.field.yMax.values[i] > h.field.yMin.values[i], `row ${i} yMax <= yMin`);
      assert.equal(h.field.count.values[i], w.count, `row ${i} count`);
    });
    const total = h.field.count.values.reduce((a, b) => a + b, 0);
    assert.equal(total, known.profiles, 'sum of counts vs the profiles this test ingested');
    assert.equal(total, oracle.profiles.profiles.length, 'heatmap points vs listed profiles');
  });

  test(`${mode} mode: profiles — the table equals SelectProfiles`, () => {
    const frames = framesOf(`${mode}.queries`, 'profiles');
    assert.equal(frames.length, 1);
    const p = frames[0];
    assert.equal(p.name, 'profiles');
    assert.equal(p.meta?.preferredVisualisationType, 'table');
    expectFields(p, [['time', 'time', 'time'], ['id', 'utf8', 'string'], ['labels', 'utf8', 'string'],
      ['total', 'int64', 'number']], `${mode} profiles`);
    assert.equal(p.field.total.config?.unit, 'ns');
    const link = p.field.id.config?.links?.[0]?.internal;
    assert.equal(link?.datasourceUid, settings[mode].uid, 'the id links back to this datasource');
    assert.equal(link?.query?.queryType, 'profile');
    const want = oracle.profiles.profiles;
    assert.equal(p.rows, want.length);
    assert.equal(p.rows, known.profiles);
    want.forEach((w, i) => {
      assert.equal(p.field.id.values[i], w.id, `row ${i} id`);
      assert.equal(num(p.field.total.values[i]), Number(w.total), `row ${i} total`);
      assert.equal(p.field.time.values[i], BigInt(w.timestamp) * 1_000_000n, `row ${i} time`);
      const text = Object.entries(publicLabels(w.labels)).map(([k, v]) => `${k}=${v}`).sort().join(', ');
      assert.equal(p.field.labels.values[i].split(', ').sort().join(', '), text, `row ${i} labels`);
    });
    const spanapp = want.filter((w) => labelsObject(w.labels).service_name === 'spanapp').map((w) => Number(w.total)).sort((a, b) => a - b);
    assert.deepEqual(spanapp, [830 * MS, 1660 * MS], 'spanapp profiles listed once each, with their whole totals');
  });

  test(`${mode} mode: span query — the spans' own samples`, () => {
    const one = readFlameFrame(framesOf(`${mode}.queries`, 'span')[0], `${mode} span`);
    assert.equal(one.root.value, Number(oracle.spanA1.flamegraph.total));
    assert.equal(one.root.value, known.spanA1);
    comparePaths(one.paths, flamebearerPaths(oracle.spanA1.flamegraph), `${mode} span`);
    assert.ok(!one.names.includes('handleB'), 'span a1 shows handleB');
    const two = readFlameFrame(framesOf(`${mode}.queries`, 'span2')[0], `${mode} span2`);
    assert.equal(two.root.value, Number(oracle.spanA1A2.flamegraph.total));
    assert.equal(two.root.value, known.spanA1A2);
  });

  test(`${mode} mode: bad queries fail one by one with their own errors`, () => {
    const bad = responseOf(`${mode}.badJson`, 'bad_json');
    assert.match(bad.error, /not valid JSON/);
    assert.equal(bad.status, 400);
    assert.equal(bad.errorSource, 'downstream');
    assert.equal((bad.frames || []).length, 0);
    const want = {
      unknown_type: /unknown query type "flamechart"/,
      bad_selector: /service_name|regex|selector/,
      empty_range: /time range is empty/,
      no_type: /profileTypeId is required/,
      diff_no_right: /needs a right side/,
      bad_field: /maxNodes/,
    };
    for (const [refId, re] of Object.entries(want)) {
      const r = responseOf(`${mode}.errors`, refId);
      assert.match(r.error || '', re, `${refId}: ${r.error}`);
      assert.equal(r.status, 400, `${refId}: status (${r.error})`);
      assert.equal(r.errorSource, 'downstream', `${refId}: errorSource`);
      assert.equal((r.frames || []).length, 0, `${refId}: frames beside an error`);
    }
  });
}

test('unreachable server: per-query errors from downstream, CheckHealth ERROR naming the URL', () => {
  const url = settings.down.url;
  const h = call('down.health').health;
  assert.equal(h.status, 'ERROR');
  assert.ok(h.message.includes(url), `health message ${JSON.stringify(h.message)} does not name ${url}`);
  for (const refId of ['probe', 'probe_metrics']) {
    const r = responseOf('down.queries', refId);
    assert.ok(r.error.includes(url), `${refId}: ${r.error}`);
    assert.match(r.error, /unreachable/);
    assert.equal(r.errorSource, 'downstream');
    assert.equal(r.status, 502);
  }
  const res = call('down.resource').resource;
  assert.equal(res.code, 502);
  assert.ok(JSON.parse(res.body).error.includes(url), res.body);
});

test('storage mode on a missing directory: CheckHealth ERROR, resources 500, queries fail', () => {
  const dir = settings.missing.jsonData.storagePath;
  const h = call('missing.health').health;
  assert.equal(h.status, 'ERROR');
  assert.ok(h.message.includes(dir), `health message ${JSON.stringify(h.message)} does not name ${dir}`);
  const res = call('missing.resource').resource;
  assert.equal(res.code, 500);
  assert.ok(JSON.parse(res.body).error.includes(dir), res.body);
  const q = responseOf('missing.queries', 'probe');
  assert.ok(q.error.includes(dir), q.error);
  assert.equal((q.frames || []).length, 0);
});

test('after every error the same plugin process still answers', () => {
  for (const mode of MODES) {
    const f = readFlameFrame(framesOf(`${mode}.after`, 'probe')[0], `${mode} after`);
    assert.equal(f.root.value, known.spanapp);
  }
  assert.equal(call('server.healthAfter').health.status, 'OK');
  const text = call('metrics').metrics.prometheus;
  assert.match(text, /kiln_plugin_queries_total\{type="profile",outcome="ok"\} \d+/);
  assert.match(text, /kiln_plugin_queries_total\{type="invalid",outcome="error"\} \d+/);
  assert.match(text, /kiln_plugin_health_checks_total\{outcome="error"\} [1-9]/);
});

test('storage mode sees profiles ingested while it is open', async () => {
  assert.ok(lateIngest, `the plugin never logged the marker query ${LATE_MARKER}`);
  await lateIngest;
  const before = framesOf('storage.lateBefore', 'late');
  const beforeTotal = before.length ? readFlameFrame(before[0], 'lateBefore').root.value : 0;
  assert.equal(beforeTotal, 0, 'the late profile was there before it was ingested');
  for (const mode of MODES) {
    const f = readFlameFrame(framesOf(`${mode}.lateAfter`, 'late')[0], `${mode} lateAfter`);
    assert.equal(f.root.value, 7 * 10 * MS, `${mode}: the late profile (7 samples at 100 Hz)`);
  }
});

test('the plugin logged no errors of its own and shut down cleanly', () => {
  const errors = (result.pluginLog || []).filter((l) => l['@level'] === 'error');
  assert.deepEqual(errors, [], 'plugin error logs');
  const s = result.shutdown;
  assert.equal(s.exitedCleanly, true, JSON.stringify(s));
  assert.equal(s.killed, false);
  assert.ok(s.exitMs >= 0 && s.exitMs < 2000, `exitMs ${s.exitMs}`);
});

test('kiln server stops on SIGTERM with exit 0', async () => {
  const exit = await server.stop();
  assert.deepEqual(exit, { code: 0, signal: null }, server.log.slice(-2000));
});
