// Jarchi: the dashboard's Campaign page — live counters, charts of results over time and per group, the target table and the report.
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const RESULTS = ['pending', 'calling', 'confirmed', 'heard', 'no-answer', 'busy', 'failed', 'hung-up', 'opted-out', 'do-not-call'];
// Final results only: pending/calling targets have no end time to place on the time axis.
const FINAL_RESULTS = RESULTS.slice(2);
const RESULT_COLOURS = {
  pending: '#9a9996', calling: '#62a0ea', confirmed: '#26a269', heard: '#8ff0a4', 'no-answer': '#f6d32d',
  busy: '#ff7800', failed: '#c01c28', 'hung-up': '#986a44', 'opted-out': '#813d9c', 'do-not-call': '#3d3846',
};
const PAGE_SIZE = 25;

// Targets bucketed by the minute (or coarser, for long campaigns) their last call ended.
function timeSeries(targets) {
  const ended = targets.filter((x) => x.ended_at && FINAL_RESULTS.includes(x.result));
  if (ended.length === 0) return { labels: [], datasets: [] };
  const times = ended.map((x) => Date.parse(x.ended_at));
  const min = Math.min(...times), max = Math.max(...times);
  let step = 60000;
  while ((max - min) / step > 60) step *= 5;
  const start = Math.floor(min / step) * step;
  const n = Math.floor((max - start) / step) + 1;
  const labels = [];
  for (let i = 0; i < n; i++)
    labels.push(new Date(start + i * step).toLocaleTimeString(JarchiI18n.lang(), { hour: '2-digit', minute: '2-digit' }));
  const datasets = [];
  for (const r of FINAL_RESULTS) {
    const data = new Array(n).fill(0);
    let any = false;
    ended.forEach((x, i) => { if (x.result === r) { data[Math.floor((times[i] - start) / step)]++; any = true; } });
    if (any) datasets.push({ label: t('r.' + r), data, backgroundColor: RESULT_COLOURS[r], jarchiResult: r });
  }
  return { labels, datasets };
}

function groupSeries(groups) {
  const labels = groups.map((g) => g.name || '—');
  const datasets = [];
  for (const r of RESULTS) {
    const data = groups.map((g) => g.results[r] || 0);
    if (data.some((v) => v > 0)) datasets.push({ label: t('r.' + r), data, backgroundColor: RESULT_COLOURS[r], jarchiResult: r });
  }
  return { labels, datasets };
}

function makeChart(canvas, data) {
  return new Chart(canvas, {
    type: 'bar',
    data,
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: 'bottom' } },
    },
  });
}

function updateChart(chart, data) {
  chart.data.labels = data.labels;
  chart.data.datasets = data.datasets;
  chart.update();
}

