// regiosync dashboard, core: plain JavaScript, no libraries, no build step. Loads the names,
// code lists and texts (/api/meta), routes between the views (#capacity, #coverage, #ratings,
// #incontrol/VR01, #quality, #assistance; each drawn by a file of its own, which adds its
// function to RENDER), refreshes the shown view every refresh_secs, and holds the small
// helpers the views share. The DOM is built with createElement only (never innerHTML with
// data), so record text cannot inject markup.
'use strict';

// The views, each filled in by its file: RENDER.capacity = async () => [nodes...]. The first
// is the page's start.
const RENDER = {};

const state = {
  meta: null,
  names: new Map(),
  view: 'map',
  arg: '',
  region: 'VR01',
  resourceType: 'TS',
  trouble: '',
  year: 'all',
  kind: 'all',
  busy: false,
  again: false,
  lastOk: null,
  answeredBy: '',
  stale: null,
  assistOpen: '',
  mapLayer: 'status',
  mapRegion: 'VR01',
  mapArea: 'leiding_coordinatie',
  historyRegion: '',
  historySpan: '90',
};

// ---- DOM -----------------------------------------------------------------------------------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'style') Object.assign(el.style, v); // CSSOM, allowed by the page's CSP
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// ---- language and formatting -------------------------------------------------------------
// Every text comes from the catalogue /api/meta sends (locales/<lang>/dashboard.ftl and
// codes.ftl, the files a translator edits); numbers, dates and times are formatted here as
// regiosync_i18n formats them on the server: 28.469 and 1 dec. 2026 in Dutch, every moment in
// Dutch time (Europe/Amsterdam) with its zone, CET or CEST.

// The page's language: ?lang=en in the address, else what the dashboard was started with or the
// browser prefers (the server decides; Dutch when neither says).
const chosenLang = new URLSearchParams(location.search).get('lang') || '';

// The message `id` with `args` ({name: value}; numbers are formatted); {id} when unknown.
function t(id, args) {
  const p = state.meta && state.meta.texts[id];
  return p === undefined ? `{${id}}` : resolve(p, args || {});
}

function resolve(p, args) {
  if (typeof p === 'string') return p;
  return p.map((part) => {
    if (typeof part === 'string') return part;
    if (part.v !== undefined) {
      const v = args[part.v];
      return typeof v === 'number' ? fmtInt(v) : v === undefined || v === null ? '' : String(v);
    }
    const v = args[part.s];
    let key = part.d;
    if (v !== undefined && part.k[String(v)] !== undefined) key = String(v);
    else if (typeof v === 'number' && part.k[plural.select(v)] !== undefined) key = plural.select(v);
    return resolve(part.k[key], args);
  }).join('');
}

let plural = new Intl.PluralRules('nl');

function fmtInt(n) {
  const v = Math.round(Number(n || 0));
  const digits = String(Math.abs(v)).replace(/\B(?=(\d{3})+(?!\d))/g, state.meta.format.group);
  return (v < 0 ? '-' : '') + digits;
}

// A day as the records hold it ("2026-12-01"): 1 dec. 2026; a moment: its Dutch day.
function fmtDate(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
  if (m) return `${Number(m[3])} ${state.meta.format.months[Number(m[2]) - 1]} ${m[1]}`;
  const d = dutch(s);
  return d ? `${d.day} ${state.meta.format.months[d.month - 1]} ${d.year}` : s || '–';
}

const AMSTERDAM = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hourCycle: 'h23',
  year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });

// An instant (ms, an RFC 3339 text or a Date) in Dutch time: its parts and zone (CET or CEST).
function dutch(s) {
  const ms = s instanceof Date ? s.getTime() : typeof s === 'number' ? s
    : s && /^\d{4}-\d{2}-\d{2}T/.test(s) ? Date.parse(s) : NaN;
  if (!(ms > 0)) return null;
  const p = {};
  for (const { type, value } of AMSTERDAM.formatToParts(new Date(ms))) p[type] = Number(value);
  const offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
  const two = (n) => String(n).padStart(2, '0');
  return { year: p.year, month: p.month, day: p.day, hm: `${two(p.hour)}:${two(p.minute)}`, s: two(p.second),
    zone: offset === 7200000 ? 'CEST' : 'CET' };
}

