// Jarchi: the dashboard's History page — the paged, filtered call table with recordings played in the page and CSV export.
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const HISTORY_PAGE = 25;

App.register('history', {
  render(params, root) {
    const q = params.query;
    const fields = {
      q: h('input', { id: 'h-q', type: 'search', value: q.get('q') || '', 'aria-label': t('filter.q'), placeholder: t('filter.q') }),
      direction: h('select', { id: 'h-direction', 'aria-label': t('filter.direction') },
        h('option', { value: '' }, t('filter.all')), h('option', { value: 'incoming' }, t('call.incoming')),
        h('option', { value: 'outgoing' }, t('call.outgoing'))),
      from: h('input', { id: 'h-from', type: 'date', value: q.get('from') || '', 'aria-label': t('filter.from') }),
      to: h('input', { id: 'h-to', type: 'date', value: q.get('to') || '', 'aria-label': t('filter.to') }),
    };
    fields.direction.value = q.get('direction') || '';
    const offset = Math.max(0, Number(q.get('offset')) || 0);

    // The API takes dates as UTC midnights; the user means local days, so send local bounds as ISO times.
    function filterQuery() {
      const out = new URLSearchParams();
      if (fields.q.value.trim()) out.set('q', fields.q.value.trim());
      if (fields.direction.value) out.set('direction', fields.direction.value);
      if (fields.from.value) out.set('from', new Date(fields.from.value + 'T00:00:00').toISOString().replace(/\.\d{3}Z$/, 'Z'));
      if (fields.to.value) out.set('to', new Date(fields.to.value + 'T23:59:59').toISOString().replace(/\.\d{3}Z$/, 'Z'));
      return out;
    }

    function go(newOffset) {
      const hq = new URLSearchParams();
      for (const k of ['q', 'direction', 'from', 'to']) if (fields[k].value) hq.set(k, fields[k].value.trim());
      if (newOffset) hq.set('offset', newOffset);
      const target = '#/history' + (hq.toString() ? '?' + hq : '');
      if (location.hash === target) App.refresh();
      else location.hash = target;
    }

    const form = h('form', { className: 'inline filters', id: 'history-filters' },
      fields.q, fields.direction, h('label', {}, t('filter.from') + ' ', fields.from), h('label', {}, t('filter.to') + ' ', fields.to),
      h('button', { type: 'submit' }, t('filter.apply')));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); go(0); });
    const csv = h('a', { id: 'history-csv', className: 'button', href: '/api/history.csv?' + filterQuery(), download: 'history.csv' }, t('download.csv'));
    const tbody = h('tbody');
    const pager = h('div', { className: 'pager' });
    root.append(h('section', { className: 'card wide' },
      h('div', { className: 'title-row' }, h('h2', {}, t('history.title')), csv), form,
      h('div', { className: 'scroll' }, h('table', { className: 'data', id: 'history' },
        h('thead', {}, h('tr', {}, ['col.started', 'col.direction', 'col.remote', 'col.duration', 'col.reason', 'col.recording']
          .map((k) => h('th', {}, t(k))))), tbody)), pager));

    async function load() {
      try {
        const query = filterQuery();
        query.set('limit', HISTORY_PAGE);
        query.set('offset', offset);
        const r = await Api.get('/api/history?' + query);
        tbody.replaceChildren();
        if (r.items.length === 0) tbody.append(h('tr', {}, h('td', { colSpan: 6, className: 'muted' }, t('none'))));
        for (const e of r.items)
          tbody.append(h('tr', { className: 'entry', dataset: { id: e.id } },
            h('td', {}, formatTime(e.started_at)), h('td', {}, t('call.' + e.direction)),
            h('td', {}, e.remote_name ? e.remote_name + ' ' : '', h('span', { className: 'muted' }, e.remote)),
            h('td', {}, e.ended_at ? formatDuration(e.duration) : '…'),
            h('td', {}, e.end_reason || '', e.sip_code ? ` (${e.sip_code})` : ''),
            // preload=none: a long page must not fetch every recording at once.
            h('td', {}, e.recording_url ? h('audio', { controls: true, preload: 'none', src: e.recording_url, className: 'recording' }) : '')));
        const pages = Math.max(1, Math.ceil(r.total / HISTORY_PAGE)), page = Math.floor(offset / HISTORY_PAGE) + 1;
        pager.replaceChildren(
          h('button', { type: 'button', className: 'small', disabled: page <= 1, onclick: () => go(Math.max(0, offset - HISTORY_PAGE)) }, t('prev')),
          h('span', { id: 'history-page' }, t('page', { n: page, m: pages })),
          h('button', { type: 'button', className: 'small', disabled: page >= pages, onclick: () => go(offset + HISTORY_PAGE) }, t('next')));
        root.dataset.loaded = 'true';
      } catch (e) {
        if (e.status !== 401) root.prepend(errorBox(e));
      }
    }

    // New calls show up at once on the first page; later pages would shift under the reader.
    const reload = throttle(load, 1000);
    const off = Live.on((msg) => { if (msg.type === 'history' && offset === 0) reload(); });
    load();
    return off;
  },
});
