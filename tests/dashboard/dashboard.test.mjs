// Jarchi: drives the web dashboard in headless Debian chromium against a real headless Jarchi and the lab's Kamailio/SIPp; prints TAP.
// SPDX-License-Identifier: GPL-3.0-or-later
//
// Started by tests/run-dashboard-test.sh, which starts the lab peers and passes them in the
// environment: JARCHI_BINARY, DASH_WORK (scratch dir), DASH_OUTPUT (screenshots),
// DASH_KPORT (Kamailio), DASH_LAB (lab dir) and DASH_LAB_SH (lab.sh).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as harness from './harness.mjs';
import { ok, diag, finish, stopJarchi, killJarchi, apiRequest } from './harness.mjs';
import { chromium } from 'playwright-core';

const BIN = process.env.JARCHI_BINARY;
const WORK = process.env.DASH_WORK;
const OUT = process.env.DASH_OUTPUT;
const KPORT = process.env.DASH_KPORT;
const LAB = process.env.DASH_LAB;
const LAB_SH = process.env.DASH_LAB_SH;
const PASSWORD = 'correct horse 42';
const DATA = join(WORK, 'data');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Runs a check that may throw (a Playwright wait): a throw is a failed test, not a crash.
async function check(name, fn) {
  try {
    const r = await fn();
    ok(r !== false, name, r === false ? 'condition false' : undefined);
    return r !== false;
  } catch (e) {
    ok(false, name, e.stack || e);
    return false;
  }
}

// ---- Jarchi ------------------------------------------------------------------------------

const startJarchi = (port) => harness.startJarchi(BIN, DATA, port);

let BASE = null, TOKEN = null;
const api = (method, path, body) => apiRequest(BASE, TOKEN, method, path, body);

// ---- lab peers (through lab.sh, so they land in the lab dir the wrapper cleans up) --------

function lab(script) {
  return execFileSync('bash', ['-c', `. "${LAB_SH}"; ${script}`], { encoding: 'utf8', timeout: 30000 });
}

// ---- browser -----------------------------------------------------------------------------

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

async function browser(locale, viewport) {
  const profile = mkdtempSync(join(WORK, 'profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, locale,
    viewport: viewport || { width: 1280, height: 900 }, acceptDownloads: true,
  });
  const page = context.pages()[0] || await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  // Refused requests are part of the test (401 before login and after a restart, the server
  // down during one): the browser logs those itself. Anything else the page logs is a bug.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource: (the server responded with a status of 401|net::ERR_CONNECTION_REFUSED)|^WebSocket connection to .* net::ERR_CONNECTION_REFUSED/.test(m.text()))
      page.errors.push('console: ' + m.text());
  });
  return { context, page };
}

async function shot(page, name) {
  try { await page.screenshot({ path: join(OUT, `dashboard-${name}.png`), fullPage: true }); } catch (e) { diag('screenshot ' + name + ': ' + e); }
}

async function login(page, password) {
  await page.fill('#password', password);
  await page.click('#login-form button[type=submit]');
}

async function noHorizontalScroll(page) {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const wide = [...document.querySelectorAll('body *')].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.right > doc.clientWidth + 1 && !el.closest('.scroll');
    }).slice(0, 5).map((el) => `${el.tagName}#${el.id}.${el.className} right=${Math.round(el.getBoundingClientRect().right)}`);
    return { scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, wide };
  });
}

// ---- the test ----------------------------------------------------------------------------

async function main() {
  mkdirSync(DATA, { recursive: true });
  execFileSync(BIN, ['--data-dir', DATA, '--set-dashboard-password'], { input: PASSWORD + '\n', stdio: ['pipe', 'ignore', 'inherit'] });
  TOKEN = execFileSync(BIN, ['--data-dir', DATA, '--print-token'], { encoding: 'utf8' }).trim();
  BASE = await startJarchi(0);
  diag('dashboard at ' + BASE);
  if (process.argv.includes('--i18n')) await languages();
  else await flows();
}

