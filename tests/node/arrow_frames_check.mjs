// Decodes the Arrow IPC files Kiln's Grafana plugin writes with an
// independent implementation (npm apache-arrow) and compares them with the
// manifest the writer's sample tool put beside them (kiln_arrow_frame_samples,
// plugin-backend/arrow/arrow_frame_samples.cc): schema and field metadata,
// Arrow types, null counts and every value.
//
// Each file is decoded three ways: as a file (footer → schema, block →
// record batch, what Grafana's Go reader does), as the stream after the
// leading magic (the schema message up front, batches, end-of-stream), and
// through tableFromIPC.
//
//   node arrow_frames_check.mjs DIR    (DIR holds manifest.json and *.arrow)
// Exit status 1 on any mismatch.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  Precision, RecordBatchFileReader, RecordBatchReader, TimeUnit, Type, tableFromIPC,
} from 'apache-arrow';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node arrow_frames_check.mjs DIR');
  process.exit(2);
}

let failures = 0;
let checks = 0;

function show(v) {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number' && Object.is(v, -0)) return '-0';
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? v.slice(0, 80) + '…' : v);
  return String(v);
}

function fail(where, message) {
  failures++;
  if (failures <= 50) console.error(`FAIL ${where}: ${message}`);
}

function expectEq(where, got, want) {
  checks++;
  if (Object.is(got, want)) return;
  if (typeof got === 'string' && typeof want === 'string' && (got.length > 80 || want.length > 80)) {
    let i = 0;
    while (i < got.length && i < want.length && got[i] === want[i]) i++;
    const from = Math.max(0, i - 20);
    fail(where, `strings differ at index ${i}: got …${show(got.slice(from, i + 40))}, want …${show(want.slice(from, i + 40))}`);
    return;
  }
  fail(where, `got ${show(got)}, want ${show(want)}`);
}

function expectTrue(where, cond, message) {
  checks++;
  if (!cond) fail(where, message);
}

// JSON values compared as data, so key order does not matter.
function canonical(v) {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])]));
  }
  return v;
}

function expectJson(where, text, want) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    fail(where, `not JSON (${e.message}): ${show(text)}`);
    return;
  }
  expectEq(where, JSON.stringify(canonical(parsed)), JSON.stringify(canonical(want)));
}

function expectMetadata(where, map, want) {
  const gotKeys = [...map.keys()].sort();
  const wantKeys = Object.keys(want).sort();
  expectEq(`${where} keys`, gotKeys.join(','), wantKeys.join(','));
  for (const [k, v] of Object.entries(want)) {
    if (!map.has(k)) continue;
    if (typeof v === 'function') v(`${where}[${k}]`, map.get(k));
    else expectEq(`${where}[${k}]`, map.get(k), v);
  }
}

function expectType(where, type, want) {
  switch (want) {
    case 'utf8':
      expectEq(`${where} typeId`, type.typeId, Type.Utf8);
      break;
    case 'int64':
    case 'uint16':
      expectEq(`${where} typeId`, type.typeId, Type.Int);
      expectEq(`${where} bitWidth`, type.bitWidth, want === 'int64' ? 64 : 16);
      expectEq(`${where} isSigned`, type.isSigned, want === 'int64');
      break;
    case 'float64':
      expectEq(`${where} typeId`, type.typeId, Type.Float);
      expectEq(`${where} precision`, type.precision, Precision.DOUBLE);
      break;
    case 'bool':
      expectEq(`${where} typeId`, type.typeId, Type.Bool);
      break;
    case 'timestamp_ns':
      expectEq(`${where} typeId`, type.typeId, Type.Timestamp);
      expectEq(`${where} unit`, type.unit, TimeUnit.NANOSECOND);
      expectTrue(`${where} timezone`, type.timezone == null, `timezone ${show(type.timezone)}, want none`);
      break;
    default:
      fail(where, `manifest names unknown type ${show(want)}`);
  }
}

function expectSchema(where, schema, frame) {
  const meta = { name: frame.name, refId: frame.refId };
  if (frame.meta !== null) {
    meta.meta = (w, text) => {
      expectEq(w, text, frame.meta);
      expectJson(`${w} parsed`, text, JSON.parse(frame.meta));
    };
  }
  expectMetadata(`${where} schema metadata`, schema.metadata, meta);
  expectEq(`${where} field count`, schema.fields.length, frame.fields.length);
  frame.fields.forEach((want, j) => {
    const f = schema.fields[j];
    if (!f) return;
    const w = `${where} field ${j} (${want.name})`;
    expectEq(`${w} name`, f.name, want.name);
    expectEq(`${w} nullable`, f.nullable, want.nullable);
    expectType(w, f.type, want.type);
    const fieldMeta = { tstype: want.tstype };
    if (want.labels !== null) fieldMeta.labels = (m, text) => expectJson(m, text, want.labels);
    if (want.config !== null) {
      fieldMeta.config = (m, text) => {
        expectEq(m, text, want.config);
        expectJson(`${m} parsed`, text, JSON.parse(want.config));
      };
    }
    expectMetadata(`${w} metadata`, f.metadata, fieldMeta);
  });
}

