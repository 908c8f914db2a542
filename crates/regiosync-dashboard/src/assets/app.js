// regiosync dashboard, core: plain JavaScript, no libraries, no build step. Loads the names and
// code lists (/api/meta), routes between the views (#capacity, #coverage, #ratings,
// #incontrol/VR01, #quality; drawn by views.js), refreshes the shown view every
// refresh_secs, and holds the small helpers the views share. The DOM is built with
// createElement only (never innerHTML with data), so record text cannot inject markup.
'use strict';

const VIEWS = ['capacity', 'coverage', 'ratings', 'incontrol', 'quality', 'assistance'];

const state = {
  meta: null,
  names: new Map(),
  view: 'capacity',
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

// ---- formatting ----------------------------------------------------------------------------

const fmtInt = (n) => Number(n || 0).toLocaleString('en-GB');

function parseWhen(s) {
  if (!s) return null;
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(s) ? s + 'T00:00:00Z' : s);
  return isNaN(d.getTime()) ? null : d;
}

function fmtDate(s) {
  const d = parseWhen(s);
  if (!d) return s || '–';
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

function fmtMoment(s) {
  const d = typeof s === 'number' ? (s > 0 ? new Date(s) : null) : parseWhen(s);
  if (!d) return s ? String(s) : '–';
  return d.toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

function ago(ms) {
  if (!ms) return '–';
  const s = Math.round((Date.now() - ms) / 1000);
  const abs = Math.abs(s);
  const text = abs < 90 ? abs + ' s' : abs < 5400 ? Math.round(abs / 60) + ' min'
    : abs < 129600 ? Math.round(abs / 3600) + ' h' : Math.round(abs / 86400) + ' d';
  return s >= 0 ? text + ' ago' : 'in ' + text;
}

const rname = (code) => state.names.get(code) || code;
const rlabel = (code) => code + ' ' + rname(code);
const enc = encodeURIComponent;

const GROUPS = {
  brandweer: 'Fire service',
  water: 'Water rescue',
  gevaarlijke_stoffen: 'Hazardous substances',
  crisisfunctie: 'Crisis officials on duty',
  geneeskundig: 'Medical care (GHOR)',
  bevolkingszorg: 'Population care',
};
const AREA_GROUPS = { proces: 'Crisis processes', randvoorwaarde: 'Preconditions' };
const STATES = {
  active: 'active', signed: 'signed, not yet in force', partially_signed: 'partially signed',
  proposed: 'proposed', expired: 'expired', withdrawn: 'withdrawn', revoked: 'revoked', rejected: 'rejected',
};
const RATING_ORDER = ['P', 'S', 'M', 'U', 'NO'];
const TRENDS = { better: ['↑', 'better than the evaluation before'], worse: ['↓', 'worse than the evaluation before'], same: ['→', 'same as the evaluation before'] };

// Soft hyphens in long Dutch compounds, so narrow column heads can break them.
function breakable(name) {
  return name.replace(/(informatie|crisis|vakbekwaam|kwaliteits|samen)(?=\S{4})/gi, '$1\u00AD');
}

function areaName(code) {
  const a = state.meta.areas.find((x) => x.code === code);
  return a ? a.name : code;
}

function ratingName(code) {
  const r = state.meta.ratings.find((x) => x.code === code);
  return r ? r.name : code;
}

// The name of a code from one of the code lists /api/meta carries (the code itself if unknown).
function codeName(list, code) {
  const c = (state.meta[list] || []).find((x) => x.code === code);
  return c ? c.name : code;
}

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
    'aria-label': `${available} available, ${committed} committed, ${outOfService} out of service of ${whole}` },
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

function regionSelect(value, onchange, withNone) {
  return h('select', { onchange: (e) => onchange(e.target.value), 'aria-label': 'Region' },
    withNone ? h('option', { value: '' }, '— none —') : null,
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
    throw new ApiFailure('Unavailable', 'the dashboard server does not answer: ' + e.message, path);
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
  el.replaceChildren('The node did not answer ', h('code', {}, e.path || ''), ': ',
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
  const at = new Date(state.stale.since).toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  el.replaceChildren(h('strong', {}, `Not updated since ${at}`),
    ': the node cannot be reached, these are the last figures it gave. The page tries again every refresh. ',
    h('code', {}, state.stale.why));
  el.hidden = false;
}

function showStatus(ok) {
  const el = document.getElementById('status');
  const t = (d) => d.toLocaleTimeString('en-GB');
  el.className = 'updated' + (ok ? '' : ' failed');
  const every = `refreshes every ${state.meta ? state.meta.refresh_secs : '?'} s`;
  el.replaceChildren(h('span', { class: 'dot', 'aria-hidden': 'true' }),
    ok ? `Last updated ${t(state.lastOk)} · ${every}`
      : `Update failed at ${t(new Date())}` + (state.lastOk ? ` · figures from ${t(state.lastOk)}` : ''));
}

// ---- routing and refreshing ----------------------------------------------------------------

function route() {
  const [view, arg] = location.hash.replace(/^#/, '').split('/');
  state.view = VIEWS.includes(view) ? view : 'capacity';
  if (state.view === 'incontrol' && arg && state.names.has(arg)) state.region = arg;
  if (state.view === 'assistance') state.assistOpen = arg ? decodeURIComponent(arg) : '';
  for (const v of VIEWS) document.getElementById('view-' + v).hidden = v !== state.view;
  for (const a of document.querySelectorAll('.tabs a')) {
    if (a.dataset.view === state.view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  refresh();
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
      document.querySelector(`#view-${view} .content`).replaceChildren(...shown);
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

// The timer does not redraw under an open selection list.
function tick() {
  const a = document.activeElement;
  if (a && a.tagName === 'SELECT') return;
  refresh();
}

function showSource() {
  const m = state.meta;
  const node = state.answeredBy ? `${state.answeredBy} (${m.node || 'the node'})` : m.node || 'the node';
  document.getElementById('source').textContent =
    `Asking ${node}${m.who ? ' as ' + m.who : ''} · code lists version ${m.code_list_version}`;
}

async function start() {
  try {
    state.meta = await api('/api/meta');
  } catch (e) {
    showError(e);
    showStatus(false);
    setTimeout(start, 5000);
    return;
  }
  const m = state.meta;
  state.names = new Map(m.regions.map((r) => [r.code, r.name]));
  showSource();
  window.addEventListener('hashchange', route);
  setInterval(tick, Math.max(1, m.refresh_secs) * 1000);
  route();
}

document.addEventListener('DOMContentLoaded', start);
