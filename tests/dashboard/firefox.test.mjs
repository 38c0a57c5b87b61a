// Jarchi: drives the web dashboard in headless Debian firefox-esr (WebDriver BiDi, npm puppeteer-core) against a real headless Jarchi and the lab; prints TAP.
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The Firefox half of "works in Chromium and Firefox": the main flows of dashboard.test.mjs
// (login and its cookie, registration, click-to-call live over /ws, hang up, history with a
// recording, a broadcast from the form to its charts, a phone-sized screen, a server restart),
// not all of it again. Started by `tests/run-dashboard-test.sh --firefox`,
// which starts Kamailio and a SIPp UAS reachable as 1003 and passes JARCHI_BINARY, DASH_WORK,
// DASH_OUTPUT, DASH_KPORT, DASH_LAB, DASH_LAB_SH and DASH_DEADLINE_S in the environment.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as harness from './harness.mjs';
import { ok, diag, finish, stopJarchi, killJarchi, apiRequest } from './harness.mjs';
import puppeteer from 'puppeteer-core';

const BIN = process.env.JARCHI_BINARY;
const WORK = process.env.DASH_WORK;
const OUT = process.env.DASH_OUTPUT;
const KPORT = process.env.DASH_KPORT;
const FIREFOX = process.env.DASH_FIREFOX || '/usr/bin/firefox-esr';
const PASSWORD = 'correct horse 42';
const DATA = join(WORK, 'data');


// A check that may throw (a wait that timed out) is a failed test, not a crash; a string
// returned is the reason it failed.
async function check(name, fn) {
  try {
    const r = await fn();
    ok(r === true, name, r === true ? undefined : String(r));
    return r === true;
  } catch (e) {
    ok(false, name, e.stack || e);
    return false;
  }
}

// ---- Jarchi ------------------------------------------------------------------------------

const startJarchi = (port) => harness.startJarchi(BIN, DATA, port);

let BASE = null, TOKEN = null;
const api = (method, path, body) => apiRequest(BASE, TOKEN, method, path, body);

// ---- the browser -------------------------------------------------------------------------

let browser = null;
async function startFirefox() {
  // A fresh profile (puppeteer writes its own prefs into it: no updates, no telemetry, no
  // remote settings); English UI whatever the machine's locale.
  const profile = mkdtempSync(join(WORK, 'firefox-profile-'));
  browser = await puppeteer.launch({
    browser: 'firefox', executablePath: FIREFOX, headless: true, userDataDir: profile,
    protocolTimeout: 60000, timeout: 90000, defaultViewport: { width: 1280, height: 900 },
    extraPrefsFirefox: { 'intl.accept_languages': 'en-US' },
  });
  const page = (await browser.pages())[0] || await browser.newPage();
  page.setDefaultTimeout(15000);
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  // The refused login (401) is part of the test; any other error the page logs is a bug.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/401|Unauthorized/.test(m.text())) page.errors.push('console: ' + m.text());
    else if (m.type() === 'error' || m.type() === 'warn') diag(`console ${m.type()}: ${m.text()}`);
  });
  return page;
}

async function shot(page, name) {
  try { await page.screenshot({ path: join(OUT, `firefox-${name}.png`), fullPage: true }); } catch (e) { diag('screenshot ' + name + ': ' + e); }
}

async function login(page, password) {
  await page.$eval('#password', (el) => { el.value = ''; });
  await page.type('#password', password);
  await page.click('#login-form button[type=submit]');
}

async function fill(page, sel, value) {
  await page.$eval(sel, (el) => { el.value = ''; });
  await page.type(sel, value);
}

const text = (page, sel) => page.$eval(sel, (el) => el.textContent);

// ---- the test ----------------------------------------------------------------------------

