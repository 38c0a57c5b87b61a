// Jarchi: the dashboard's Overview page — accounts, live calls with timers, today's totals, broadcasts and quick actions.
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

function localMidnightIso() {
  const d = new Date();
  d.setHours(0, 0, 0, 0);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isToday(iso) {
  if (!iso) return false;
  const d = new Date(iso), now = new Date();
  return d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
}

function campaignProgress(c) {
  const total = c.stats.total || 0;
  const done = c.stats.finished || 0;
  const pct = total ? Math.round((100 * done) / total) : 0;
  const bar = h('div', { className: 'progress', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100',
    'aria-valuenow': String(pct), title: `${done} / ${total}` }, h('div', { className: 'progress-fill' }));
  // CSSOM, not a style attribute: the CSP forbids inline styles.
  bar.firstChild.style.width = pct + '%';
  return h('div', { className: 'progress-wrap' }, bar, h('span', { className: 'progress-text' }, `${done}/${total} (${pct}%)`));
}

async function campaignAction(c, action) {
  try {
    await Api.post(`/api/campaigns/${c.id}/${action}`);
  } catch (e) {
    toast(t('error') + ': ' + e.message, 'bad');
  }
}

function campaignActions(c) {
  const out = [];
  if (c.state === 'running' || c.state === 'scheduled')
    out.push(h('button', { type: 'button', className: 'small', dataset: { action: 'pause' }, onclick: () => campaignAction(c, 'pause') }, t('pause')));
  if (c.state === 'paused')
    out.push(h('button', { type: 'button', className: 'small', dataset: { action: 'resume' }, onclick: () => campaignAction(c, 'resume') }, t('resume')));
  return out;
}

App.register('overview', {
  render(params, root) {
    const accounts = new Map();
    const calls = new Map();
    let campaigns = new Map();
    let historyToday = [];

    const accountsList = h('ul', { id: 'accounts', className: 'plain' });
    const callsBody = h('tbody');
    const callsEmpty = h('p', { className: 'muted', id: 'calls-empty' }, t('no.calls'));
    const callsTable = h('table', { id: 'calls', className: 'data' },
      h('thead', {}, h('tr', {}, h('th', {}, t('col.remote')), h('th', {}, t('col.direction')),
        h('th', {}, t('col.state')), h('th', {}, t('col.duration')), h('th', {}, ''))), callsBody);
    const totals = h('dl', { id: 'totals', className: 'totals' });
    const running = h('div', { id: 'running' });
    const recentBody = h('tbody');
    const recent = h('table', { id: 'recent', className: 'data' },
      h('thead', {}, h('tr', {}, h('th', {}, t('col.name')), h('th', {}, t('col.state')),
        h('th', {}, t('col.progress')), h('th', {}, t('col.confirmed')), h('th', {}, t('col.created')))), recentBody);

    const toInput = h('input', { id: 'call-to', name: 'to', required: true, autocomplete: 'off', placeholder: t('call.to'), 'aria-label': t('call.to') });
    const accountSelect = h('select', { id: 'call-account', 'aria-label': t('call.account') });
    const callForm = h('form', { id: 'call-form', className: 'inline' }, toInput, accountSelect,
      h('button', { type: 'submit', className: 'suggested' }, t('call.place')));
    callForm.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const body = { to: toInput.value.trim() };
      if (accountSelect.value) body.account = Number(accountSelect.value);
      try {
        await Api.post('/api/calls', body);
        toInput.value = '';
      } catch (e) {
        toast(t('error') + ': ' + e.message, 'bad');
      }
    });

    root.append(
      h('section', { className: 'card wide', id: 'card-calls' }, h('h2', {}, t('calls.live')), callForm, callsTable, callsEmpty),
      h('section', { className: 'card' }, h('h2', {}, t('accounts')), accountsList),
      h('section', { className: 'card' }, h('h2', {}, t('today')), totals),
      h('section', { className: 'card' }, h('h2', {}, t('campaigns.running')), running),
      h('section', { className: 'card wide' }, h('h2', {}, t('campaigns.recent')), h('div', { className: 'scroll' }, recent)),
    );

    function drawAccounts() {
      accountsList.replaceChildren();
      const previous = accountSelect.value;
      accountSelect.replaceChildren();
      if (accounts.size === 0) accountsList.append(h('li', { className: 'muted' }, t('no.accounts')));
      for (const a of accounts.values()) {
        const label = a.display_name || a.uri;
        accountsList.append(h('li', { className: 'account', dataset: { id: a.id, registration: a.registration } },
          h('span', { className: 'account-name' }, label),
          h('span', { className: 'badge reg-' + a.registration, title: a.registration_error || '' }, t('reg.' + a.registration))));
        accountSelect.append(h('option', { value: String(a.id) }, label));
      }
      if (previous) accountSelect.value = previous;
      accountSelect.hidden = accounts.size === 0;
    }

    function callSeconds(c) {
      const from = c.answered_at || c.started_at;
      return from ? (Date.now() - Date.parse(from)) / 1000 : 0;
    }

    function drawCalls() {
      callsBody.replaceChildren();
      for (const c of calls.values()) {
        const actions = [];
        if (c.state === 'incoming')
          actions.push(h('button', { type: 'button', className: 'small suggested', dataset: { action: 'answer' },
            onclick: () => Api.post(`/api/calls/${c.id}/answer`).catch((e) => toast(e.message, 'bad')) }, t('call.answer')));
        actions.push(h('button', { type: 'button', className: 'small destructive', dataset: { action: 'hangup' },
          onclick: () => Api.post(`/api/calls/${c.id}/hangup`).catch((e) => toast(e.message, 'bad')) }, t('call.hangup')));
        callsBody.append(h('tr', { className: 'call', dataset: { id: c.id, state: c.state } },
          h('td', {}, c.remote_name ? `${c.remote_name} ` : '', h('span', { className: 'muted' }, c.remote)),
          h('td', {}, t('call.' + c.direction)),
          h('td', { className: 'call-state' }, t('st.' + c.state)),
          h('td', { className: 'timer' }, formatDuration(callSeconds(c))),
          h('td', { className: 'actions' }, actions)));
      }
      callsTable.hidden = calls.size === 0;
      callsEmpty.hidden = calls.size !== 0;
    }

    function tickTimers() {
      for (const row of callsBody.querySelectorAll('tr.call')) {
        const c = calls.get(Number(row.dataset.id));
        if (c) row.querySelector('.timer').textContent = formatDuration(callSeconds(c));
      }
    }

    function drawTotals() {
      const answered = historyToday.filter((e) => e.answered_at).length;
      const missed = historyToday.filter((e) => e.direction === 'incoming' && !e.answered_at && e.ended_at).length;
      // A campaign's confirmations count for today when it ran today (or runs now).
      let confirmations = 0;
      for (const c of campaigns.values())
        if (['running', 'paused'].includes(c.state) || isToday(c.started_at) || isToday(c.ended_at))
          confirmations += c.stats.results.confirmed || 0;
      totals.replaceChildren();
      for (const [key, value] of [['today.calls', historyToday.length], ['today.answered', answered],
        ['today.missed', missed], ['today.confirmations', confirmations]])
        totals.append(h('div', { className: 'total', dataset: { key } }, h('dt', {}, t(key)), h('dd', {}, String(value))));
    }

    function drawCampaigns() {
      running.replaceChildren();
      const live = [...campaigns.values()].filter((c) => ['running', 'paused', 'scheduled'].includes(c.state));
      if (live.length === 0) running.append(h('p', { className: 'muted' }, t('no.running')));
      for (const c of live)
        running.append(h('div', { className: 'campaign-line', dataset: { id: c.id, state: c.state } },
          h('a', { href: `#/campaign/${c.id}` }, c.name), h('span', { className: 'badge cs-' + c.state }, t('cs.' + c.state)),
          campaignProgress(c), h('span', { className: 'actions' }, campaignActions(c))));
      recentBody.replaceChildren();
      const sorted = [...campaigns.values()].sort((a, b) => (b.created_at || '').localeCompare(a.created_at || '') || b.id - a.id);
      if (sorted.length === 0)
        recentBody.append(h('tr', {}, h('td', { colSpan: 5, className: 'muted' }, t('no.campaigns'))));
      for (const c of sorted.slice(0, 10))
        recentBody.append(h('tr', { dataset: { id: c.id } },
          h('td', {}, h('a', { href: `#/campaign/${c.id}` }, c.name)),
          h('td', {}, h('span', { className: 'badge cs-' + c.state }, t('cs.' + c.state))),
          h('td', {}, campaignProgress(c)),
          h('td', {}, String(c.stats.results.confirmed || 0)),
          h('td', {}, formatTime(c.created_at))));
    }

    async function loadHistory() {
      const r = await Api.get('/api/history?limit=1000&from=' + encodeURIComponent(localMidnightIso()));
      historyToday = r.items;
      drawTotals();
    }

    async function load() {
      try {
        const [acc, act, camp] = await Promise.all([Api.get('/api/accounts'), Api.get('/api/calls/active'), Api.get('/api/campaigns')]);
        accounts.clear();
        for (const a of acc.items) accounts.set(a.id, a);
        calls.clear();
        for (const c of act.items) calls.set(c.id, c);
        campaigns = new Map(camp.items.map((c) => [c.id, c]));
        drawAccounts();
        drawCalls();
        drawCampaigns();
        await loadHistory();
      } catch (e) {
        if (e.status !== 401) root.prepend(errorBox(e));
      }
    }

    const reloadHistory = throttle(() => loadHistory().catch(() => {}), 1000);
    const off = Live.on((msg) => {
      if (msg.type === 'registration') {
        accounts.set(msg.account.id, msg.account);
        drawAccounts();
      } else if (msg.type === 'call') {
        // The history row exists from the call's start: today's count moves at once.
        if (!calls.has(msg.call.id) && msg.call.state !== 'ended') reloadHistory();
        if (msg.call.state === 'ended') calls.delete(msg.call.id);
        else calls.set(msg.call.id, msg.call);
        drawCalls();
      } else if (msg.type === 'history') {
        reloadHistory();
      } else if (msg.type === 'campaign') {
        campaigns.set(msg.campaign.id, msg.campaign);
        drawCampaigns();
        drawTotals();
      } else if (msg.type === 'campaign-deleted') {
        campaigns.delete(msg.id);
        drawCampaigns();
      }
    });
    const timer = setInterval(tickTimers, 1000);
    load();
    return () => { off(); clearInterval(timer); };
  },
});