App.register('campaign', {
  render(params, root) {
    const id = Number(params.args[0]);
    let campaign = null, allTargets = [], groupKind = 'districts', resultFilter = params.query.get('result') || '', offset = 0;
    const title = h('h2', { id: 'campaign-name' }, t('loading'));
    const state = h('span', { className: 'badge', id: 'campaign-state' });
    const actions = h('span', { className: 'actions', id: 'campaign-actions' });
    const counters = h('dl', { className: 'totals', id: 'counters' });
    const progress = h('div', { id: 'campaign-progress' });
    const timeCanvas = h('canvas', { id: 'chart-time', 'aria-label': t('chart.time') });
    const groupCanvas = h('canvas', { id: 'chart-groups', 'aria-label': t('chart.groups') });
    const groupSelect = h('select', { id: 'group-kind', 'aria-label': t('chart.groups') },
      h('option', { value: 'districts' }, t('by.districts')), h('option', { value: 'departments' }, t('by.departments')));
    const filter = h('select', { id: 'result-filter', 'aria-label': t('filter.result') },
      h('option', { value: '' }, t('filter.all')), RESULTS.map((r) => h('option', { value: r }, t('r.' + r))));
    filter.value = resultFilter;
    const tbody = h('tbody');
    const pager = h('div', { className: 'pager' });
    const csv = h('a', { href: `/api/campaigns/${id}/report.csv`, download: `campaign-${id}.csv`, id: 'report-csv', className: 'button' }, t('download.csv'));

    root.append(
      h('section', { className: 'card wide' }, h('div', { className: 'title-row' }, title, state, actions), progress, counters),
      h('section', { className: 'card' }, h('h2', {}, t('chart.time')), h('div', { className: 'chart-box' }, timeCanvas)),
      h('section', { className: 'card' }, h('div', { className: 'title-row' }, h('h2', {}, t('chart.groups')), groupSelect),
        h('div', { className: 'chart-box' }, groupCanvas)),
      h('section', { className: 'card wide' }, h('div', { className: 'title-row' }, h('h2', {}, t('targets')),
        h('label', {}, t('filter.result') + ' ', filter), csv),
      h('div', { className: 'scroll' }, h('table', { className: 'data', id: 'targets' },
        h('thead', {}, h('tr', {}, ['col.name', 'col.phone', 'col.department', 'col.district', 'col.result', 'col.attempts', 'col.digits', 'col.ended']
          .map((k) => h('th', {}, t(k))))), tbody)), pager),
    );

    const timeChart = makeChart(timeCanvas, { labels: [], datasets: [] });
    const groupChart = makeChart(groupCanvas, { labels: [], datasets: [] });

    function drawHeader() {
      const c = campaign;
      title.textContent = c.name;
      state.className = 'badge cs-' + c.state;
      state.textContent = t('cs.' + c.state);
      root.dataset.state = c.state;
      actions.replaceChildren();
      const act = (name, cls) => h('button', { type: 'button', className: 'small ' + (cls || ''), dataset: { action: name },
        onclick: () => Api.post(`/api/campaigns/${id}/${name}`).then((r) => { campaign = r; drawHeader(); }, (e) => toast(t('error') + ': ' + e.message, 'bad')) }, t(name));
      if (c.state === 'draft') actions.append(act('start', 'suggested'));
      if (c.state === 'running' || c.state === 'scheduled') actions.append(act('pause'));
      if (c.state === 'paused') actions.append(act('resume'));
      if (['scheduled', 'running', 'paused'].includes(c.state)) actions.append(act('cancel', 'destructive'));
      progress.replaceChildren(campaignProgress(c));
      counters.replaceChildren();
      const s = c.stats;
      const pct = (v) => Math.round(100 * v) + '%';
      for (const [key, value] of [['c.total', s.total], ['c.finished', s.finished], ['c.in_progress', s.in_progress],
        ['c.answered', s.answered], ['c.confirmed', s.results.confirmed], ['c.answer_rate', pct(s.answer_rate)],
        ['c.confirmation_rate', pct(s.confirmation_rate)]])
        counters.append(h('div', { className: 'total', dataset: { key } }, h('dt', {}, t(key)), h('dd', {}, String(value))));
      updateChart(groupChart, groupSeries(s[groupKind] || []));
      groupCanvas.dataset.points = String(groupChart.data.datasets.reduce((n, d) => n + d.data.reduce((a, b) => a + b, 0), 0));
    }

    function drawTable(items, total) {
      tbody.replaceChildren();
      for (const x of items)
        tbody.append(h('tr', { dataset: { result: x.result } },
          h('td', {}, x.contact.name), h('td', {}, x.phone), h('td', {}, x.contact.department), h('td', {}, x.contact.district),
          h('td', {}, h('span', { className: 'badge r-' + x.result }, t('r.' + x.result))),
          h('td', {}, String(x.attempts)), h('td', {}, x.digits), h('td', {}, formatTime(x.ended_at))));
      const pages = Math.max(1, Math.ceil(total / PAGE_SIZE)), page = Math.floor(offset / PAGE_SIZE) + 1;
      pager.replaceChildren(
        h('button', { type: 'button', className: 'small', disabled: page <= 1, onclick: () => { offset -= PAGE_SIZE; loadTable(); } }, t('prev')),
        h('span', {}, t('page', { n: page, m: pages })),
        h('button', { type: 'button', className: 'small', disabled: page >= pages, onclick: () => { offset += PAGE_SIZE; loadTable(); } }, t('next')));
    }

    async function loadTable() {
      const q = new URLSearchParams({ limit: PAGE_SIZE, offset });
      if (resultFilter) q.set('result', resultFilter);
      const r = await Api.get(`/api/campaigns/${id}/targets?${q}`);
      drawTable(r.items, r.total);
    }

    // Every target, for the time chart: pages of 1000, the API's largest.
    async function loadAllTargets() {
      const items = [];
      for (let off = 0; ; off += 1000) {
        const r = await Api.get(`/api/campaigns/${id}/targets?limit=1000&offset=${off}`);
        items.push(...r.items);
        if (items.length >= r.total || r.items.length === 0) break;
      }
      allTargets = items;
      updateChart(timeChart, timeSeries(allTargets));
      timeCanvas.dataset.points = String(allTargets.filter((x) => x.ended_at && FINAL_RESULTS.includes(x.result)).length);
    }

    async function load() {
      try {
        campaign = await Api.get(`/api/campaigns/${id}`);
        drawHeader();
        await Promise.all([loadTable(), loadAllTargets()]);
        root.dataset.loaded = 'true';
      } catch (e) {
        if (e.status === 404) title.textContent = t('not.found');
        else if (e.status !== 401) root.prepend(errorBox(e));
      }
    }

    filter.addEventListener('change', () => { resultFilter = filter.value; offset = 0; loadTable().catch((e) => toast(e.message, 'bad')); });
    groupSelect.addEventListener('change', () => { groupKind = groupSelect.value; if (campaign) drawHeader(); });

    const reloadTargets = throttle(() => Promise.all([loadTable(), loadAllTargets()]).catch(() => {}), 1500);
    const off = Live.on((msg) => {
      if (msg.type === 'campaign' && msg.campaign.id === id) {
        campaign = msg.campaign;
        drawHeader();
        reloadTargets();
      }
    });
    load();
    return () => { off(); timeChart.destroy(); groupChart.destroy(); };
  },
});
