// Shared by the tests that run Kiln's Grafana backend plugin (gpx_kiln) for
// real, plugin_e2e.test.mjs and tests/dashboards/dashboards.test.mjs: pprof
// fixtures (written with npm pprof-format, or corpus files re-timed), the
// plugin run under the Grafana stand-in host (tests/plugin_host), and the
// Arrow frames it answers decoded by npm apache-arrow. The kiln server they
// query is tests/node/kiln_server.mjs.
//
// The npm packages come from tests/node (scripts/install-npm-deps).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const sourceDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// The decoders live in tests/node (scripts/install-npm-deps installs them there).
const requireNode = createRequire(path.join(sourceDir, 'tests', 'node', 'package.json'));
export const arrow = requireNode('apache-arrow');
export const pprof = requireNode('pprof-format');

// An environment variable naming a file that must exist (a test's
// CMakeLists.txt passes it).
export function requiredEnv(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (the test's CMakeLists.txt passes it)`);
  if (!fs.existsSync(v)) throw new Error(`${name}=${v} does not exist; build it first`);
  return v;
}

// ---------------------------------------------------------------- helpers

export const num = (v) => (typeof v === 'bigint' ? Number(v) : typeof v === 'string' ? Number(v) : v);

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------- pprof fixtures

// A CPU pprof (cpu/nanoseconds) from root-first stacks, each sample with its
// own string labels.
export function writeCpuPprof({ timeMs, samples }) {
  const strings = new pprof.StringTable();
  const functions = [];
  const locations = [];
  const ids = new Map();
  const locationOf = (name) => {
    if (!ids.has(name)) {
      const id = ids.size + 1;
      ids.set(name, id);
      functions.push(new pprof.Function({ id, name: strings.dedup(name), systemName: strings.dedup(name),
        filename: strings.dedup('spanapp/main.go') }));
      locations.push(new pprof.Location({ id, line: [new pprof.Line({ functionId: id, line: 10 + id })] }));
    }
    return ids.get(name);
  };
  const sample = samples.map(({ stack, value, labels = {} }) => new pprof.Sample({
    locationId: [...stack].reverse().map(locationOf), // leaf first
    value: [value],
    label: Object.entries(labels).map(([k, v]) => new pprof.Label({ key: strings.dedup(k), str: strings.dedup(v) })),
  }));
  const cpu = strings.dedup('cpu');
  const ns = strings.dedup('nanoseconds');
  const profile = new pprof.Profile({
    sampleType: [new pprof.ValueType({ type: cpu, unit: ns })],
    periodType: new pprof.ValueType({ type: cpu, unit: ns }),
    period: 10_000_000,
    timeNanos: BigInt(timeMs) * 1_000_000n,
    durationNanos: 10_000_000_000n,
    sample,
    location: locations,
    function: functions,
    stringTable: strings,
  });
  return Buffer.from(profile.encode());
}

// A corpus pprof re-timed to |timeMs| (its own time_nanos is the profile's time).
export function retimedPprof(file, timeMs) {
  const profile = pprof.Profile.decode(zlib.gunzipSync(fs.readFileSync(file)));
  profile.timeNanos = BigInt(timeMs) * 1_000_000n;
  return Buffer.from(profile.encode());
}

// Total of one sample type in a decoded pprof.
export function pprofTotal(profile, type, unit) {
  const s = profile.stringTable.strings;
  const index = profile.sampleType.findIndex((t) => s[num(t.type)] === type && s[num(t.unit)] === unit);
  assert.ok(index >= 0, `pprof has no sample type ${type}/${unit}: ${profile.sampleType.map((t) => s[num(t.type)]).join(',')}`);
  return profile.sample.reduce((sum, x) => sum + num(x.value[index]), 0);
}

// ---------------------------------------------------------------- Arrow frames

function fieldValues(vector, type) {
  if (type.typeId === arrow.Type.Timestamp) {
    // get() gives milliseconds as a double; the raw int64s are the nanoseconds.
    const out = [];
    for (const d of vector.data) for (let i = 0; i < d.length; i++) out.push(d.values[d.offset + i]);
    return out;
  }
  const out = [];
  for (let i = 0; i < vector.length; i++) out.push(vector.get(i));
  return out;
}

export function decodeFrame(base64) {
  const table = arrow.tableFromIPC(Buffer.from(base64, 'base64'));
  const md = table.schema.metadata;
  const frame = {
    name: md.get('name'),
    refId: md.get('refId'),
    meta: md.has('meta') ? JSON.parse(md.get('meta')) : null,
    rows: table.numRows,
    fields: [],
    field: {},
  };
  table.schema.fields.forEach((f, i) => {
    const field = {
      name: f.name,
      type: f.type,
      tstype: f.metadata.get('tstype'),
      config: f.metadata.has('config') ? JSON.parse(f.metadata.get('config')) : null,
      labels: f.metadata.has('labels') ? JSON.parse(f.metadata.get('labels')) : null,
      values: fieldValues(table.getChildAt(i), f.type),
    };
    assert.equal(field.values.length, table.numRows, `field ${f.name}: column length`);
    frame.fields.push(field);
    frame.field[f.name] = field;
  });
  return frame;
}

export function expectFieldType(field, want, where) {
  const t = field.type;
  switch (want) {
    case 'int64': assert.ok(t.typeId === arrow.Type.Int && t.bitWidth === 64 && t.isSigned, `${where}: ${field.name} is not int64`); break;
    case 'uint16': assert.ok(t.typeId === arrow.Type.Int && t.bitWidth === 16 && !t.isSigned, `${where}: ${field.name} is not uint16`); break;
    case 'float64': assert.ok(t.typeId === arrow.Type.Float && t.precision === arrow.Precision.DOUBLE, `${where}: ${field.name} is not float64`); break;
    case 'utf8': assert.equal(t.typeId, arrow.Type.Utf8, `${where}: ${field.name} is not utf8`); break;
    case 'time':
      assert.ok(t.typeId === arrow.Type.Timestamp && t.unit === arrow.TimeUnit.NANOSECOND && t.timezone == null,
        `${where}: ${field.name} is not a zone-less nanosecond timestamp`);
      break;
    default: throw new Error(`unknown type ${want}`);
  }
}

// Fields in order, each [name, arrow type, tstype].
export function expectFields(frame, want, where) {
  assert.deepEqual(frame.fields.map((f) => f.name), want.map((w) => w[0]), `${where}: field names`);
  want.forEach(([name, type, tstype]) => {
    expectFieldType(frame.field[name], type, where);
    assert.equal(frame.field[name].tstype, tstype, `${where}: ${name} tstype`);
  });
}

export const SEP = '\u0001';

// The nested-set flame graph frame: checks its shape and the nested-set
// invariants, and returns path → {value, self[, valueRight, selfRight]}.
export function readFlameFrame(frame, where, { diff = false, unit = 'ns' } = {}) {
  assert.equal(frame.name, 'response', `${where}: frame name`);
  assert.equal(frame.meta?.preferredVisualisationType, 'flamegraph', `${where}: meta ${JSON.stringify(frame.meta)}`);
  const fields = [['level', 'int64', 'number'], ['value', 'int64', 'number'], ['self', 'int64', 'number'],
    ['label', 'uint16', 'enum']];
  if (diff) fields.push(['valueRight', 'int64', 'number'], ['selfRight', 'int64', 'number']);
  expectFields(frame, fields, where);
  for (const f of ['value', 'self', ...(diff ? ['valueRight', 'selfRight'] : [])]) {
    assert.equal(frame.field[f].config?.unit, unit, `${where}: ${f} unit`);
  }
  const text = frame.field.label.config?.type?.enum?.text;
  assert.ok(Array.isArray(text), `${where}: label has no enum texts: ${JSON.stringify(frame.field.label.config)}`);
  assert.ok(frame.rows > 0, `${where}: no rows`);

  const sides = diff ? [['value', 'self'], ['valueRight', 'selfRight']] : [['value', 'self']];
  const col = (name) => frame.field[name].values.map(num);
  const level = col('level');
  const vals = sides.map(([v, s]) => [col(v), col(s)]);
  const label = frame.field.label.values;
  const paths = new Map();
  const stack = []; // {row, names, childSums}
  const firstUse = [];
  const seen = new Set();
  const close = (entry) => {
    vals.forEach(([v, s], k) => {
      const i = entry.row;
      assert.equal(s[i] + entry.childSums[k], v[i],
        `${where}: row ${i} (${entry.names.join(';') || 'total'}) side ${k}: self ${s[i]} + children ${entry.childSums[k]} != value ${v[i]}`);
    });
  };
  for (let i = 0; i < frame.rows; i++) {
    assert.ok(label[i] >= 0 && label[i] < text.length, `${where}: row ${i} label index ${label[i]} outside the enum`);
    const name = text[label[i]];
    if (!seen.has(label[i])) { seen.add(label[i]); firstUse.push(label[i]); }
    if (i === 0) {
      assert.equal(level[0], 0, `${where}: the first row is not the root`);
    } else {
      assert.ok(level[i] >= 1 && level[i] <= level[i - 1] + 1,
        `${where}: row ${i} level ${level[i]} after level ${level[i - 1]} is not pre-order`);
    }
    vals.forEach(([v, s], k) => {
      assert.ok(s[i] >= 0 && v[i] >= s[i], `${where}: row ${i} side ${k}: value ${v[i]} < self ${s[i]}`);
    });
    while (stack.length > level[i]) close(stack.pop());
    if (stack.length > 0) {
      const parent = stack[stack.length - 1];
      vals.forEach(([v], k) => { parent.childSums[k] += v[i]; });
    }
    const names = i === 0 ? [] : [...stack[stack.length - 1].names, name];
    const key = names.join(SEP);
    assert.ok(!paths.has(key), `${where}: two rows for the path ${names.join(';')} (siblings with one name)`);
    const entry = { value: vals[0][0][i], self: vals[0][1][i], name };
    if (diff) { entry.valueRight = vals[1][0][i]; entry.selfRight = vals[1][1][i]; }
    paths.set(key, entry);
    stack.push({ row: i, names, childSums: sides.map(() => 0) });
  }
  while (stack.length) close(stack.pop());
  // Enum texts are exactly the names rows use, in first-use order.
  assert.deepEqual(firstUse, text.map((_, k) => k), `${where}: enum texts are not in first-use order or unused`);
  return { paths, root: paths.get(''), names: text, rows: frame.rows };
}

// ---------------------------------------------------------------- plugin host

// Runs |script| (tests/plugin_host/README.md) with the plugin binary
// |plugin| under the host binary |host|; the script, result and host log are
// kept in |workDir| as <name>.*. |onOutput| sees the host's stderr as it
// comes (-v: the host's log, with the plugin's own log lines re-logged in it).
export async function runHost({ host, plugin, workDir }, script, name, onOutput = () => {}) {
  const scriptPath = path.join(workDir, `${name}.script.json`);
  const outPath = path.join(workDir, `${name}.result.json`);
  fs.writeFileSync(scriptPath, JSON.stringify(script, null, 1));
  const child = spawn(host, ['-plugin', plugin, '-script', scriptPath, '-out', outPath, '-start-timeout', '20s', '-v'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stdout.on('data', (d) => { stderr += d.toString(); });
  child.stderr.on('data', (d) => { stderr += d.toString(); onOutput(stderr); });
  const timer = setTimeout(() => child.kill('SIGKILL'), 45000);
  const code = await new Promise((resolve) => child.on('exit', (c, s) => resolve(c ?? s)));
  clearTimeout(timer);
  fs.writeFileSync(path.join(workDir, `${name}.host.log`), stderr);
  if (code !== 0) throw new Error(`kiln-plugin-host exited ${code}:\n${stderr.slice(-4000)}`);
  return JSON.parse(fs.readFileSync(outPath, 'utf8'));
}
