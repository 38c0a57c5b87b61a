// Jarchi: the dashboard's New broadcast form — targets, message (upload or text), key menu, limits and schedule — saved as a draft.
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const KEYS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'];

function field(labelKey, control, hint) {
  return h('label', { className: 'field' }, h('span', {}, t(labelKey)), control, hint || null);
}

function numberInput(id, value, min, max, step) {
  return h('input', { id, name: id, type: 'number', value: String(value), min: String(min), max: String(max), step: step || '1', required: true });
}

function keySelect(id, value, allowNone) {
  const s = h('select', { id, name: id },
    allowNone ? h('option', { value: '' }, t('no.key')) : null, KEYS.map((k) => h('option', { value: k }, k)));
  s.value = value;
  return s;
}

function checkList(name, items) {
  if (items.length === 0) return h('p', { className: 'muted' }, t('none'));
  return h('div', { className: 'checklist', id: 'pick-' + name },
    items.map((g) => h('label', { className: 'check' },
      h('input', { type: 'checkbox', name, value: String(g.id) }), ` ${g.name} `, h('span', { className: 'muted' }, `(${g.count})`))));
}

App.register('new', {
  render(params, root) {
    const form = h('form', { id: 'broadcast-form', className: 'card wide form' });
    root.append(form);
    const chosenContacts = new Map();

    const name = h('input', { id: 'b-name', name: 'name', required: true, maxLength: 200 });
    const account = h('select', { id: 'b-account', name: 'account' }, h('option', { value: '' }, '—'));
    const deps = h('div', {}, t('loading'));
    const dists = h('div', {}, t('loading'));
    const contactSearch = h('input', { id: 'b-contact-q', type: 'search', placeholder: t('new.contact.search'), 'aria-label': t('new.contact.search') });
    const contactResults = h('div', { className: 'checklist', id: 'contact-results' });
    const chosen = h('ul', { className: 'chips', id: 'chosen-contacts' });
    const modeUpload = h('input', { type: 'radio', name: 'mode', value: 'upload', id: 'b-mode-upload' });
    const modeText = h('input', { type: 'radio', name: 'mode', value: 'text', id: 'b-mode-text', checked: true });
    const file = h('input', { id: 'b-file', type: 'file', accept: 'audio/*,.wav,.mp3,.ogg,.opus,.flac' });
    const text = h('textarea', { id: 'b-text', rows: 3, maxLength: 5000 });
    const lang = h('select', { id: 'b-lang' }, ['uz', 'ru', 'en'].map((l) => h('option', { value: l }, t('lang.' + l))));
    lang.value = JarchiI18n.lang();
    const confirm = keySelect('b-confirm', '1', false), repeat = keySelect('b-repeat', '2', true), optOut = keySelect('b-optout', '', true);
    const maxRepeats = numberInput('b-max-repeats', 2, 0, 10), menuTimeout = numberInput('b-timeout', 8, 1, 120);
    const maxConcurrent = numberInput('b-max-concurrent', 10, 1, 10000), cps = numberInput('b-cps', 5, 0.01, 1000, '0.01');
    const ringTimeout = numberInput('b-ring-timeout', 30, 5, 300);
    const retryBusy = numberInput('b-retry-busy', 2, 0, 20), retryNoAnswer = numberInput('b-retry-noanswer', 2, 0, 20);
    const retryFailed = numberInput('b-retry-failed', 1, 0, 20);
    const startAt = h('input', { id: 'b-start-at', type: 'datetime-local' });
    const useWindow = h('input', { id: 'b-window', type: 'checkbox' });
    const windowStart = h('input', { id: 'b-window-start', type: 'time', value: '09:00' });
    const windowEnd = h('input', { id: 'b-window-end', type: 'time', value: '18:00' });
    const days = h('div', { className: 'checklist days' }, DAYS.map((d) =>
      h('label', { className: 'check' }, h('input', { type: 'checkbox', name: 'day', value: d, checked: !['sat', 'sun'].includes(d) }), ' ' + t('d.' + d))));
    const status = h('p', { id: 'b-status', role: 'status' });

    const uploadBox = h('div', { className: 'message-upload' }, field('new.file', file));
    const textBox = h('div', { className: 'message-text' }, field('new.text', text), field('new.lang', lang));
    function syncMode() { uploadBox.hidden = !modeUpload.checked; textBox.hidden = !modeText.checked; }
    modeUpload.addEventListener('change', syncMode);
    modeText.addEventListener('change', syncMode);
    syncMode();

    form.append(
      h('h2', {}, t('new.title')),
      h('fieldset', {}, field('new.name', name), field('new.account', account)),
      h('fieldset', {}, h('legend', {}, t('new.targets')),
        h('h3', {}, t('new.departments')), deps, h('h3', {}, t('new.districts')), dists,
        h('h3', {}, t('new.contacts')), contactSearch, contactResults, chosen),
      h('fieldset', {}, h('legend', {}, t('new.message')),
        h('label', { className: 'check' }, modeText, ' ' + t('new.text')), h('label', { className: 'check' }, modeUpload, ' ' + t('new.upload')),
        textBox, uploadBox),
      h('fieldset', { className: 'grid' }, h('legend', {}, t('new.menu')),
        field('new.confirm', confirm), field('new.repeat', repeat), field('new.optout', optOut),
        field('new.max_repeats', maxRepeats), field('new.timeout', menuTimeout)),
      h('fieldset', { className: 'grid' }, h('legend', {}, t('new.limits')),
        field('new.max_concurrent', maxConcurrent), field('new.cps', cps), field('new.ring_timeout', ringTimeout),
        field('new.retries_busy', retryBusy), field('new.retries_noanswer', retryNoAnswer), field('new.retries_failed', retryFailed)),
      h('fieldset', {}, h('legend', {}, t('new.schedule')), field('new.start_at', startAt),
        h('label', { className: 'check' }, useWindow, ' ' + t('new.window')),
        h('div', { className: 'inline' }, field('new.window_start', windowStart), field('new.window_end', windowEnd)),
        h('div', {}, h('span', {}, t('new.days')), days)),
      h('div', { className: 'form-actions' }, h('button', { type: 'submit', className: 'suggested', id: 'b-save' }, t('new.save'))),
      status);

    function drawChosen() {
      chosen.replaceChildren(...[...chosenContacts.values()].map((c) => h('li', { className: 'chip', dataset: { id: c.id } },
        `${c.name} (${c.phone}) `, h('button', { type: 'button', className: 'small', 'aria-label': '×',
          onclick: () => { chosenContacts.delete(c.id); drawChosen(); } }, '×'))));
    }

    async function searchContacts() {
      try {
        const r = await Api.get('/api/contacts?limit=20&q=' + encodeURIComponent(contactSearch.value.trim()));
        contactResults.replaceChildren(...r.items.map((c) => h('button', { type: 'button', className: 'small contact-pick', dataset: { id: c.id },
          onclick: () => { chosenContacts.set(c.id, c); drawChosen(); } }, `+ ${c.name} (${c.phone})`)));
      } catch (e) { /* shown by the next save */ }
    }
    const searchSoon = throttle(searchContacts, 300);
    contactSearch.addEventListener('input', searchSoon);

    async function load() {
      try {
        const [a, d, s] = await Promise.all([Api.get('/api/accounts'), Api.get('/api/departments'), Api.get('/api/districts')]);
        for (const x of a.items) account.append(h('option', { value: String(x.id) }, x.display_name || x.uri));
        if (a.items.length) account.value = String(a.items[0].id);
        deps.replaceWith(checkList('department', d.items));
        dists.replaceWith(checkList('district', s.items));
        searchContacts();
        root.dataset.loaded = 'true';
      } catch (e) {
        if (e.status !== 401) root.prepend(errorBox(e));
      }
    }

    async function message() {
      if (modeText.checked) return { tts: { text: text.value.trim(), lang: lang.value } };
      if (!file.files.length) throw new Error(t('new.file'));
      status.textContent = t('new.uploading');
      const fd = new FormData();
      fd.append('file', file.files[0]);
      fd.append('name', file.files[0].name);
      const media = await Api.request('POST', '/api/media', fd);
      return { media: media.id };
    }

    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      status.className = '';
      try {
        const ids = (n) => [...form.querySelectorAll(`input[name=${n}]:checked`)].map((i) => Number(i.value));
        const body = {
          name: name.value.trim(),
          account: account.value ? Number(account.value) : null,
          targets: { departments: ids('department'), districts: ids('district'), contacts: [...chosenContacts.keys()] },
          message: await message(),
          menu: { confirm: confirm.value, repeat: repeat.value || null, opt_out: optOut.value || null,
            max_repeats: Number(maxRepeats.value), timeout_s: Number(menuTimeout.value) },
          max_concurrent: Number(maxConcurrent.value), cps: Number(cps.value), ring_timeout_s: Number(ringTimeout.value),
          retries: { busy: { count: Number(retryBusy.value) }, no_answer: { count: Number(retryNoAnswer.value) },
            failed: { count: Number(retryFailed.value) } },
          window: useWindow.checked ? { days: [...form.querySelectorAll('input[name=day]:checked')].map((i) => i.value),
            start: windowStart.value, end: windowEnd.value } : null,
          start_at: startAt.value ? new Date(startAt.value).toISOString() : null,
        };
        const c = await Api.post('/api/campaigns', body);
        toast(t('new.saved'));
        location.hash = `#/campaign/${c.id}`;
      } catch (e) {
        status.className = 'error';
        status.textContent = t('error') + ': ' + e.message;
      }
    });
    load();
  },
});
