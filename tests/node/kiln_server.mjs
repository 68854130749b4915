// A real `kiln server` child process for Node tests: started on 127.0.0.1
// with a free port (--http-addr 127.0.0.1:0; the port is read from its
// "listening" log line, so there is no race for it), waited for until
// /ready answers, stopped with SIGTERM (SIGKILL after a timeout). Its log
// is written to |logPath| when it exits.
import { spawn } from 'node:child_process';
import fs from 'node:fs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class KilnServer {
  // |binary|: the `kiln` executable; |extraArgs|: more `kiln server` flags.
  constructor(binary, dataDir, logPath, extraArgs = ['--segment-duration-ms', '100']) {
    this.binary = binary;
    this.dataDir = dataDir;
    this.logPath = logPath;
    this.extraArgs = extraArgs;
    this.log = '';
    this.exit = null;
  }

  async start() {
    this.child = spawn(this.binary, ['server', '--data-dir', this.dataDir, '--http-addr', '127.0.0.1:0',
      '--grpc-addr', '127.0.0.1:0', ...this.extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        fs.writeFileSync(this.logPath, this.log);
        resolve(this.exit);
      });
    });
    for (const s of [this.child.stdout, this.child.stderr]) s.on('data', (d) => { this.log += d.toString(); });
    const deadline = Date.now() + 15000;
    while (!this.port) {
      const m = /msg=listening http_addr=127\.0\.0\.1:(\d+)/.exec(this.log);
      if (m) this.port = Number(m[1]);
      else if (this.exit) throw new Error(`kiln server exited (${JSON.stringify(this.exit)}) before listening:\n${this.log}`);
      else if (Date.now() > deadline) throw new Error(`kiln server did not log "listening" in 15 s:\n${this.log}`);
      else await sleep(20);
    }
    this.url = `http://127.0.0.1:${this.port}`;
    for (;;) {
      try {
        const r = await fetch(`${this.url}/ready`);
        if (r.status === 200) break;
      } catch { /* not yet */ }
      if (Date.now() > deadline) throw new Error(`kiln server at ${this.url} never became ready:\n${this.log}`);
      await sleep(20);
    }
  }

  async stop(timeoutMs = 20000) {
    if (this.exit) return this.exit;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  async ingest(query, body) {
    const r = await fetch(`${this.url}/ingest?${query}`, { method: 'POST', body });
    const text = await r.text();
    if (r.status !== 200) throw new Error(`/ingest?${query} answered ${r.status}: ${text}`);
    return text;
  }

  // One Connect unary call in JSON (int64 fields come back as strings).
  async connect(procedure, body) {
    const r = await fetch(`${this.url}/${procedure}`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    const text = await r.text();
    if (r.status !== 200) throw new Error(`${procedure} ${JSON.stringify(body)} answered ${r.status}: ${text}`);
    return JSON.parse(text);
  }
}