// 1 dec. 2026 14:05 CET (as regiosync_i18n::moment); '–' for nothing.
function fmtMoment(s) {
  const d = dutch(s);
  if (!d) return s ? String(s) : '–';
  return `${d.day} ${state.meta.format.months[d.month - 1]} ${d.year} ${d.hm} ${d.zone}`;
}

// 14:05:07 CET: the time of day of an instant, for the page's own status line.
function fmtClock(date) {
  const d = dutch(date);
  return d ? `${d.hm}:${d.s} ${d.zone}` : '–';
}

// 12 min; from two hours on 3 u 5 min (as regiosync_i18n::minutes).
function fmtMinutes(ms) {
  const total = Math.round(Number(ms) / 60000);
  if (Math.abs(total) < 120) return t('span-min', { n: total });
  return t('span-hours', { h: Math.trunc(total / 60), min: Math.abs(total % 60) });
}

function ago(ms) {
  if (!ms) return '–';
  const s = Math.round((Date.now() - ms) / 1000);
  const abs = Math.abs(s);
  const span = abs < 90 ? t('span-s', { n: abs }) : abs < 5400 ? t('span-min', { n: Math.round(abs / 60) })
    : abs < 129600 ? t('span-h', { n: Math.round(abs / 3600) }) : t('span-d', { n: Math.round(abs / 86400) });
  return t(s >= 0 ? 'ago' : 'in-future', { span });
}

const rname = (code) => state.names.get(code) || code;
const rlabel = (code) => code + ' ' + rname(code);
const enc = encodeURIComponent;

const RATING_ORDER = ['P', 'S', 'M', 'U', 'NO'];
// An arrow and its words for a trend (better, worse, same) against the evaluation before.
function trend(code) {
  const arrows = { better: '↑', worse: '↓', same: '→' };
  return arrows[code] ? [arrows[code], t('trend-long-' + code)] : ['', ''];
}

// Soft hyphens in long Dutch compounds, so narrow column heads can break them.
function breakable(name) {
  return name.replace(/(informatie|crisis|vakbekwaam|kwaliteits|samen)(?=\S{4})/gi, '$1\u00AD');
}

// The name of a code from one of the code lists /api/meta carries, in the page's language
// (the code itself if unknown).
function codeName(list, code) {
  const c = (state.meta[list] || []).find((x) => x.code === code);
  return c ? c.name : code;
}
const areaName = (code) => codeName('areas', code);
const ratingName = (code) => codeName('ratings', code);

// ---- shared widgets ------------------------------------------------------------------------

function kpi(value, label, tone, id) {
  return h('div', { class: 'kpi ' + (tone || ''), id }, h('div', { class: 'value' }, value), h('div', { class: 'label' }, label));
}

function badge(text, tone, title) {
  return h('span', { class: 'badge ' + (tone || 'plain'), title }, text);
}

function panel(title, ...children) {
  return h('div', { class: 'panel' }, title ? h('h3', {}, title) : null, children);
}

function legend(items) {
  return h('p', { class: 'legend' }, items.map(([cls, text]) => h('span', {}, cls ? h('i', { class: cls }) : null, text)));
}

// A horizontal bar of available / committed / out of service against `whole`.
function capacityBar(available, committed, outOfService, whole, stale) {
  const pct = (n) => (whole > 0 ? (100 * n) / whole : 0) + '%';
  return h('div', { class: 'bar' + (stale ? ' stale' : ''), role: 'img',
    'aria-label': t('bar-label', { available, committed, oos: outOfService, whole }) },
  stale ? null : [
    h('span', { class: 'a', style: { width: pct(available) } }),
    h('span', { class: 'c', style: { width: pct(committed) } }),
    h('span', { class: 'o', style: { width: pct(outOfService) } }),
  ]);
}

// A 100% stacked bar of rating counts {p, s, m, u, not_observed}.
function ratingStack(counts) {
  const c = counts || {};
  const parts = [['P', c.p], ['S', c.s], ['M', c.m], ['U', c.u], ['NO', c.not_observed]];
  const total = parts.reduce((n, [, v]) => n + (v || 0), 0);
  const title = parts.map(([k, v]) => `${k} ${v || 0}`).join(' · ');
  return h('div', { class: 'stack', role: 'img', title, 'aria-label': title },
    parts.filter(([, v]) => v > 0).map(([k, v]) =>
      h('span', { class: 'r-' + k, style: { flexGrow: String(v) } }, v / total >= 0.07 ? `${k} ${v}` : '')));
}

