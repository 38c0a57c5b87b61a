// Jarchi: what the dashboard's browser tests share: TAP output, the headless Jarchi they start and stop, its HTTP API.
// SPDX-License-Identifier: GPL-3.0-or-later
import { spawn } from 'node:child_process';

let n = 0, failed = 0;
const started = Date.now();

export function ok(cond, name, detail) {
  n++;
  if (!cond) failed++;
  console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${name} (at ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (!cond && detail !== undefined) console.log('# ' + String(detail).split('\n').join('\n# '));
}

export const diag = (s) => console.log('# ' + s);

// Prints the TAP plan and ends the process: non-zero when a check failed.
export function finish() {
  console.log(`1..${n}`);
  process.exit(failed ? 1 : 0);
}

// One headless Jarchi on DATA_DIR at a time; `current` is it while it runs (for the watchdogs).
export const jarchi = { current: null };

export function startJarchi(bin, dataDir, port) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['--headless', '--data-dir', dataDir, '--dashboard-port', String(port)],
      { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    jarchi.current = child;
    let buf = '';
    const timer = setTimeout(() => reject(new Error('no "dashboard:" line from jarchi in 30 s: ' + buf)), 30000);
    child.stdout.on('data', (d) => {
      buf += d;
      const m = buf.match(/dashboard: (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1].replace(/\/$/, '')); }
    });
    child.stderr.on('data', (d) => { for (const l of String(d).trimEnd().split('\n')) if (/CRITICAL|WARNING|ERROR/.test(l)) diag('jarchi: ' + l); });
    child.on('exit', (code, sig) => { clearTimeout(timer); if (jarchi.current === child) jarchi.current = null; reject(new Error(`jarchi exited ${code ?? sig}`)); });
  });
}

export async function stopJarchi() {
  const child = jarchi.current;
  if (!child) return;
  jarchi.current = null;
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 8000);
  await done;
  clearTimeout(t);
}

export function killJarchi() {
  if (jarchi.current) jarchi.current.kill('SIGKILL');
}

// The API with the bearer token: JSON answers parsed, anything else (CSV, empty) as text.
export async function apiRequest(base, token, method, path, body) {
  const res = await fetch(base + path, {
    method, headers: { Authorization: 'Bearer ' + token, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let data = text;
  try { data = JSON.parse(text); } catch (e) { /* CSV or empty */ }
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return data;
}
