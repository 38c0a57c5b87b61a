// Jarchi: the dashboard's plumbing — DOM helper, API calls with the CSRF token, login, the /ws stream with reconnect, hash router.
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const t = JarchiI18n.t;

// Builds elements from data without innerHTML, so names from the API can never become markup.
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'className') el.className = v;
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function formatTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleString(JarchiI18n.lang(), { dateStyle: 'short', timeStyle: 'medium' });
}

function formatDuration(seconds) {
  seconds = Math.max(0, Math.floor(seconds));
  const m = Math.floor(seconds / 60), s = seconds % 60, hh = Math.floor(m / 60);
  const two = (n) => String(n).padStart(2, '0');
  return hh ? `${hh}:${two(m % 60)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

class ApiError extends Error {
  constructor(status, body, retryAfter) {
    super((body && (body.message || body.error)) || `HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.code = body && body.error;
    this.retryAfter = retryAfter;
  }
}

const Api = {
  csrf: null,

  async request(method, path, body, opts = {}) {
    const headers = {};
    let payload = body;
    if (method !== 'GET' && method !== 'HEAD' && this.csrf) headers['X-CSRF-Token'] = this.csrf;
    if (body !== undefined && !(body instanceof FormData) && !(body instanceof Blob)) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(path, { method, headers, body: payload, cache: 'no-store', credentials: 'same-origin' });
    let data = null;
    if (res.status !== 204) {
      const type = res.headers.get('Content-Type') || '';
      data = type.includes('json') ? await res.json().catch(() => null) : await res.text();
    }
    // A lost session (server restart, password change) sends the user back to the login form.
    if (res.status === 401 && !opts.noLoginRedirect) App.needLogin(true);
    if (!res.ok) throw new ApiError(res.status, data, Number(res.headers.get('Retry-After')) || 0);
    return data;
  },
  get(path) { return this.request('GET', path); },
  post(path, body) { return this.request('POST', path, body === undefined ? {} : body); },
};

// One /ws per page. Backoff doubles from 0.5 s to 15 s; every (re)connect re-fetches the view.
const Live = {
  ws: null, delay: 500, timer: null, listeners: new Set(), wanted: false, connected: false,

  start() {
    this.wanted = true;
    if (!this.ws && !this.timer) this.connect();
  },

  stop() {
    this.wanted = false;
    clearTimeout(this.timer);
    this.timer = null;
    if (this.ws) { const ws = this.ws; this.ws = null; ws.close(); }
    this.setState('offline');
  },

  connect() {
    this.timer = null;
    this.setState('connecting');
    const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
    this.ws = ws;
    ws.onmessage = (ev) => {
      let msg;
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      if (msg.type === 'hello') {
        const reconnect = this.everConnected;
        this.everConnected = true;
        this.delay = 500;
        this.setState('online');
        if (reconnect) App.refresh();
        return;
      }
      // Events that came close together arrive as one batch, oldest first.
      const events = msg.type === 'batch' && Array.isArray(msg.events) ? msg.events : [msg];
      for (const event of events)
        for (const fn of this.listeners) fn(event);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.setState('offline');
      this.schedule();
    };
  },

  schedule() {
    if (!this.wanted || this.timer || this.ws) return;
    this.timer = setTimeout(() => this.reconnect(), this.delay);
    this.delay = Math.min(this.delay * 2, 15000);
  },

  // The session may have died with the server (sessions live in its memory): ask first, so a
  // 401 shows the login form instead of a refused WebSocket handshake.
  reconnect() {
    this.timer = null;
    if (!this.wanted) return;
    Api.request('GET', '/api/session').then(() => { if (this.wanted && !this.ws) this.connect(); }, (e) => {
      if (!(e instanceof ApiError && e.status === 401)) this.schedule();
    });
  },

  setState(state) {
    this.connected = state === 'online';
    const el = document.getElementById('status');
    if (!el) return;
    el.dataset.state = state;
    el.textContent = t(state);
  },

  on(fn) { this.listeners.add(fn); return () => this.listeners.delete(fn); },
};

