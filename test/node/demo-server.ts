/**
 * Runs the demo vendor app's backend (what `npm start` runs, examples/vendor-app/server.ts) on a
 * fresh SQLite file in a temp directory, on a free port, for end-to-end tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface DemoServer {
  base: string;
  /** The SQLite file it runs on (attachments lie beside it in `<db>-attachments`). */
  db: string;
  /** A demo token minted by the demo backend for a contact. */
  tokenFor(email: string): Promise<string>;
  /** Calls the Portico API under /api as a contact. */
  api(
    email: string,
    method: string,
    path: string,
    init?: { json?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; headers: Headers; body: any }>;
  stop(): void;
}

/** Starts it in demo mode; `env` adds environment variables (e.g. demo SLA targets, or `PORTICO_DEMO: ''` to switch demo mode off). */
export async function startDemoServer(env: Record<string, string> = {}): Promise<DemoServer> {
  const dir = mkdtempSync(join(tmpdir(), 'portico-demo-'));
  const db = join(dir, 'demo.db');
  const server: ChildProcess = spawn(process.execPath, ['--conditions=portico-source', 'examples/vendor-app/server.ts'], {
    env: { ...process.env, PORT: '0', PORTICO_DB: db, PORTICO_DEMO: '1', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = () => {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  };
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /http:\/\/localhost:(\d+)\//.exec(out);
      if (match) resolve(`http://localhost:${match[1]}`);
    });
    server.once('exit', (code) => reject(new Error(`demo server exited with ${code}`)));
  }).catch((error: unknown) => {
    stop();
    throw error;
  });
  const tokens = new Map<string, string>();
  const tokenFor = async (email: string) => {
    let token = tokens.get(email);
    if (!token) {
      const res = await fetch(`${base}/demo/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
      if (res.status !== 200) throw new Error(`no demo token for ${email}: ${res.status}`);
      token = ((await res.json()) as { token: string }).token;
      tokens.set(email, token);
    }
    return token;
  };
  return {
    base,
    db,
    tokenFor,
    async api(email, method, path, init = {}) {
      const headers: Record<string, string> = { authorization: `Bearer ${await tokenFor(email)}`, ...init.headers };
      if (init.json !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${base}/api${path}`, { method, headers, ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}) });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
    },
    stop,
  };
}

export const startDemo = startDemoServer;
