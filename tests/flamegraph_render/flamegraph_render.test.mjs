// Grafana's own flame graph component (@grafana/flamegraph) draws the flame
// graph frames Kiln's Grafana plugin produces, in headless Chromium.
//
// A real `kiln server` (temporary data dir) is fed a collapsed-stack profile
// this test writes (service "web": main;serve;handle;render_page has most of
// the weight) and, when the corpus is there, the corpus Go CPU profile
// (service "corpusgo"; `go tool pprof -top` of it is in the corpus oracles).
// The plugin (gpx_kiln) runs under the Grafana stand-in host
// (tests/plugin_host) and answers `profile` queries with Arrow frames. Each
// frame is decoded with npm apache-arrow into the DataFrameJSON Grafana's
// server hands its frontend, and a page bundled from src/render.tsx turns it
// into a DataFrame with @grafana/data and renders <FlameGraph> in it
// (light theme for "web", dark for the Go profile).
//
// Checked, on the screenshot of the flame graph canvas (decoded with pngjs):
// every level of the graph has bars whose coloured width matches the frame's
// values at that level (Grafana draws a node `value/total` of the canvas
// wide, 22 px per level at device pixel ratio 1, and grey below 10 px); in the
// DOM: the top table's first row (sorted by self) is the expected top function
// (render_page; main.fib per `go tool pprof -top`), and hovering the
// render_page bar where the frame puts it shows its tooltip with its share of
// the total. An empty selection's frame draws no bars, and the same bar check
// says so (the check can fail). No page errors, no console errors.
//
// The canvas screenshots are kept: flamegraph.png ("web", light) and
// flamegraph-go-dark.png, with whole-page screenshots beside them, in
// KILN_FLAMEGRAPH_OUT_DIR; the server's data and log and the host's script,
// result and log in KILN_TEST_WORK_DIR (default: OUT_DIR/work).
//
//   KILN_BIN=build/bin/kiln KILN_PLUGIN_BINARY=build/bin/gpx_kiln_linux_amd64 \
//   KILN_PLUGIN_HOST=build/plugin_host/bin/kiln-plugin-host KILN_CORPUS_DIR=../shared/corpus \
//   KILN_FLAMEGRAPH_OUT_DIR=/tmp/fg node --test tests/flamegraph_render/flamegraph_render.test.mjs
// (run_flamegraph_render_test.sh installs the npm packages first: this
// directory's and tests/node's.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import { KilnServer } from '../node/kiln_server.mjs';
import { decodeFrame, num, requiredEnv, retimedPprof, runHost } from '../plugin_e2e/harness.mjs';
import { buildPage } from './build_page.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
// This directory's packages (the browser side); the decoders (apache-arrow,
// pprof-format) come from tests/node through the harness.
const requireHere = createRequire(path.join(here, 'package.json'));
const { PNG } = requireHere('pngjs');
const { chromium } = requireHere('playwright-core');

const KILN = requiredEnv('KILN_BIN');
const PLUGIN = requiredEnv('KILN_PLUGIN_BINARY');
const HOST = requiredEnv('KILN_PLUGIN_HOST');
const CHROMIUM = process.env.KILN_CHROMIUM || '/usr/bin/chromium';
const CORPUS = process.env.KILN_CORPUS_DIR || '';
const OUT = process.env.KILN_FLAMEGRAPH_OUT_DIR || fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-flamegraph-'));
const WORK = process.env.KILN_TEST_WORK_DIR || path.join(OUT, 'work');
fs.mkdirSync(WORK, { recursive: true });

const CPU = 'process_cpu:cpu:nanoseconds:cpu:nanoseconds';
const MS = 1_000_000; // ns per ms

// How Grafana's flame graph draws, at device pixel ratio 1
// (@grafana/flamegraph constants.ts and rendering.ts): one level is 22 px
// high; a node is value/total of the canvas wide; nodes up to 10 px wide are
// filled grey ("muted"), wider ones in a colour, with a white 1 px border.
const PIXELS_PER_LEVEL = 22;
const MUTE_THRESHOLD = 10;
const VIEWPORT = { width: 1400, height: 900 };