const App = {
  pages: {},      // route name -> { render(params, root) → cleanup function or undefined }
  cleanup: null,
  loggedIn: false,

  register(name, page) { this.pages[name] = page; },

  async boot() {
    JarchiI18n.translate();
    document.getElementById('login-form').addEventListener('submit', (ev) => { ev.preventDefault(); this.login(); });
    document.getElementById('logout').addEventListener('click', () => this.logout());
    window.addEventListener('hashchange', () => this.route());
    try {
      const s = await Api.request('GET', '/api/session', undefined, { noLoginRedirect: true });
      Api.csrf = s.csrf_token;
      this.loggedIn = true;
      this.showApp();
    } catch (e) {
      this.needLogin(false);
    }
  },

  needLogin(expired) {
    if (!this.loggedIn && !document.getElementById('login').hidden) return;
    this.loggedIn = false;
    Live.stop();
    if (this.cleanup) { this.cleanup(); this.cleanup = null; }
    document.getElementById('app').hidden = true;
    document.getElementById('login').hidden = false;
    const msg = document.getElementById('login-message');
    msg.textContent = expired ? t('login.expired') : '';
    document.getElementById('password').focus();
  },

  async login() {
    const input = document.getElementById('password');
    const msg = document.getElementById('login-message');
    msg.textContent = '';
    try {
      let r = null;
      // The server checks one login per address at a time ("busy"): wait as told and try again.
      for (let attempt = 0; ; attempt++) {
        try {
          r = await Api.request('POST', '/api/login', { password: input.value }, { noLoginRedirect: true });
          break;
        } catch (e) {
          if (!(e.status === 429 && e.code === 'busy' && attempt < 5)) throw e;
          await new Promise((res) => setTimeout(res, 1000 * Math.min(e.retryAfter || 1, 5)));
        }
      }
      Api.csrf = r.csrf_token;
      input.value = '';
      this.loggedIn = true;
      this.showApp();
    } catch (e) {
      if (e.status === 429) msg.textContent = t('login.locked', { s: e.retryAfter || 30 });
      else if (e.status === 409) msg.textContent = t('login.nopassword');
      else if (e.status === 401) msg.textContent = t('login.wrong');
      else msg.textContent = t('error') + ': ' + e.message;
    }
  },

  async logout() {
    try { await Api.post('/api/logout'); } catch (e) { /* the session is gone either way */ }
    Api.csrf = null;
    this.needLogin(false);
  },

  showApp() {
    document.getElementById('login').hidden = true;
    document.getElementById('app').hidden = false;
    Live.everConnected = false;
    Live.delay = 500;
    Live.start();
    this.route();
  },

  refresh() { this.route(); },

  route() {
    if (!this.loggedIn) return;
    const hash = location.hash.replace(/^#\/?/, '');
    const [path, query] = hash.split('?');
    const parts = path.split('/').filter(Boolean);
    const name = parts[0] || 'overview';
    const page = this.pages[name] || this.pages.overview;
    const params = { args: parts.slice(1), query: new URLSearchParams(query || '') };
    for (const a of document.querySelectorAll('nav a')) a.classList.toggle('current', a.dataset.route === name);
    if (this.cleanup) { this.cleanup(); this.cleanup = null; }
    const root = document.getElementById('view');
    root.replaceChildren();
    root.dataset.page = name;
    this.cleanup = page.render(params, root) || null;
  },
};

// Runs fn at most once per `ms`, and once more after a burst, so event floods do not flood the API.
function throttle(fn, ms) {
  let last = 0, timer = null;
  return () => {
    const now = Date.now();
    if (timer) return;
    const wait = Math.max(0, last + ms - now);
    timer = setTimeout(() => { timer = null; last = Date.now(); fn(); }, wait);
  };
}

function errorBox(e) {
  return h('p', { className: 'error', role: 'alert' }, t('error') + ': ' + (e && e.message ? e.message : e));
}

function toast(text, kind) {
  const el = h('div', { className: 'toast ' + (kind || ''), role: 'status' }, text);
  document.body.append(el);
  setTimeout(() => el.remove(), 4000);
}

document.addEventListener('DOMContentLoaded', () => App.boot());
