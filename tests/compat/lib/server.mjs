// Starts a built Grape server on free loopback ports with a throw-away storage folder, and hands out Qdrant's
// official JavaScript clients pointed at it (REST: js-client-rest; gRPC: js-client-grpc on the gRPC port).
// One server per test file: start it in `before`, stop it in `after`.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { QdrantClient } from '@qdrant/js-client-rest';
import { QdrantClient as QdrantGrpcClient } from '@qdrant/js-client-grpc';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const serverDll = process.env.GRAPE_SERVER_DLL
  ?? join(repoRoot, 'src', 'Grape.Server', 'bin', 'Release', 'net10.0', 'Grape.Server.dll');

const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

/** A port the OS just handed out for port 0; released at once so the server can bind it. */
export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/** Two distinct free ports (HTTP and gRPC). */
async function twoPorts() {
  const a = await freePort();
  let b = await freePort();
  while (b === a) b = await freePort();
  return [a, b];
}

export class GrapeServer {
  /** @type {import('node:child_process').ChildProcess | null} */ proc = null;
  storage = '';
  url = '';
  grpcUrl = '';
  apiKey = undefined;
  output = '';
  exited = null;

  /**
   * `env`: extra environment variables for the server process (e.g. GRAPE__SERVICE__API_KEY); when it sets an api
   * key, `client()` and `grpcClient()` send it unless told otherwise.
   */
  static async start({ env = {} } = {}) {
    const s = new GrapeServer();
    s.apiKey = env.GRAPE__SERVICE__API_KEY;
    await s.#start(env);
    return s;
  }

  async #start(extraEnv) {
    this.storage = await mkdtemp(join(tmpdir(), 'grape-compat-'));
    const [http, grpc] = await twoPorts();
    this.url = `http://127.0.0.1:${http}`;
    this.grpcUrl = `http://127.0.0.1:${grpc}`;
    this.proc = spawn('dotnet', [serverDll, '--storage-path', this.storage, '--http-port', String(http), '--grpc-port', String(grpc)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1', ...extraEnv },
    });
    // Keep the tail of the server's output for the failure message when it dies or never gets ready.
    const keep = (chunk) => { this.output = (this.output + chunk.toString()).slice(-8000); };
    this.proc.stdout.on('data', keep);
    this.proc.stderr.on('data', keep);
    this.exitPromise = new Promise((res) => this.proc.once('exit', (code, signal) => { this.exited = { code, signal }; res(); }));

    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (;;) {
      if (this.exited) throw new Error(`Grape server exited before it was ready (${JSON.stringify(this.exited)}):\n${this.output}`);
      try {
        const r = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(2000) });
        await r.arrayBuffer();
        if (r.status === 200) break;
      } catch { /* not listening yet */ }
      if (Date.now() > deadline) {
        await this.stop();
        throw new Error(`Grape server not ready within ${READY_TIMEOUT_MS / 1000} s:\n${this.output}`);
      }
      await sleep(100);
    }
  }

  /** A fresh client; version check off because Grape reports its own version, not Qdrant's. */
  client({ apiKey = this.apiKey } = {}) {
    return new QdrantClient({ url: this.url, apiKey, checkCompatibility: false });
  }

  /**
   * A gRPC client (HTTP/2 cleartext on the gRPC port, gzip as the client sends by default). `apiKey: null` sends no
   * key even when the server has one.
   */
  grpcClient({ apiKey = this.apiKey, timeout } = {}) {
    return new QdrantGrpcClient({ url: this.grpcUrl, apiKey: apiKey ?? undefined, timeout, checkCompatibility: false });
  }

  /** Plain HTTP for what the client does not expose: returns {status, headers, body (parsed JSON or text)}. */
  async http(method, path, body) {
    const init = { method, headers: {} };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      init.headers['content-type'] = 'application/json';
    }
    const r = await fetch(this.url + path, init);
    const text = await r.text();
    let parsed = text;
    try { parsed = JSON.parse(text); } catch { /* plain text */ }
    return { status: r.status, headers: r.headers, body: parsed };
  }

  async stop() {
    if (this.proc && !this.exited) {
      this.proc.kill('SIGTERM');
      const killed = await Promise.race([this.exitPromise.then(() => false), sleep(STOP_GRACE_MS).then(() => true)]);
      if (killed) {
        this.proc.kill('SIGKILL');
        await this.exitPromise;
      }
    }
    if (this.storage) {
      await rm(this.storage, { recursive: true, force: true });
      this.storage = '';
    }
  }
}
