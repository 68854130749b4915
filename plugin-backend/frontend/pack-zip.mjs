// Packs a directory into a zip under one top folder, keeping each file's
// executable bit (Grafana runs gpx_kiln_linux_amd64 straight from the
// unpacked folder). Node only, so packaging needs no zip tool.
//
//   node pack-zip.mjs SOURCE_DIR TOP_FOLDER OUT.zip
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

function filesUnder(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      out.push(...filesUnder(path));
    } else if (entry.isFile()) {
      out.push(path);
    }
  }
  return out;
}

/** MS-DOS date and time fields of a zip entry. */
function dosTime(date) {
  const time = (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1);
  const day = ((date.getFullYear() - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate();
  return { time, day };
}

export function packZip(sourceDir, top, outPath) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const file of filesUnder(sourceDir)) {
    const name = Buffer.from(`${top}/${relative(sourceDir, file).split(sep).join('/')}`, 'utf8');
    const data = readFileSync(file);
    const stat = statSync(file);
    const packed = deflateRawSync(data, { level: 9 });
    const { time, day } = dosTime(stat.mtime);
    const crc = crc32(data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(day, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, packed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(day, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    // Unix mode in the high 16 bits of the external attributes: regular file + permissions.
    central.writeUInt32LE((((0o100000 | (stat.mode & 0o777)) << 16) >>> 0), 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + packed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, Buffer.concat([...locals, ...centrals, end]));
  return centrals.length / 2;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const [sourceDir, top, out] = process.argv.slice(2);
  if (!sourceDir || !top || !out) {
    console.error('usage: node pack-zip.mjs SOURCE_DIR TOP_FOLDER OUT.zip');
    process.exit(2);
  }
  const n = packZip(resolve(sourceDir), top, resolve(out));
  console.log(`pack-zip.mjs: ${out} (${n} files under ${top}/)`);
}
