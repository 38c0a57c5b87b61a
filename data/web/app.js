// Jarchi: the web dashboard's script (no inline code, so the CSP can forbid it).
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const messages = {
  ru: {
    'server': 'Сервер', 'version': 'Версия', 'missing-title': 'Пока нет',
    'missing-body': 'Текущие звонки, рассылки и история пока недоступны в этой версии панели. ' +
      'Скрипты уже могут использовать API с токеном панели (jarchi --print-token).',
    'online': 'в сети', 'offline': 'нет связи',
  },
  uz: {
    'server': 'Server', 'version': 'Versiya', 'missing-title': 'Hozircha yoʻq',
    'missing-body': 'Joriy qoʻngʻiroqlar, xabarnomalar va tarix panelning bu versiyasida hali mavjud emas. ' +
      'Skriptlar API dan panel tokeni bilan foydalanishi mumkin (jarchi --print-token).',
    'online': 'aloqada', 'offline': 'aloqa yoʻq',
  },
  en: { 'online': 'online', 'offline': 'offline' },
};

function lang() {
  for (const l of navigator.languages || [navigator.language || 'en']) {
    const code = l.slice(0, 2).toLowerCase();
    if (messages[code]) return code;
  }
  return 'en';
}

function t(key, fallback) {
  return (messages[lang()] || {})[key] || messages.en[key] || fallback;
}

function translate() {
  document.documentElement.lang = lang();
  for (const el of document.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n, el.textContent);
  }
}

async function refresh() {
  const status = document.getElementById('status');
  try {
    const res = await fetch('/api/health', { cache: 'no-store' });
    const body = await res.json();
    document.getElementById('version').textContent = body.version;
    status.textContent = t('online');
    status.dataset.state = 'online';
  } catch (e) {
    status.textContent = t('offline');
    status.dataset.state = 'offline';
  }
}

document.addEventListener('DOMContentLoaded', () => {
  translate();
  refresh();
  setInterval(refresh, 10000);
});