async function flows() {
  const port = new URL(BASE).port;
  const { context, page } = await browser('en-US');
  try {
    await page.goto(BASE + '/');
    await page.waitForSelector('#login-form', { state: 'visible' });
    await shot(page, 'login');
    await login(page, 'not the password');
    await check('login with a wrong password is refused and says so', async () => {
      await page.waitForFunction(() => document.getElementById('login-message').textContent.includes('Wrong password'), null, { timeout: 15000 });
      return await page.isHidden('#app');
    });
    await login(page, PASSWORD);
    await check('login with the right password opens the app and its live connection', async () => {
      await page.waitForSelector('#app', { state: 'visible', timeout: 15000 });
      await page.waitForSelector('#status[data-state=online]', { timeout: 10000 });
      return page.isHidden('#login');
    });

    // An account on the lab's Kamailio: the overview must show it registering, live.
    const account = await api('POST', '/api/accounts', { uri: `sip:jarchi@127.0.0.1:${KPORT}`, display_name: 'Lab', record: true });
    await check('overview shows the account registered (via the registration event)', async () => {
      await page.waitForSelector(`#accounts li[data-id="${account.id}"][data-registration=registered]`, { timeout: 15000 });
      return (await page.textContent(`#accounts li[data-id="${account.id}"]`)).includes('registered');
    });

    // Click-to-call to the SIPp UAS (user 1003 at Kamailio); the row goes live with a running timer.
    await page.fill('#call-to', '1003');
    await page.click('#call-form button[type=submit]');
    await check('click-to-call: the call appears and goes active in the calls table', async () => {
      await page.waitForSelector('#calls tr.call[data-state=active]', { timeout: 15000 });
      return true;
    });
    await check('the call timer counts up', async () => {
      const first = await page.textContent('#calls tr.call .timer');
      await page.waitForFunction((f) => document.querySelector('#calls tr.call .timer')?.textContent !== f, first, { timeout: 4000 });
      return /^\d\d:\d\d$/.test((await page.textContent('#calls tr.call .timer')).trim());
    });
    await sleep(1500);
    await shot(page, 'overview-call');
    await page.click('#calls tr.call button[data-action=hangup]');
    await check('hang up from the page: the call leaves the table', async () => {
      await page.waitForSelector('#calls tr.call', { state: 'detached', timeout: 10000 });
      return page.isVisible('#calls-empty');
    });

    // An incoming call from a SIPp UAC through Kamailio: it must appear within a second of the INVITE.
    lab(`lab_sipp_uac "${LAB}/uac" 127.0.0.1:${KPORT} call -s jarchi -m 1 -d 1000 >/dev/null`);
    const t0 = Date.now();
    await check('an incoming call appears live', async () => {
      await page.waitForSelector('#calls tr.call[data-state=incoming]', { timeout: 15000 });
      diag(`incoming call shown ${Date.now() - t0} ms after SIPp started (SIPp's own start included)`);
      return true;
    });
    await shot(page, 'overview-incoming');
    await page.click('#calls tr.call button[data-action=hangup]');
    await check('rejecting it from the page removes it', async () => {
      await page.waitForSelector('#calls tr.call', { state: 'detached', timeout: 10000 });
      return true;
    });
    lab(`lab_sipp_stop "${LAB}/uac"`);

    // History: both calls, the recording plays in the page, CSV downloads.
    await page.goto(BASE + '/#/history');
    await check('history lists the calls', async () => {
      await page.waitForFunction(() => document.querySelectorAll('#history tr.entry').length >= 2, null, { timeout: 10000 });
      return true;
    });
    await check('a recording plays in the page (<audio> from /api/history/{id}/recording)', async () => {
      await page.waitForSelector('#history audio.recording', { timeout: 5000 });
      const r = await page.evaluate(async () => {
        const a = document.querySelector('#history audio.recording');
        a.muted = true;
        a.preload = 'auto';
        await new Promise((res, rej) => { a.onloadedmetadata = res; a.onerror = () => rej(new Error('media error ' + (a.error && a.error.code))); a.load(); });
        await a.play();
        await new Promise((res) => setTimeout(res, 700));
        return { src: a.getAttribute('src'), duration: a.duration, time: a.currentTime };
      });
      diag(`recording ${r.src}: duration ${r.duration} s, played to ${r.time} s`);
      return /^\/api\/history\/\d+\/recording$/.test(r.src) && r.duration > 0.5 && r.time > 0.2;
    });
    await shot(page, 'history');
    await check('history CSV downloads with every call', async () => {
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 10000 }), page.click('#history-csv')]);
      const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
      const lines = csv.trim().split(/\r\n/);
      return lines[0].startsWith('id,started_at') && lines.length >= 3 || `CSV: ${csv.slice(0, 300)}`;
    });

    // New broadcast from the form: a draft that the API (and so the desktop) sees.
    const alisher = await api('POST', '/api/contacts', { name: 'Alisher Lab', phone: '1003', department: 'Sales', district: 'Chilonzor' });
    await api('POST', '/api/contacts', { name: 'Bobur Nowhere', phone: '1005', department: 'Sales', district: 'Yunusobod' });
    const sales = (await api('GET', '/api/departments')).items.find((d) => d.name === 'Sales');
    await page.goto(BASE + '/#/new');
    await page.waitForSelector('#view[data-loaded=true]', { timeout: 10000 });
    await page.fill('#b-name', 'Dashboard test broadcast');
    await page.check(`#pick-department input[value="${sales.id}"]`);
    await page.fill('#b-text', 'Salom, bu sinov xabari.');
    await page.selectOption('#b-lang', 'uz');
    await page.fill('#b-max-repeats', '0');
    await page.fill('#b-timeout', '1');
    for (const id of ['#b-retry-busy', '#b-retry-noanswer', '#b-retry-failed']) await page.fill(id, '0');
    await page.fill('#b-ring-timeout', '10');
    await shot(page, 'new-broadcast');
    await page.click('#b-save');
    let campaignId = null;
    await check('the form creates a draft, seen through the API with its settings', async () => {
      await page.waitForFunction(() => /^#\/campaign\/\d+$/.test(location.hash), null, { timeout: 10000 });
      campaignId = Number((await page.evaluate(() => location.hash)).split('/').pop());
      const c = await api('GET', `/api/campaigns/${campaignId}`);
      const good = c.state === 'draft' && c.name === 'Dashboard test broadcast' && c.account === account.id
        && c.targets.departments.length === 1 && c.targets.departments[0] === sales.id
        && c.message.tts.text === 'Salom, bu sinov xabari.' && c.message.tts.lang === 'uz'
        && c.menu.timeout_s === 1 && c.menu.max_repeats === 0 && c.retries.failed.count === 0;
      return good || JSON.stringify(c);
    });

    // Campaign detail: start it from the page and watch counters and charts fill in.
    await page.waitForSelector('#campaign-actions button[data-action=start]', { timeout: 10000 });
    await page.click('#campaign-actions button[data-action=start]');
    await check('campaign page: counters update live until the campaign completes', async () => {
      await page.waitForSelector('#view[data-state=completed]', { timeout: 90000 });
      await page.waitForFunction(() => document.querySelector('#counters [data-key="c.finished"] dd')?.textContent === '2', null, { timeout: 10000 });
      return true;
    });
    await check('the charts have data: over time and per district', async () => {
      await page.waitForFunction(() => Number(document.getElementById('chart-time').dataset.points) >= 2
        && Number(document.getElementById('chart-groups').dataset.points) === 2, null, { timeout: 10000 });
      // Drawn, not just fed: count coloured pixels on each canvas.
      const inked = await page.evaluate(() => ['chart-time', 'chart-groups'].map((id) => {
        const c = document.getElementById(id), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (Math.abs(d[i] - d[i + 1]) > 40 || Math.abs(d[i + 1] - d[i + 2]) > 40)) n++;
        return n;
      }));
      diag('coloured pixels: ' + inked.join(', '));
      return inked.every((x) => x > 100);
    });
    await shot(page, 'campaign');
    await check('the target table filters by result', async () => {
      await page.selectOption('#result-filter', 'failed');
      await page.waitForFunction(() => {
        const rows = document.querySelectorAll('#targets tbody tr');
        return rows.length === 1 && rows[0].dataset.result === 'failed';
      }, null, { timeout: 5000 });
      return (await page.textContent('#targets tbody')).includes('1005');
    });
    await check('the campaign report CSV downloads', async () => {
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 10000 }), page.click('#report-csv')]);
      const csv = readFileSync(await download.path(), 'utf8');
      return (csv.includes('1003') && csv.includes('1005') && csv.includes('name,phone')) || csv.slice(0, 300);
    });

    // Quick actions on the overview: pause and resume a scheduled campaign (tomorrow: it never dials here).
    const tomorrow = new Date(Date.now() + 86400000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const later = await api('POST', '/api/campaigns', { name: 'Tomorrow', account: account.id, targets: { contacts: [alisher.id] },
      message: { tts: { text: 'Ertaga', lang: 'uz' } }, start_at: tomorrow });
    await api('POST', `/api/campaigns/${later.id}/start`);
    await page.goto(BASE + '/#/overview');
    const line = `#running .campaign-line[data-id="${later.id}"]`;
    await check('overview: pause and resume a broadcast with its quick actions', async () => {
      await page.click(`${line}[data-state=scheduled] button[data-action=pause]`, { timeout: 10000 });
      await page.waitForSelector(`${line}[data-state=paused]`, { timeout: 10000 });
      if ((await api('GET', `/api/campaigns/${later.id}`)).state !== 'paused') return 'API does not say paused';
      await page.click(`${line}[data-state=paused] button[data-action=resume]`);
      await page.waitForSelector(`${line}[data-state=scheduled]`, { timeout: 10000 });
      return (await api('GET', `/api/campaigns/${later.id}`)).state === 'scheduled';
    });
    await api('POST', `/api/campaigns/${later.id}/cancel`);
    await check('overview: today\'s totals and the recent broadcasts table', async () => {
      await page.waitForSelector(`#recent tr[data-id="${campaignId}"]`, { timeout: 10000 });
      const calls = Number(await page.textContent('#totals [data-key="today.calls"] dd'));
      diag(`today's calls on the overview: ${calls}`);
      return calls >= 4;
    });
    await shot(page, 'overview');

    // A phone-sized screen: no page scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    for (const route of ['overview', 'history', `campaign/${campaignId}`, 'new']) {
      await page.goto(`${BASE}/#/${route}`);
      await page.waitForTimeout(800);
      const r = await noHorizontalScroll(page);
      ok(r.scrollWidth <= r.clientWidth && r.wide.length === 0, `390 px wide: no horizontal scroll on ${route}`, JSON.stringify(r));
      await shot(page, 'phone-' + route.replace('/', '-'));
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(BASE + '/#/overview');
    await page.waitForSelector('#status[data-state=online]', { timeout: 10000 });

    // Restart Jarchi on the same port: the page notices, reconnects and fetches the state again,
    // without a reload and without asking to log in again (sessions are kept in the database).
    await page.evaluate(() => { window.notReloaded = true; });
    await stopJarchi();
    await check('the page shows it lost the server', async () => {
      await page.waitForSelector('#status[data-state=offline]', { timeout: 10000 });
      return true;
    });
    BASE = await startJarchi(port);
    await check('after the restart it is live again with re-fetched state, still logged in, without a reload', async () => {
      await page.waitForSelector('#status[data-state=online]', { timeout: 30000 });
      await page.waitForSelector(`#accounts li[data-id="${account.id}"][data-registration=registered]`, { timeout: 15000 });
      await page.waitForSelector(`#recent tr[data-id="${campaignId}"]`, { timeout: 5000 });
      const loginShown = await page.isVisible('#login');
      return !loginShown && page.evaluate(() => window.notReloaded === true);
    });
    await page.fill('#call-to', '1003');
    await page.click('#call-form button[type=submit]');
    await check('live events flow again after the reconnect (a new call shows up)', async () => {
      await page.waitForSelector('#calls tr.call', { timeout: 15000 });
      await page.click('#calls tr.call button[data-action=hangup]');
      await page.waitForSelector('#calls tr.call', { state: 'detached', timeout: 10000 });
      return true;
    });
    ok(page.errors.length === 0, 'no script errors in the page', page.errors.join('\n'));
  } finally {
    await context.close();
  }
}