async function main() {
  mkdirSync(DATA, { recursive: true });
  execFileSync(BIN, ['--data-dir', DATA, '--set-dashboard-password'], { input: PASSWORD + '\n', stdio: ['pipe', 'ignore', 'inherit'] });
  TOKEN = execFileSync(BIN, ['--data-dir', DATA, '--print-token'], { encoding: 'utf8' }).trim();
  BASE = await startJarchi(0);
  diag('dashboard at ' + BASE);
  const t0 = Date.now();
  const page = await startFirefox();
  diag(`${await browser.version()} started in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  await page.goto(BASE + '/');
  await page.waitForSelector('#login-form', { visible: true });
  await shot(page, 'login');
  await login(page, 'not the password');
  await check('Firefox: a wrong password is refused and says so', async () => {
    await page.waitForFunction(() => document.getElementById('login-message').textContent.includes('Wrong password'));
    return await page.$eval('#app', (el) => el.hidden) || 'the app is shown';
  });
  await login(page, PASSWORD);
  await check('Firefox: the right password opens the app, its session cookie and /ws', async () => {
    await page.waitForSelector('#app', { visible: true, timeout: 30000 });
    await page.waitForSelector('#status[data-state=online]');
    // The cookie must be HttpOnly (invisible to the page) and SameSite=Strict in Firefox too.
    const cookies = await browser.cookies();
    const session = cookies.find((c) => c.domain === '127.0.0.1' || c.domain === new URL(BASE).hostname);
    const visible = await page.evaluate(() => document.cookie);
    diag('cookies: ' + JSON.stringify(cookies.map(({ name, httpOnly, sameSite, expires }) => ({ name, httpOnly, sameSite, expires }))));
    return (session && session.httpOnly && session.sameSite === 'Strict' && visible === '') || `cookies ${JSON.stringify(cookies)}, document.cookie "${visible}"`;
  });

  // An account on the lab's Kamailio: the overview shows it registering, live.
  const account = await api('POST', '/api/accounts', { uri: `sip:jarchi@127.0.0.1:${KPORT}`, display_name: 'Lab', record: true });
  const row = `#accounts li[data-id="${account.id}"]`;
  await check('Firefox: the overview shows the account registered (the registration event)', async () => {
    await page.waitForSelector(`${row}[data-registration=registered]`);
    return (await text(page, row)).includes('registered') || await text(page, row);
  });

  // Click-to-call to the SIPp UAS (1003 at Kamailio): the row appears and goes live through /ws.
  await page.type('#call-to', '1003');
  await page.click('#call-form button[type=submit]');
  await check('Firefox: click-to-call goes active in the calls table', async () => {
    await page.waitForSelector('#calls tr.call[data-state=active]');
    return true;
  });
  await check('Firefox: the call timer counts up', async () => {
    const first = await text(page, '#calls tr.call .timer');
    await page.waitForFunction((f) => document.querySelector('#calls tr.call .timer')?.textContent !== f, { timeout: 5000 }, first);
    return /^\d\d:\d\d$/.test((await text(page, '#calls tr.call .timer')).trim()) || 'timer text';
  });
  await new Promise((r) => setTimeout(r, 1500));   // a recording long enough to play below
  await shot(page, 'overview-call');
  await page.click('#calls tr.call button[data-action=hangup]');
  await check('Firefox: hang up from the page: the call leaves the table', async () => {
    await page.waitForSelector('#calls tr.call', { hidden: true, timeout: 10000 });
    return await page.$eval('#calls-empty', (el) => !el.hidden) || 'no "no calls" text';
  });
  const history = (await api('GET', '/api/history?limit=5')).items;
  const call = history.find((e) => e.remote && e.remote.includes('1003'));

  // History: the call is listed, and its recording plays in Firefox's <audio>.
  await page.click('nav a[data-route=history]');
  await check('Firefox: History lists the call', async () => {
    if (!call) return 'the API has no call to 1003: ' + JSON.stringify(history);
    await page.waitForSelector(`#history tr.entry[data-id="${call.id}"]`);
    return (await text(page, `#history tr.entry[data-id="${call.id}"]`)).includes('1003') || 'no 1003 in the row';
  });
  await check('Firefox: its recording plays in the page (<audio>)', async () => {
    const sel = `#history tr.entry[data-id="${call.id}"] audio.recording`;
    await page.waitForSelector(sel, { timeout: 5000 });
    const r = await page.$eval(sel, async (a) => {
      a.muted = true;
      a.preload = 'auto';
      await new Promise((res, rej) => { a.onloadedmetadata = res; a.onerror = () => rej(new Error('media error ' + (a.error && `${a.error.code} ${a.error.message}`))); a.load(); });
      await a.play();
      await new Promise((res) => setTimeout(res, 700));
      return { src: a.getAttribute('src'), duration: a.duration, time: a.currentTime };
    });
    diag(`recording ${r.src}: duration ${r.duration} s, played to ${r.time} s`);
    return (r.duration > 0.5 && r.time > 0.2) || JSON.stringify(r);
  });
  await shot(page, 'history');

  // New broadcast from the form, started from its page: counters go live to "completed" and
  // Chart.js draws both charts on Firefox's canvas. One target, the SIPp UAS, which answers.
  await api('POST', '/api/contacts', { name: 'Alisher Lab', phone: '1003', department: 'Sales', district: 'Chilonzor' });
  const sales = (await api('GET', '/api/departments')).items.find((d) => d.name === 'Sales');
  await page.click('nav a[data-route=new]');
  await page.waitForSelector(`#pick-department input[value="${sales.id}"]`);
  await fill(page, '#b-name', 'Firefox broadcast');
  await page.click(`#pick-department input[value="${sales.id}"]`);
  await fill(page, '#b-text', 'Salom, bu sinov xabari.');
  await page.select('#b-lang', 'uz');
  for (const [id, v] of [['#b-max-repeats', '0'], ['#b-timeout', '1'], ['#b-retry-busy', '0'], ['#b-retry-noanswer', '0'],
    ['#b-retry-failed', '0'], ['#b-ring-timeout', '10']]) await fill(page, id, v);
  await shot(page, 'new-broadcast');
  await page.click('#b-save');
  let campaignId = null;
  await check('Firefox: the New broadcast form creates the draft, seen through the API', async () => {
    await page.waitForFunction(() => /^#\/campaign\/\d+$/.test(location.hash));
    campaignId = Number((await page.evaluate(() => location.hash)).split('/').pop());
    const c = await api('GET', `/api/campaigns/${campaignId}`);
    return (c.state === 'draft' && c.name === 'Firefox broadcast' && c.account === account.id && c.targets.departments[0] === sales.id
      && c.message.tts.text === 'Salom, bu sinov xabari.' && c.message.tts.lang === 'uz' && c.menu.timeout_s === 1) || JSON.stringify(c);
  });
  await check('Firefox: started from its page, the campaign\'s counters update live to completed', async () => {
    await page.click('#campaign-actions button[data-action=start]');
    await page.waitForSelector('#view[data-state=completed]', { timeout: 60000 });
    await page.waitForFunction(() => document.querySelector('#counters [data-key="c.finished"] dd')?.textContent === '1', { timeout: 10000 });
    return true;
  });
  await check('Firefox: both charts are drawn with data (coloured pixels on the canvases)', async () => {
    await page.waitForFunction(() => Number(document.getElementById('chart-time').dataset.points) >= 1
      && Number(document.getElementById('chart-groups').dataset.points) === 1, { timeout: 10000 });
    await new Promise((r) => setTimeout(r, 500));   // Chart.js animates the first draw
    const inked = await page.evaluate(() => ['chart-time', 'chart-groups'].map((id) => {
      const c = document.getElementById(id), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let k = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (Math.abs(d[i] - d[i + 1]) > 40 || Math.abs(d[i + 1] - d[i + 2]) > 40)) k++;
      return k;
    }));
    diag('coloured pixels: ' + inked.join(', '));
    return inked.every((x) => x > 100) || 'coloured pixels ' + inked.join(', ');
  });
  await shot(page, 'campaign');

  // A phone-sized screen: nothing scrolls sideways (wide tables may scroll inside .scroll).
  await page.setViewport({ width: 390, height: 844 });
  for (const route of ['overview', 'history', 'new', ...(campaignId ? [`campaign/${campaignId}`] : [])]) {
    await page.goto(`${BASE}/#/${route}`);
    await page.waitForSelector('#status[data-state=online]');
    await new Promise((r) => setTimeout(r, 800));
    const r = await page.evaluate(() => {
      const doc = document.documentElement;
      const wide = [...document.querySelectorAll('body *')].filter((el) => {
        const b = el.getBoundingClientRect();
        return b.width > 0 && b.right > doc.clientWidth + 1 && !el.closest('.scroll');
      }).slice(0, 5).map((el) => `${el.tagName}#${el.id}.${el.className} right=${Math.round(el.getBoundingClientRect().right)}`);
      return { scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, innerWidth, wide };
    });
    ok(r.innerWidth === 390 && r.scrollWidth <= r.clientWidth && r.wide.length === 0, `Firefox, 390 px wide: no horizontal scroll on ${route}`, JSON.stringify(r));
    await shot(page, 'phone-' + route.replace('/', '-'));
  }
  await page.setViewport({ width: 1280, height: 900 });

  // Restart Jarchi on the same port: Firefox's WebSocket notices, the page reconnects with its
  // backoff and fetches the state again without a reload, still logged in (sessions are kept
  // in the database).
  await page.goto(BASE + '/#/overview');
  await page.waitForSelector(`${row}[data-registration=registered]`);
  await page.evaluate(() => { window.notReloaded = true; });
  await stopJarchi();
  await check('Firefox: the page shows it lost the server', async () => {
    await page.waitForSelector('#status[data-state=offline]', { timeout: 10000 });
    return true;
  });
  BASE = await startJarchi(new URL(BASE).port);
  await check('Firefox: after the restart the page is live again with re-fetched state, still logged in, without a reload', async () => {
    await page.waitForFunction(() => document.querySelector('#status')?.dataset.state === 'online' || !document.getElementById('login').hidden, { timeout: 30000 });
    if (await page.$eval('#login', (el) => !el.hidden))
      return 'the page asked to log in again';
    await page.waitForSelector(`${row}[data-registration=registered]`);
    return await page.evaluate(() => window.notReloaded === true) || 'the page was reloaded';
  });
  await shot(page, 'overview-after-restart');
  ok(page.errors.length === 0, 'Firefox: no script errors in the page', page.errors.join('\n'));
}

const watchdog = setTimeout(() => {
  console.log('Bail out! the Firefox dashboard test took too long');
  killJarchi();
  if (browser && browser.process()) browser.process().kill('SIGKILL');
  process.exit(1);
}, Number(process.env.DASH_DEADLINE_S || 200) * 1000);
process.on('SIGTERM', () => {
  killJarchi();
  if (browser && browser.process()) browser.process().kill('SIGKILL');
  process.exit(1);
});
try {
  await main();
} catch (e) {
  ok(false, 'the Firefox test ran to its end', e.stack || e);
} finally {
  if (browser) await Promise.race([browser.close(), new Promise((r) => setTimeout(r, 10000))]).catch(() => {});
  if (browser && browser.process() && browser.process().exitCode === null) browser.process().kill('SIGKILL');
  await stopJarchi().catch(() => {});
  clearTimeout(watchdog);
}
finish();
