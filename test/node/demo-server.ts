/**
 * Runs the demo vendor app's backend (what `npm start` runs, examples/vendor-app/server.ts) on a
 * fresh SQLite file in a temp directory, on a free port, for end-to-end tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface DemoServer {
  /** `http://localhost:<port>` */
  base: string;
  /** A Portico token for a demo contact, minted by the demo backend (`POST /demo/session`). */
  tokenFor(email: string): Promise<string>;
  stop(): void;
}

export async function startDemoServer(env: Record<string, string> = {}): Promise<DemoServer> {
  const dir = mkdtempSync(join(tmpdir(), 'portico-demo-'));
  const server: ChildProcess = spawn(process.execPath, ['--conditions=portico-source', 'examples/vendor-app/server.ts'], {
    env: { ...process.env, PORT: '0', PORTICO_DB: join(dir, 'demo.db'), ...env },
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
  const tokenFor = async (email: string) => {
    const res = await fetch(`${base}/demo/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) });
    if (res.status !== 200) throw new Error(`demo session for ${email}: ${res.status}`);
    return ((await res.json()) as { token: string }).token;
  };
  return { base, tokenFor, stop };
}