async function languages() {
  // The UI follows the browser's language (two browsers at once: a Chromium start is the slow part).
  await Promise.all([['ru-RU', 'Войти', 'Обзор', 'Учётных записей SIP пока нет'], ['uz-UZ', 'Kirish', 'Umumiy', 'Hozircha SIP hisobi yoʻq']].map(async ([locale, loginLabel, nav, noAccounts]) => {
    const name = `${locale} browser gets the ${locale.slice(0, 2)} UI`;
    let b = null;
    try {
      b = await browser(locale);
      await b.page.goto(BASE + '/');
      await b.page.waitForSelector('#login-form', { state: 'visible' });
      const button = (await b.page.textContent('#login-form button')).trim();
      await login(b.page, PASSWORD);
      // Argon2id for two logins at once on a loaded machine can take a while.
      await b.page.waitForSelector('#app', { state: 'visible', timeout: 30000 }).catch(async (e) => {
        throw new Error(`login message: "${await b.page.textContent('#login-message')}"; ${e.message}`);
      });
      await b.page.waitForSelector('#accounts li', { timeout: 10000 });
      const navText = await b.page.textContent('nav a[data-route=overview]');
      const lang = await b.page.evaluate(() => document.documentElement.lang);
      const empty = await b.page.textContent('#accounts li');
      await shot(b.page, 'overview-' + locale.slice(0, 2));
      ok(button === loginLabel && navText === nav && lang === locale.slice(0, 2) && empty === noAccounts, name,
        `${button} / ${navText} / ${lang} / ${empty}`);
    } catch (e) {
      ok(false, name, e.stack || e);
    } finally {
      if (b) await b.context.close();
    }
  }));
}

const watchdog = setTimeout(() => {
  console.log('Bail out! dashboard test took too long');
  killJarchi();
  process.exit(1);
}, Number(process.env.DASH_DEADLINE_S || 200) * 1000);
process.on('SIGTERM', () => { killJarchi(); process.exit(1); });
try {
  await main();
} catch (e) {
  ok(false, 'the test ran to its end', e.stack || e);
} finally {
  await stopJarchi().catch(() => {});
  clearTimeout(watchdog);
}
finish();
