// The Pyroscope Node SDK (@pyroscope/nodejs, a real client from npm)
// profiling a small Node program (node_workload.cjs) and pushing to a real
// `kiln server`; the Connect API then answers with its wall and heap
// profile types, its labels, and flame graphs holding the program's own
// function names.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KilnServer } from '../node/kiln_server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const KILN = process.env.KILN_BIN;
if (!KILN || !fs.existsSync(KILN)) throw new Error(`KILN_BIN=${KILN} does not exist; build kiln first`);
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-node-sdk-'));
const SERVICE = 'kiln-node-sdk';

let server;
let range;

before(async () => {
  server = new KilnServer(KILN, path.join(WORK, 'data'), path.join(WORK, 'kiln-server.log'));
  await server.start();
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(here, 'node_workload.cjs')], {
    env: { ...process.env, KILN_URL: server.url, KILN_NODE_MODULES: path.join(here, '..', 'node', 'node_modules') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const s of [child.stdout, child.stderr]) s.on('data', (d) => { output += d.toString(); });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, `the profiled program failed:\n${output}`);
  range = { start: String(started - 60_000), end: String(Date.now() + 60_000) };
});

after(async () => {
  if (server) {
    const exit = await server.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, `kiln server exit:\n${server.log}`);
  }
  fs.rmSync(WORK, { recursive: true, force: true });
});

// Frame names of a flame graph answer.
function namesOf(flamegraph) {
  const names = new Set();
  for (const level of flamegraph.levels || []) {
    const v = (level.values || []).map(Number);
    for (let i = 0; i + 3 < v.length; i += 4) names.add(flamegraph.names[v[i + 3]]);
  }
  return names;
}

async function typesOfService() {
  const { profileTypes = [] } = await server.connect('querier.v1.QuerierService/ProfileTypes', range);
  return profileTypes.filter(Boolean);
}

test('the SDK pushed wall and heap profiles that kiln server lists', async () => {
  const types = (await typesOfService()).map((t) => `${t.sampleType}/${t.sampleUnit}`);
  assert.ok(types.includes('wall/nanoseconds'), `profile types: ${types}`);
  assert.ok(types.includes('inuse_space/bytes'), `profile types: ${types}`);
  const services = await server.connect('querier.v1.QuerierService/LabelValues', { name: 'service_name', ...range });
  assert.ok(services.names.includes(SERVICE), JSON.stringify(services));
  const names = await server.connect('querier.v1.QuerierService/LabelNames',
    { matchers: [`{service_name="${SERVICE}"}`], ...range });
  assert.ok(names.names.includes('region'), JSON.stringify(names));
  const region = await server.connect('querier.v1.QuerierService/LabelValues',
    { name: 'region', matchers: [`{service_name="${SERVICE}"}`], ...range });
  assert.deepEqual(region.names, ['local']);
});

test('the wall flame graph holds the program\'s own functions', async () => {
  const wall = (await typesOfService()).find((t) => t.sampleType === 'wall');
  const answer = await server.connect('querier.v1.QuerierService/SelectMergeStacktraces',
    { profileTypeID: wall.ID, labelSelector: `{service_name="${SERVICE}"}`, ...range });
  const fg = answer.flamegraph;
  assert.ok(Number(fg.total) > 0, JSON.stringify(answer).slice(0, 300));
  const names = namesOf(fg);
  assert.ok([...names].some((n) => n.includes('kilnBusyFibonacci')), `no kilnBusyFibonacci among ${[...names].slice(0, 40)}`);
  // The series over the same range adds up to the flame graph's total.
  const series = await server.connect('querier.v1.QuerierService/SelectSeries',
    { profileTypeID: wall.ID, labelSelector: `{service_name="${SERVICE}"}`, step: 3600, ...range });
  const sum = series.series.flatMap((s) => s.points).reduce((a, p) => a + p.value, 0);
  assert.equal(sum, Number(fg.total));
});

test('the heap flame graph holds the allocating function', async () => {
  const heap = (await typesOfService()).find((t) => t.sampleType === 'inuse_space');
  const answer = await server.connect('querier.v1.QuerierService/SelectMergeStacktraces',
    { profileTypeID: heap.ID, labelSelector: `{service_name="${SERVICE}"}`, ...range });
  assert.ok(Number(answer.flamegraph.total) > 0);
  const names = namesOf(answer.flamegraph);
  assert.ok([...names].some((n) => n.includes('kilnAllocateBuffers')), `no kilnAllocateBuffers among ${[...names].slice(0, 40)}`);
});
