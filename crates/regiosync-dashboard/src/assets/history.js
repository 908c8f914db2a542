// regiosync dashboard, view: history. A resource type's capacity per day (national or one
// region), the ratings per area per year, and the open and overdue improvement actions at the
// end of each month; each chart with its numbers as a table beside it. Ids: hist-chart
// (points with data-date and data-available), hist-day-2026-03-01 (a table row),
// hist-ratings-<area>-<year>, hist-actions-2026-03 (a month's row).
'use strict';

const SVG = 'http://www.w3.org/2000/svg';

// An SVG element (the page's h() makes HTML elements).
function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children.flat(Infinity)) if (c) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

// A line chart of `series` ([{cls, label, values}]) over `dates`, with a y axis from 0; the
// points of the first series carry their date and value.
function lineChart(id, dates, series, label) {
  const w = 720;
  const hgt = 220;
  const pad = { l: 48, r: 12, t: 10, b: 28 };
  const max = Math.max(1, ...series.flatMap((x) => x.values));
  const x = (i) => pad.l + (dates.length > 1 ? (i * (w - pad.l - pad.r)) / (dates.length - 1) : 0);
  const y = (v) => pad.t + (hgt - pad.t - pad.b) * (1 - v / max);
  const ticks = [0, Math.round(max / 2), max];
  const every = Math.max(1, Math.ceil(dates.length / 6));
  return s('svg', { id, class: 'chart-svg', viewBox: `0 0 ${w} ${hgt}`, role: 'img', 'aria-label': label },
    ticks.map((v) => [s('line', { class: 'grid', x1: pad.l, x2: w - pad.r, y1: y(v), y2: y(v) }),
      s('text', { class: 'tick', x: pad.l - 6, y: y(v) + 4, 'text-anchor': 'end' }, fmtInt(v))]),
    dates.map((d, i) => (i % every === 0 ? s('text', { class: 'tick', x: x(i), y: hgt - 8, 'text-anchor': 'middle' }, fmtDate(d).replace(/ \d{4}$/, '')) : null)),
    series.map((ser, k) => [
      s('polyline', { class: 'line ' + ser.cls, fill: 'none', points: ser.values.map((v, i) => `${x(i)},${y(v)}`).join(' ') }),
      k === 0 ? ser.values.map((v, i) => s('circle', { class: 'pt ' + ser.cls, cx: x(i), cy: y(v), r: 2.2, 'data-date': dates[i], 'data-value': v },
        s('title', {}, `${fmtDate(dates[i])}: ${fmtInt(v)}`))) : null,
    ]));
}

const HISTORY_SPANS = { 90: 'hist-span-90', 365: 'hist-span-365', 730: 'hist-span-730' };