// The "web" profile: collapsed stacks at 100 Hz (one count = 10 ms of CPU).
const WEB_STACKS = [
  ['main;serve;handle;render_page', 600],
  ['main;serve;handle;parse_request', 150],
  ['main;serve;handle;write_response', 90],
  ['main;serve;accept', 40],
  ['main;gc', 80],
  ['main;init;load_config', 20],
];


// The function with the most self weight in collapsed stacks, its self and
// total counts, and the total of all stacks.
function topSelfOfStacks(stacks) {
  const self = new Map();
  for (const [stack, count] of stacks) {
    const leaf = stack.split(';').at(-1);
    self.set(leaf, (self.get(leaf) || 0) + count);
  }
  const [name, count] = [...self].sort((a, b) => b[1] - a[1])[0];
  return { name, self: count, total: stacks.reduce((s, [, c]) => s + c, 0) };
}

// The functions `go tool pprof -top` lists first, most flat weight first,
// up to |most| and before the first tie (ties may come in either order).
function topFlatOfPprofTop(text, where, most) {
  const lines = text.split('\n');
  const header = lines.findIndex((l) => /^\s*flat\s+flat%\s+sum%\s+cum\s+cum%/.test(l));
  assert.ok(header >= 0, `${where}: no "flat flat% sum% cum cum%" header`);
  const rows = [];
  for (const line of lines.slice(header + 1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 6) break;
    rows.push({ flat: fields[0], name: fields.slice(5).join(' ').replace(/ \(inline\)$/, '') });
  }
  assert.ok(rows.length > 0, `${where}: no rows under the header`);
  const seconds = (v) => Number.parseFloat(v) * ({ ms: 1e-3, s: 1, mins: 60, hrs: 3600 }[v.replace(/^[\d.]+/, '')] ?? NaN);
  const out = [rows[0].name];
  for (let i = 1; i < Math.min(rows.length, most) && seconds(rows[i].flat) < seconds(rows[i - 1].flat); i++) out.push(rows[i].name);
  return out;
}

// ---------------------------------------------------------------- frames

// One Arrow frame (base64 IPC, as the host reports it) as the DataFrameJSON
// Grafana's server sends its frontend for it: field types from the fields'
// `tstype` metadata, config and labels from theirs, int64 values as numbers.
function frameJsonOfArrow(base64) {
  const frame = decodeFrame(base64);
  return {
    schema: {
      refId: frame.refId,
      name: frame.name,
      ...(frame.meta ? { meta: frame.meta } : {}),
      fields: frame.fields.map((f) => ({
        name: f.name,
        type: f.tstype,
        ...(f.config ? { config: f.config } : {}),
        ...(f.labels ? { labels: f.labels } : {}),
      })),
    },
    data: { values: frame.fields.map((f) => f.values.map(num)) },
  };
}

// The nested-set frame as drawn: per row its level, label, value and start
// (in value units, siblings packed left to right in frame order, as
// Grafana's nestedSetToLevels does).
function layoutOfFrame(json) {
  const col = (name) => {
    const i = json.schema.fields.findIndex((f) => f.name === name);
    assert.ok(i >= 0, `frame has no field ${name}: ${json.schema.fields.map((f) => f.name).join(',')}`);
    return json.data.values[i];
  };
  const level = col('level');
  const value = col('value');
  const label = col('label');
  const text = json.schema.fields.find((f) => f.name === 'label').config?.type?.enum?.text || [];
  const rows = [];
  const stack = []; // per level: {next: start of the next child}
  for (let i = 0; i < level.length; i++) {
    stack.length = level[i];
    const start = level[i] === 0 ? 0 : stack[level[i] - 1].next;
    if (level[i] > 0) stack[level[i] - 1].next += value[i];
    stack.push({ next: start });
    rows.push({ level: level[i], name: text[label[i]], value: value[i], start });
  }
  return { rows, total: rows.length ? rows[0].value : 0, depth: rows.reduce((d, r) => Math.max(d, r.level + 1), 0) };
}

// ---------------------------------------------------------------- the picture