function expectValue(where, vector, i, want, type) {
  const got = vector.get(i);
  if (want === null) {
    expectEq(`${where} isValid`, vector.isValid(i), false);
    expectEq(where, got, null);
    return;
  }
  expectEq(`${where} isValid`, vector.isValid(i), true);
  switch (type) {
    case 'utf8':
    case 'bool':
    case 'uint16':
      expectEq(where, got, want);
      break;
    case 'int64':
      expectEq(where, got, BigInt(want));
      break;
    case 'float64':
      expectEq(where, got, Number(want));
      break;
    case 'timestamp_ns': {
      // get() gives milliseconds as a double; the nanoseconds are the raw
      // int64 values.
      const data = vector.data[0];
      expectEq(where, data.values[data.offset + i], BigInt(want));
      break;
    }
    default:
      fail(where, `unknown type ${type}`);
  }
}

function expectBatches(where, batches, frame) {
  expectEq(`${where} record batches`, batches.length, 1);
  const batch = batches[0];
  if (!batch) return;
  expectEq(`${where} rows`, batch.numRows, frame.rows);
  frame.fields.forEach((want, j) => {
    const vector = batch.getChildAt(j);
    const w = `${where} field ${j} (${want.name})`;
    if (!vector) {
      fail(w, 'missing column');
      return;
    }
    expectEq(`${w} length`, vector.length, frame.rows);
    expectEq(`${w} nullCount`, vector.nullCount, want.nullCount);
    expectEq(`${w} manifest values`, want.values.length, frame.rows);
    want.values.forEach((v, i) => expectValue(`${w} row ${i}`, vector, i, v, want.type));
  });
}

function checkFrame(frame) {
  const where = frame.file;
  const bytes = new Uint8Array(readFileSync(path.join(dir, frame.file)));
  const magic = Buffer.from('ARROW1');
  expectTrue(`${where} leading magic`, Buffer.from(bytes.subarray(0, 6)).equals(magic), 'no ARROW1 at the start');
  expectTrue(`${where} trailing magic`, Buffer.from(bytes.subarray(bytes.length - 6)).equals(magic),
    'no ARROW1 at the end');

  // As a file: schema from the footer, batches through its blocks.
  const file = RecordBatchFileReader.from(bytes);
  file.open();
  expectTrue(`${where} file`, file.isFile(), 'not read as an Arrow file');
  expectEq(`${where} footer record batches`, file.numRecordBatches, 1);
  expectEq(`${where} footer dictionaries`, file.numDictionaries, 0);
  expectSchema(`${where} (file)`, file.schema, frame);
  const fileBatches = [];
  for (let i = 0; i < file.numRecordBatches; i++) fileBatches.push(file.readRecordBatch(i));
  expectBatches(`${where} (file)`, fileBatches, frame);

  // As a stream after the magic: the leading schema message, not the footer's.
  const stream = RecordBatchReader.from(bytes.subarray(8));
  stream.open();
  expectTrue(`${where} stream`, stream.isStream(), 'not read as an Arrow stream');
  expectSchema(`${where} (stream)`, stream.schema, frame);
  expectBatches(`${where} (stream)`, [...stream], frame);

  const table = tableFromIPC(bytes);
  expectSchema(`${where} (tableFromIPC)`, table.schema, frame);
  expectEq(`${where} (tableFromIPC) rows`, table.numRows, frame.rows);
  expectBatches(`${where} (tableFromIPC)`, table.batches, frame);
}

const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
if (!Array.isArray(manifest.frames) || manifest.frames.length === 0) {
  console.error('FAIL manifest.json lists no frames');
  process.exit(1);
}
for (const frame of manifest.frames) {
  try {
    checkFrame(frame);
  } catch (e) {
    fail(frame.file, `decoding threw: ${e.stack || e}`);
  }
}
if (failures > 0) {
  console.error(`arrow_frames_check: ${failures} of ${checks} checks failed`);
  process.exit(1);
}
console.log(`arrow_frames_check: ${manifest.frames.length} frames, ${checks} checks passed (apache-arrow, file + stream + tableFromIPC)`);