RENDER.history = async function viewHistory() {
  const region = state.historyRegion;
  const span = Number(state.historySpan);
  const to = new Date();
  const day = (d) => { const p = dutch(d); return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`; };
  const from = new Date(to.getTime() - (span - 1) * 86400000);
  const [hist, bench, evals] = await Promise.all([
    api(`/api/capacity-history?type=${enc(state.resourceType)}&from=${day(from)}&to=${day(to)}` + (region ? '&region=' + enc(region) : '')),
    api('/api/benchmark' + (region ? '?region=' + enc(region) : '')),
    api('/api/evaluations' + (region ? '?region=' + enc(region) : '')),
  ]);
  const pick = (label, value, options, set) => h('label', {}, label, ' ', h('select', { onchange: (e) => { set(e.target.value); refresh(); } },
    options.map(([v, text]) => h('option', { value: v, selected: String(v) === String(value) }, text))));
  const controls = h('div', { class: 'controls panel-head' },
    pick(t('cap-type'), state.resourceType, state.meta.resource_types.map((x) => [x.code, `${x.name} (${x.code})`]), (v) => { state.resourceType = v; }),
    pick(t('rat-region'), region, [['', t('hist-national')], ...state.meta.regions.map((r) => [r.code, rlabel(r.code)])], (v) => { state.historyRegion = v; }),
    pick(t('hist-span'), span, Object.entries(HISTORY_SPANS).map(([n, id]) => [n, t(id)]), (v) => { state.historySpan = v; }));
  return [controls, capacityHistory(hist, region), ratingsHistory(bench, region), actionsHistory(evals.evaluations || [])];
};

function capacityHistory(hist, region) {
  const line = region ? (hist.regions.find((r) => r.region === region) || { days: [] }).days : hist.days;
  const dates = line.map((d) => d.date);
  const name = codeName('resource_types', hist.resource_type);
  const who = region ? rlabel(region) : t('hist-national');
  const chart = lineChart('hist-chart', dates, [
    { cls: 'available', values: line.map((d) => Number(d.available)) },
    { cls: 'baseline', values: line.map((d) => Number(d.baseline)) },
  ], t('hist-capacity-label', { type: name, who, from: fmtDate(hist.from), to: fmtDate(hist.to) }));
  const rows = [...line].reverse().map((d) => h('tr', { id: 'hist-day-' + d.date },
    h('th', { scope: 'row' }, fmtDate(d.date)), h('td', { class: 'num' }, fmtInt(d.regions)),
    h('td', { class: 'num' }, fmtInt(d.available)), h('td', { class: 'num' }, fmtInt(d.committed)),
    h('td', { class: 'num' }, fmtInt(d.out_of_service)), h('td', { class: 'num' }, fmtInt(d.baseline))));
  const table = h('div', { class: 'scroll tall' }, h('table', { id: 'hist-table' },
    h('thead', {}, h('tr', {}, [['hist-day'], [region ? 'hist-counted' : 'cap-col-regions', 1], ['cap-col-available', 1], ['cap-col-committed', 1],
      ['cap-col-oos', 1], ['cap-col-baseline', 1]].map(([k, num]) => h('th', { scope: 'col', class: num ? 'num' : null }, t(k))))),
    h('tbody', {}, rows)));
  return h('div', { class: 'row' },
    panel(t('hist-capacity', { type: name, who }), chart,
      legend([['sw-a', t('cap-col-available')], ['sw-line-base', t('cap-col-baseline')]]),
      h('p', { class: 'note' }, t('hist-capacity-note'))),
    h('div', { class: 'panel side' }, h('h3', {}, t('hist-table')), table));
}

function ratingsHistory(bench, region) {
  const side = region ? 'region' : 'national';
  const years = [...new Set(bench.areas.map((a) => a.year))].sort((a, b) => a - b);
  const rows = [];
  const bars = state.meta.areas.map((area) => h('div', { class: 'hist-area' }, h('h4', {}, area.name),
    years.map((year) => {
      const c = sumCounts(bench.areas.filter((a) => a.area === area.code && a.year === year), side);
      const n = c.p + c.s + c.m + c.u + c.not_observed;
      rows.push(h('tr', { id: `hist-ratings-${area.code}-${year}` }, h('th', { scope: 'row' }, `${area.name} ${year}`),
        ['p', 's', 'm', 'u', 'not_observed'].map((k) => h('td', { class: 'num' }, fmtInt(c[k]))), h('td', { class: 'num' }, fmtInt(n))));
      return h('div', { class: 'hist-year' }, h('span', { class: 'who' }, String(year)), ratingStack(c));
    })));
  return h('div', { class: 'row' },
    panel(t('hist-ratings', { who: region ? rlabel(region) : t('hist-national') }),
      years.length ? h('div', { class: 'hist-areas' }, bars) : h('p', { class: 'empty' }, t('hist-no-ratings')), ratingLegend()),
    h('div', { class: 'panel side' }, h('h3', {}, t('hist-table')), h('div', { class: 'scroll tall' }, h('table', { id: 'hist-ratings' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('hist-area-year')), [...RATING_ORDER, 'hist-total'].map((k) =>
        h('th', { scope: 'col', class: 'num' }, k === 'hist-total' ? t(k) : k)))),
      h('tbody', {}, rows)))));
}

// Open and overdue improvement actions at the end of each of the last 12 months: an action is
// open from its evaluation's event day until the event day of a later evaluation that verified
// it (or it was filed as done), and overdue while open after its due day. Event days, not the
// days the records were written: evaluations entered afterwards show where they belong.
function actionsHistory(evaluations) {
  const eventDay = (v) => ((v.summary || {}).event || {}).date || '';
  const verifiedOn = new Map(evaluations.map((v) => [v.record.id, eventDay(v)]));
  const counted = evaluations.filter((v) => !v.state || v.state === 'current');
  const months = [];
  const now = dutch(new Date());
  for (let k = 11; k >= 0; k -= 1) {
    const m = (now.month - 1 - k + 120) % 12;
    const y = now.year + Math.floor((now.month - 1 - k) / 12);
    const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
    const end = `${y}-${String(m + 1).padStart(2, '0')}-${String(last).padStart(2, '0')}`;
    // The month's last day, or today for the month running.
    const upTo = k === 0 ? day(new Date()) : end;
    let open = 0;
    let overdue = 0;
    for (const v of counted) {
      if (!eventDay(v) || eventDay(v) > upTo) continue;
      for (const a of v.actions || []) {
        const action = a.action || {};
        if (action.status === 'done') continue;
        const verified = a.verified_by ? verifiedOn.get(a.verified_by) : undefined;
        if (verified && verified <= upTo) continue;
        open += 1;
        if (action.due && action.due < upTo) overdue += 1;
      }
    }
    months.push({ month: `${y}-${String(m + 1).padStart(2, '0')}`, end, open, overdue });
  }
  function day(d) { const p = dutch(d); return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`; }
  const label = (mo) => `${state.meta.format.months[Number(mo.slice(5)) - 1]} ${mo.slice(0, 4)}`;
  const chart = lineChart('hist-actions-chart', months.map((x) => x.end), [
    { cls: 'open', values: months.map((x) => x.open) },
    { cls: 'overdue', values: months.map((x) => x.overdue) },
  ], t('hist-actions-label'));
  return h('div', { class: 'row' },
    panel(t('hist-actions'), chart, legend([['sw-line-open', t('hist-open')], ['sw-line-overdue', t('hist-overdue')]]),
      h('p', { class: 'note' }, t('hist-actions-note'))),
    h('div', { class: 'panel side' }, h('h3', {}, t('hist-table')), h('table', { id: 'hist-actions' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('hist-month')), h('th', { scope: 'col', class: 'num' }, t('hist-open')), h('th', { scope: 'col', class: 'num' }, t('hist-overdue')))),
      h('tbody', {}, [...months].reverse().map((x) => h('tr', { id: 'hist-actions-' + x.month }, h('th', { scope: 'row' }, label(x.month)),
        h('td', { class: 'num' }, fmtInt(x.open)), h('td', { class: 'num' }, fmtInt(x.overdue))))))));
}
