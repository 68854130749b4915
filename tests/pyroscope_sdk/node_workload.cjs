// A small Node program profiled by the Pyroscope Node SDK (@pyroscope/nodejs)
// and pushed to the kiln server at KILN_URL: wall time in
// kilnBusyFibonacci, allocations kept alive by kilnAllocateBuffers.
// Run by nodejs_sdk.test.mjs; exits 0 after the SDK's final flush.
const path = require('node:path');
const Pyroscope = require(path.join(process.env.KILN_NODE_MODULES, '@pyroscope/nodejs'));

function kilnBusyFibonacci(n) {
  return n < 2 ? n : kilnBusyFibonacci(n - 1) + kilnBusyFibonacci(n - 2);
}

const kept = [];
function kilnAllocateBuffers() {
  for (let i = 0; i < 200; i++) kept.push(new Array(1024).fill(i));
  if (kept.length > 40000) kept.splice(0, 20000);
}

async function main() {
  Pyroscope.init({
    serverAddress: process.env.KILN_URL,
    appName: 'kiln-node-sdk',
    flushIntervalMs: 1000,
    tags: { region: 'local' },
  });
  Pyroscope.start();
  const until = Date.now() + Number(process.env.KILN_WORKLOAD_MS || 4000);
  let sink = 0;
  while (Date.now() < until) {
    sink += kilnBusyFibonacci(22);
    kilnAllocateBuffers();
    await new Promise((r) => setImmediate(r));  // let the SDK's timers run
  }
  await Pyroscope.stop();
  console.log(`done ${sink > 0}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