function ratingLegend() {
  return legend(RATING_ORDER.map((k) => ['sw-' + k, `${k} ${ratingName(k).toLowerCase()}`]));
}

function regionSelect(value, onchange, withNone, label) {
  return h('select', { onchange: (e) => onchange(e.target.value), 'aria-label': label || t('rat-region') },
    withNone ? h('option', { value: '' }, t('select-none')) : null,
    state.meta.regions.map((r) => h('option', { value: r.code, selected: r.code === value }, rlabel(r.code))));
}

// ---- talking to the dashboard server -------------------------------------------------------

class ApiFailure extends Error {
  constructor(code, message, path) {
    super(message);
    this.code = code;
    this.path = path;
  }
}

async function api(path) {
  let r;
  try {
    r = await fetch(path, { cache: 'no-store' });
  } catch (e) {
    throw new ApiFailure('Unavailable', state.meta ? t('err-server', { why: e.message }) : e.message, path);
  }
  let body = null;
  try {
    body = await r.json();
  } catch (_) {
    body = null;
  }
  if (!r.ok) {
    const e = body && body.error;
    throw new ApiFailure(e ? e.code : 'HTTP ' + r.status, e ? e.message : r.statusText, path);
  }
  // The dashboard server's last picture, while the node is away.
  const since = Number(r.headers.get('x-regiosync-stale-since') || 0);
  if (since > 0 && (!state.stale || since < state.stale.since)) {
    state.stale = { since, why: r.headers.get('x-regiosync-stale-why') || '' };
  }
  if (body && body.answered_by && body.answered_by !== state.answeredBy) {
    state.answeredBy = body.answered_by;
    showSource();
  }
  return body;
}

function showError(e) {
  const el = document.getElementById('error');
  if (!state.meta) {
    // Without /api/meta there is no catalogue yet: say it in both languages.
    el.replaceChildren('De dashboardserver antwoordt niet / the dashboard server does not answer: ',
      h('code', {}, e.code || 'Error'), ' — ', e.message || String(e));
    el.hidden = false;
    return;
  }
  el.replaceChildren(t('err-node'), ' ', h('code', {}, e.path || ''), ': ',
    h('code', {}, e.code || 'Error'), ' — ', e.message || String(e));
  el.hidden = false;
}

// The figures shown are the last the node gave: say since when, and why they are not newer.
function showStale() {
  const el = document.getElementById('stale');
  if (!state.stale) {
    el.hidden = true;
    return;
  }
  const at = `${fmtDate(state.stale.since)} ${fmtClock(new Date(state.stale.since))}`;
  el.replaceChildren(h('strong', {}, t('stale-since', { at })), ' ', t('stale-why'), ' ',
    h('code', {}, state.stale.why));
  el.hidden = false;
}

function showStatus(ok) {
  const el = document.getElementById('status');
  el.className = 'updated' + (ok ? '' : ' failed');
  if (!state.meta) {
    el.replaceChildren(h('span', { class: 'dot', 'aria-hidden': 'true' }), 'regiosync: /api/meta ✗');
    return;
  }
  const every = t('status-every', { n: state.meta.refresh_secs });
  el.replaceChildren(h('span', { class: 'dot', 'aria-hidden': 'true' }),
    ok ? `${t('status-ok', { at: fmtClock(state.lastOk) })} · ${every}`
      : t('status-failed', { at: fmtClock(new Date()) }) + (state.lastOk ? ' · ' + t('status-from', { at: fmtClock(state.lastOk) }) : ''));
}

// ---- routing and refreshing ----------------------------------------------------------------