function isBarPixel(png, x, y) {
  const i = (y * png.width + x) * 4;
  const [r, g, b] = [png.data[i], png.data[i + 1], png.data[i + 2]];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  // Grafana's bar colours are bright hues (brightest channel >= 180,
  // saturation >= 0.15 even brightened for the light theme); the
  // backgrounds, the muted grey (dark theme: 57,61,71), the white borders and
  // the #222 label text are not.
  return max >= 110 && (max - min) / max >= 0.08;
}

function rgbAt(png, x, y) {
  const i = (y * png.width + x) * 4;
  return [png.data[i], png.data[i + 1], png.data[i + 2]];
}

// Whether a bar edge near |e| shows in row |y|: a pixel within |edge| of it
// that is no bar colour (background), or that differs from the colours on
// both sides (Grafana's white border between two bars, blended by
// anti-aliasing into a paler tint of them, even when both bars have one
// colour).
function hasBorder(png, e, y, edge) {
  const left = rgbAt(png, e - edge - 1, y);
  const right = rgbAt(png, e + edge + 1, y);
  const differs = (a, b) => Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]) > 30;
  for (let x = e - edge; x <= e + edge; x++) {
    if (!isBarPixel(png, x, y)) return true;
    const c = rgbAt(png, x, y);
    if (differs(c, left) && differs(c, right)) return true;
  }
  return false;
}

// Compares the canvas screenshot with the frame, level by level and pixel
// column by column: where the frame puts a node wider than 10 px the row
// must be bar-coloured, elsewhere it must not (2 px either side of each
// bar edge are not judged: borders and anti-aliasing), and at each edge of
// such a node there must be a border, so that neighbours drawn over one
// another or in another order show. Returns the problems found (none = the
// picture draws the frame).
function barProblems(png, layout, width) {
  if (!png) return ['no flame graph canvas was drawn'];
  if (layout.total <= 0) return [`the frame's total is ${layout.total}: nothing to draw`];
  const problems = [];
  const perTick = width / layout.total;
  const EDGE = 2;
  for (let level = 0; level < layout.depth; level++) {
    const y = level * PIXELS_PER_LEVEL + 3; // above the label text
    if (y >= png.height) {
      problems.push(`level ${level}: the canvas is only ${png.height} px high`);
      continue;
    }
    // 1 = a bar, 0 = no bar, -1 = not judged.
    const want = new Int8Array(png.width);
    const nodes = layout.rows.filter((r) => r.level === level && r.value * perTick >= 1);
    for (const r of nodes) {
      const x0 = r.start * perTick;
      const x1 = (r.start + r.value) * perTick;
      const bar = x1 - x0 > MUTE_THRESHOLD;
      for (let x = Math.max(0, Math.floor(x0 - EDGE)); x < Math.min(png.width, Math.ceil(x1 + EDGE)); x++) {
        const inside = x >= x0 + EDGE && x + 1 <= x1 - EDGE;
        if (bar && inside) want[x] = 1;
        else if (want[x] !== 1) want[x] = -1;
      }
    }
    let missing = 0;
    let extra = 0;
    for (let x = 0; x < png.width; x++) {
      if (want[x] < 0) continue;
      const got = isBarPixel(png, x, y);
      if (want[x] === 1 && !got) missing++;
      if (want[x] === 0 && got) extra++;
    }
    if (missing + extra > 0) {
      problems.push(`level ${level}: ${missing} px with no bar where the frame has one, ${extra} px of bar where it has none`);
    }
    const edges = [...new Set(nodes.filter((r) => r.value * perTick > MUTE_THRESHOLD)
      .flatMap((r) => [r.start * perTick, (r.start + r.value) * perTick])
      .map(Math.round).filter((x) => x > EDGE && x < png.width - EDGE - 1))];
    const noBorder = edges.filter((e) => !hasBorder(png, e, y, EDGE));
    if (noBorder.length) problems.push(`level ${level}: no border between bars at x = ${noBorder.join(', ')}`);
  }
  return problems;
}

function barPixelCount(png) {
  let n = 0;
  for (let y = 0; y < png.height; y++) for (let x = 0; x < png.width; x++) if (isBarPixel(png, x, y)) n++;
  return n;
}

// ---------------------------------------------------------------- the browser