// #view or #view/argument (a region, a request, an agreement or evaluation id).
function route() {
  const hash = location.hash.replace(/^#/, '');
  const cut = hash.indexOf('/');
  const view = cut < 0 ? hash : hash.slice(0, cut);
  const arg = cut < 0 ? '' : decodeURIComponent(hash.slice(cut + 1));
  const changed = view !== state.view;
  state.view = RENDER[view] ? view : Object.keys(RENDER)[0];
  state.arg = arg;
  if (state.view === 'incontrol' && arg && state.names.has(arg)) state.region = arg;
  if (state.view === 'assistance') state.assistOpen = arg;
  for (const v of Object.keys(RENDER)) document.getElementById('view-' + v).hidden = v !== state.view;
  for (const a of document.querySelectorAll('.tabs a')) {
    if (a.dataset.view === state.view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (changed) document.querySelector(`#view-${state.view} .content`).replaceChildren();
  refresh();
}

// One section per view: its heading and lead from the catalogue, its content drawn by RENDER.
function sections() {
  const main = document.getElementById('main');
  for (const v of Object.keys(RENDER)) {
    const lead = state.meta.texts[`view-${v}-lead`] !== undefined ? h('p', { class: 'lead' }, t(`view-${v}-lead`)) : null;
    main.append(h('section', { class: 'view', id: 'view-' + v, hidden: true, 'aria-labelledby': `title-${v}` },
      h('h2', { id: `title-${v}` }, t(`view-${v}-title`)), lead, h('div', { class: 'content' })));
  }
  for (const a of document.querySelectorAll('.tabs a')) a.hidden = !RENDER[a.dataset.view];
}

async function refresh() {
  if (state.busy) {
    state.again = true;
    return;
  }
  state.busy = true;
  state.stale = null;
  const view = state.view;
  try {
    const nodes = await RENDER[view]();
    if (view === state.view) {
      const shown = nodes.flat(Infinity).filter((n) => n !== null && n !== undefined && n !== false);
      const content = document.querySelector(`#view-${view} .content`);
      content.replaceChildren(...shown);
      scrollableByKeyboard(content);
    }
    showStale();
    if (!state.stale) state.lastOk = new Date();
    showStatus(!state.stale);
    document.getElementById('error').hidden = true;
  } catch (e) {
    showError(e);
    showStatus(false);
  } finally {
    state.busy = false;
    if (state.again) {
      state.again = false;
      refresh();
    }
  }
}

// A panel whose table is wider (or longer) than its room scrolls: it takes the keyboard focus, so the
// arrow keys scroll it too (WCAG 2.1.1), and is named after its heading.
function scrollableByKeyboard(root) {
  for (const el of root.querySelectorAll('.panel, .scroll')) {
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
      const title = (el.closest('.panel') || el).querySelector('h3');
      el.setAttribute('tabindex', '0');
      el.setAttribute('role', 'region');
      el.setAttribute('aria-label', title ? title.textContent : t('scroll-region'));
    }
  }
}

// The timer does not redraw under an open selection list.
function tick() {
  const a = document.activeElement;
  if (a && a.tagName === 'SELECT') return;
  refresh();
}

function showSource() {
  const m = state.meta;
  const node = state.answeredBy ? `${state.answeredBy} (${m.node || t('the-node')})` : m.node || t('the-node');
  document.getElementById('source').textContent =
    t(m.who ? 'source-as' : 'source', { node, who: m.who, version: m.code_list_version });
}

// The page's fixed texts: every element with data-t="id" gets the message id; the document
// its language; the language links their addresses.
function translatePage() {
  document.documentElement.lang = state.meta.lang;
  document.title = t('page-title');
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t);
  for (const el of document.querySelectorAll('[data-t-label]')) el.setAttribute('aria-label', t(el.dataset.tLabel));
  for (const a of document.querySelectorAll('a[data-lang]')) {
    a.href = `?lang=${a.dataset.lang}${location.hash}`;
    if (a.dataset.lang === state.meta.lang) a.setAttribute('aria-current', 'true');
    else a.removeAttribute('aria-current');
  }
  plural = new Intl.PluralRules(state.meta.lang);
}

async function start() {
  try {
    state.meta = await api('/api/meta' + (chosenLang ? '?lang=' + enc(chosenLang) : ''));
  } catch (e) {
    showError(e);
    showStatus(false);
    setTimeout(start, 5000);
    return;
  }
  const m = state.meta;
  state.names = new Map(m.regions.map((r) => [r.code, r.name]));
  translatePage();
  sections();
  showSource();
  window.addEventListener('hashchange', route);
  // The language links keep the view: rewrite them when it changes.
  window.addEventListener('hashchange', translatePage);
  setInterval(tick, Math.max(1, m.refresh_secs) * 1000);
  route();
}

document.addEventListener('DOMContentLoaded', start);