const ICONS_URL = '/public/build/img/icons/';
const ICONS_DIR = path.join(here, 'node_modules', '@grafana', 'ui', 'dist', 'public', 'img', 'icons');
const ORIGIN = 'http://flamegraph.kiln.test';
const problemsInPage = [];   // page errors and console errors
const iconsNotShipped = new Set(); // icons Grafana's app serves but @grafana/ui does not ship

async function openPage(browser, page) {
  const tab = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  tab.on('pageerror', (e) => problemsInPage.push(`page error: ${e.message}`));
  tab.on('console', (m) => {
    if (m.type() !== 'error') return;
    const url = m.location()?.url || '';
    if (/Failed to load resource/.test(m.text()) && iconsNotShipped.has(new URL(url, ORIGIN).pathname)) return;
    problemsInPage.push(`console error: ${m.text()} ${url}`);
  });
  // The page, its bundle and Grafana's icons from a made-up origin, so the
  // page has one (Grafana's code uses localStorage); nothing goes out.
  await tab.route(`${ORIGIN}/**`, (route) => {
    const p = new URL(route.request().url()).pathname;
    if (p === '/') {
      return route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html><head><meta charset="utf-8">
${page.css ? '<link rel="stylesheet" href="/render.css">' : ''}
<script>window.grafanaBootData = { assets: { dark: '', light: '' }, settings: {}, user: {}, navTree: [] };</script>
</head><body><div id="root"></div><script src="/render.js"></script></body></html>`,
      });
    }
    if (p === '/render.js') return route.fulfill({ path: page.js, contentType: 'text/javascript' });
    if (p === '/render.css' && page.css) return route.fulfill({ path: page.css, contentType: 'text/css' });
    if (p.startsWith(ICONS_URL)) {
      const file = path.join(ICONS_DIR, path.normalize(p.slice(ICONS_URL.length)));
      if (file.startsWith(ICONS_DIR) && fs.existsSync(file)) return route.fulfill({ path: file, contentType: 'image/svg+xml' });
      iconsNotShipped.add(p);
    } else {
      problemsInPage.push(`the page asked for ${p}`);
    }
    return route.fulfill({ status: 404, body: 'not here' });
  });
  await tab.goto(`${ORIGIN}/`);
  return tab;
}

// Renders one frame; returns the component's verdict on the fields, the
// decoded canvas screenshot (null if no canvas was drawn) and the canvas's
// place on the page.
async function renderFrame(tab, json, theme, name) {
  const result = await tab.evaluate(([j, o]) => window.kilnFlameGraph.render(j, o),
    [json, { theme, width: VIEWPORT.width, height: VIEWPORT.height }]);
  await tab.screenshot({ path: path.join(OUT, `${name}-page.png`) });
  const canvas = tab.locator('canvas[data-testid="flameGraph"]');
  const box = (await canvas.count()) ? await canvas.boundingBox() : null;
  let png = null;
  if (box && box.width > 0 && box.height > 0) {
    // The canvas sits at a fractional y below the header; Chromium draws it
    // snapped to whole pixels, so clip exactly its size at the rounded spot.
    const clip = { x: Math.round(box.x), y: Math.round(box.y), width: Math.round(box.width), height: Math.round(box.height) };
    const bytes = await tab.screenshot({ path: path.join(OUT, `${name}.png`), clip });
    png = PNG.sync.read(bytes);
  }
  return { ...result, png, box };
}

// The symbols of the top table's rows, top to bottom (it sorts by self).
async function topTableSymbols(tab) {
  return tab.evaluate(() => [...document.querySelectorAll('[data-testid="topTable"] [role="row"]')]
    .slice(1).map((r) => r.innerText.split('\n')[0].trim()));
}

// ---------------------------------------------------------------- the run

let server;
let browser;
let launching; // chromium starting (kept to close it if setup fails half way)
let page;      // the built bundle
const frames = {}; // refId -> DataFrameJSON
const T = {};
const CORPUS_CPU = path.join(CORPUS, 'pprof/generated-go/cpu.pb.gz');
const CORPUS_TOP = path.join(CORPUS, 'oracles/pprof/generated-go/cpu.pb.gz.go-pprof-top.txt');
const corpusNote = CORPUS && fs.existsSync(CORPUS_CPU) && fs.existsSync(CORPUS_TOP) ? ''
  : `corpus Go CPU profile or its go-pprof-top oracle not found under ${CORPUS || '(KILN_CORPUS_DIR unset)'}`;

before(async () => {
  const started = Date.now();
  const minute = 60000;
  T.from = Math.floor(Date.now() / minute) * minute - 10 * minute;
  T.to = T.from + 10 * minute;
  T.web = T.from + 60000;
  T.go = T.from + 120000;

  const dataDir = path.join(WORK, 'data');
  fs.rmSync(dataDir, { recursive: true, force: true });
  server = new KilnServer(KILN, dataDir, path.join(WORK, 'kiln-server.log'));
  const built = buildPage(path.join(OUT, 'page'));
  launching = chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] }).then((b) => { browser = b; });
  // Awaited below; until then a failure must not count as unhandled.
  built.catch(() => {});
  launching.catch(() => {});
  await server.start();
  const body = WEB_STACKS.map(([s, n]) => `${s} ${n}`).join('\n') + '\n';
  const ingests = [server.ingest(`name=${encodeURIComponent('web.cpu{env=prod}')}&from=${T.web / 1000}&until=${T.web / 1000 + 10}&sampleRate=100`, body)];
  if (!corpusNote) {
    ingests.push(server.ingest(`name=${encodeURIComponent('corpusgo{env=prod}')}&format=pprof`, retimedPprof(CORPUS_CPU, T.go)));
  }
  await Promise.all(ingests);

  const q = (refId, labelSelector) => ({ refId, queryType: 'profile', json: { profileTypeId: CPU, labelSelector },
    from: T.from, to: T.to, intervalMs: 15000, maxDataPoints: 1000 });
  const result = await runHost({ host: HOST, plugin: PLUGIN, workDir: WORK }, {
    settings: { uid: 'kiln', name: 'Kiln', url: server.url, jsonData: { minStep: '15s' }, lastUpdatedMS: 1 },
    calls: [{ id: 'flame', kind: 'queryData', queries: [
      q('web', '{service_name="web"}'),
      q('empty', '{service_name="nobody"}'),
      ...(corpusNote ? [] : [q('go', '{service_name="corpusgo"}')]),
    ] }],
  }, 'flame');
  const responses = result.calls[0].queryData?.responses || {};
  for (const [refId, r] of Object.entries(responses)) {
    assert.equal(r.error || '', '', `${refId}: the plugin answered with an error`);
    frames[refId] = (r.frames || []).map(frameJsonOfArrow);
  }
  page = await built;
  await launching;
  console.log(`# setup (page bundle, chromium, server, seed, plugin under the host): ${Date.now() - started} ms`);
});

after(async () => {
  await launching?.catch(() => {});
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('the plugin answers with one flame graph frame per profile query', () => {
  for (const refId of ['web', ...(corpusNote ? [] : ['go'])]) {
    assert.equal(frames[refId]?.length, 1, `${refId}: frames`);
    const f = frames[refId][0].schema;
    assert.equal(f.meta?.preferredVisualisationType, 'flamegraph', `${refId}: meta`);
    assert.deepEqual(f.fields.map((x) => [x.name, x.type]),
      [['level', 'number'], ['value', 'number'], ['self', 'number'], ['label', 'enum']], `${refId}: fields`);
  }
  // The frame's total is what was ingested (one count = 10 ms).
  const web = layoutOfFrame(frames.web[0]);
  assert.equal(web.total, topSelfOfStacks(WEB_STACKS).total * 10 * MS);
});

test('light theme: Grafana\'s flame graph draws the "web" frame, render_page on top', async (t) => {
  const tab = await openPage(browser, page);
  const json = frames.web[0];
  const r = await renderFrame(tab, json, 'light', 'flamegraph');
  assert.equal(r.fieldProblem, '', 'the component rejected the frame\'s fields');
  assert.equal(r.labelType, 'enum');
  const layout = layoutOfFrame(json);
  assert.deepEqual(barProblems(r.png, layout, r.png?.width), [], 'bars vs frame');
  assert.equal(r.png.height, layout.depth * PIXELS_PER_LEVEL, 'canvas height vs levels');
  assert.equal(r.enumTexts, new Set(layout.rows.map((x) => x.name)).size, 'enum texts the component sees');
  t.diagnostic(`flamegraph.png: ${r.png.width}x${r.png.height}, ${barPixelCount(r.png)} bar pixels`);

  const want = topSelfOfStacks(WEB_STACKS);
  const symbols = await topTableSymbols(tab);
  assert.equal(symbols[0], want.name, `top table rows: ${symbols.join(', ')}`);

  // Hover the render_page bar where the frame puts it: the tooltip names it.
  const node = layout.rows.find((x) => x.name === want.name);
  const perPx = r.png.width / layout.total;
  await tab.mouse.move(r.box.x + (node.start + node.value / 2) * perPx, r.box.y + node.level * PIXELS_PER_LEVEL + 11);
  const tip = tab.getByText('Total:').locator('xpath=ancestor::div[1]');
  await tip.waitFor({ timeout: 5000 });
  const text = await tip.innerText();
  const share = Math.round(1e4 * want.self / want.total) / 100;
  assert.equal(text.split('\n')[0].trim(), want.name, `tooltip: ${text}`);
  assert.ok(text.includes(`(${share}%)`), `tooltip has no (${share}%): ${text}`);
  await tab.close();
});

test('dark theme: the corpus Go CPU profile, main.fib on top as go tool pprof says', { skip: corpusNote || false }, async (t) => {
  const tab = await openPage(browser, page);
  const json = frames.go[0];
  const r = await renderFrame(tab, json, 'dark', 'flamegraph-go-dark');
  assert.equal(r.fieldProblem, '', 'the component rejected the frame\'s fields');
  const layout = layoutOfFrame(json);
  assert.deepEqual(barProblems(r.png, layout, r.png?.width), [], 'bars vs frame');
  assert.equal(r.png.height, layout.depth * PIXELS_PER_LEVEL, 'canvas height vs levels');
  t.diagnostic(`flamegraph-go-dark.png: ${r.png.width}x${r.png.height}, ${layout.rows.length} nodes, ${layout.depth} levels, ${barPixelCount(r.png)} bar pixels`);
  const want = topFlatOfPprofTop(fs.readFileSync(CORPUS_TOP, 'utf8'), CORPUS_TOP, 5);
  const symbols = await topTableSymbols(tab);
  assert.equal(symbols[0], want[0], `top table rows: ${symbols.slice(0, 5).join(', ')}`);
  assert.deepEqual(symbols.slice(0, want.length), want, 'top table vs go tool pprof -top');
  t.diagnostic(`top table: ${symbols.slice(0, want.length).join(', ')} (as go tool pprof -top)`);
  await tab.close();
});

test('an empty selection draws no bars, and the bar check says so', async () => {
  const tab = await openPage(browser, page);
  const json = frames.empty?.[0] ?? { schema: { fields: [] }, data: { values: [] } };
  const r = await renderFrame(tab, json, 'light', 'flamegraph-empty');
  const layout = frames.empty?.length ? layoutOfFrame(json) : { rows: [], total: 0, depth: 0 };
  assert.equal(layout.total, 0, 'the empty selection has a total');
  assert.equal(r.png ? barPixelCount(r.png) : 0, 0, 'bar pixels on an empty flame graph');
  // The check the other tests pass fails here, whichever frame it is given.
  const web = layoutOfFrame(frames.web[0]);
  assert.notDeepEqual(barProblems(r.png, web, VIEWPORT.width), [], 'the bar check passed a picture with no bars');
  assert.notDeepEqual(barProblems(r.png, layout, VIEWPORT.width), []);
  await tab.close();
});

test('no page errors and no console errors', () => {
  if (iconsNotShipped.size) console.log(`# icons @grafana/ui does not ship (Grafana's app serves them): ${[...iconsNotShipped].join(' ')}`);
  assert.deepEqual(problemsInPage, []);
});

test('kiln server stops on SIGTERM with exit 0', async () => {
  assert.deepEqual(await server.stop(), { code: 0, signal: null }, server.log.slice(-2000));
});
