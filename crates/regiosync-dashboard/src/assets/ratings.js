// regiosync dashboard, view 3: the rating heat map and the national distribution. Ids:
// rating-VR01-informatiemanagement (a cell, with data-rating and data-weak-twice).
'use strict';

function ratingCell(region, a) {
  if (!a || !a.latest) return h('td', { class: 'r r-none', title: t('rat-not-rated') }, '–');
  const [arrow, said] = trend(a.trend);
  const words = said || t('rat-no-earlier');
  const title = [t('rat-cell', { region: rlabel(region), area: areaName(a.area), rating: a.latest, name: ratingName(a.latest).toLowerCase() }),
    a.previous ? t('rat-cell-before', { previous: a.previous, trend: words }) : words,
    a.weak_twice ? t('rat-cell-weak') : null].filter(Boolean).join('; ');
  return h('td', { class: `r r-${a.latest}` + (a.weak_twice ? ' weak2' : ''), id: `rating-${region}-${a.area}`,
    'data-rating': a.latest, 'data-weak-twice': a.weak_twice ? 'true' : null, title },
  h('a', { href: '#incontrol/' + region }, a.latest, h('span', { class: 'sr' }, ' ' + title)),
  arrow ? h('span', { class: 'trend', 'aria-hidden': 'true' }, arrow) : null,
  a.weak_twice ? h('span', { class: 'weak2-mark' }, '2×') : null);
}

RENDER.ratings = async function viewRatings() {
  const [r, bench] = await Promise.all([api('/api/ratings'), api('/api/benchmark')]);
  const areas = state.meta.areas;
  const groups = [];
  for (const a of areas) {
    if (groups.length && groups[groups.length - 1][0] === a.group) groups[groups.length - 1][1] += 1;
    else groups.push([a.group, 1]);
  }
  const weak = r.cards.filter((c) => c.areas.some((a) => a.weak_twice));
  const none = r.cards.filter((c) => c.evaluations === 0);
  const overdue = r.cards.reduce((n, c) => n + c.overdue, 0);

  const table = h('table', { class: 'heat' },
    h('thead', {},
      h('tr', { class: 'groups' }, h('td', {}), groups.map(([g, n]) => h('th', { colspan: n, scope: 'colgroup' }, t('area-group-' + g))), h('td', { colspan: 3 })),
      h('tr', {}, h('th', { scope: 'col' }, t('rat-region')), areas.map((a) => h('th', { scope: 'col', title: a.name }, breakable(a.name))),
        h('th', { scope: 'col' }, t('rat-evaluations')), h('th', { scope: 'col' }, t('rat-open')), h('th', { scope: 'col' }, t('rat-board')))),
    h('tbody', {}, r.cards.map((c) => {
      const board = c.board_last_informed;
      const late = board ? c.board_days_ago > 365 : true;
      return h('tr', {},
        h('th', { scope: 'row' }, h('a', { href: '#incontrol/' + c.region }, rlabel(c.region))),
        areas.map((a) => ratingCell(c.region, c.areas.find((x) => x.area === a.code))),
        h('td', { class: 'side num' }, fmtInt(c.evaluations)),
        h('td', { class: 'side' + (c.overdue ? ' bad' : '') }, t('rat-open-value', { n: c.open_actions.length, overdue: c.overdue })),
        h('td', { class: 'side' + (late ? ' warn' : '') }, board ? fmtDate(board) : t('never')));
    })));

  return [
    h('div', { class: 'kpis' },
      kpi(fmtInt(r.cards.length - none.length), t('rat-kpi-evaluated'), '', 'kpi-evaluated'),
      kpi(fmtInt(weak.length), t('rat-kpi-weak'), weak.length ? 'bad' : 'ok', 'kpi-weak'),
      kpi(fmtInt(overdue), t('rat-kpi-overdue'), overdue ? 'warn' : 'ok', 'kpi-overdue'),
      kpi(fmtInt(bench.evaluations), t('rat-kpi-counted'), '', 'kpi-evaluations')),
    panel(t('rat-heat'), h('div', { class: 'scroll' }, table),
      ratingLegend(),
      legend([['', t('rat-legend-trend')], ['', t('rat-legend-weak')], ['', t('rat-legend-none')]])),
    benchmarkPanel(bench),
  ];
};

// Rating counts {p, s, m, u, not_observed} summed over `rows` (their `side`: region or national).
function sumCounts(rows, side) {
  return rows.reduce((tot, a) => {
    const c = a[side] || {};
    for (const k of ['p', 's', 'm', 'u', 'not_observed']) tot[k] = (tot[k] || 0) + (c[k] || 0);
    return tot;
  }, { p: 0, s: 0, m: 0, u: 0, not_observed: 0 });
}

function benchmarkPanel(bench) {
  const years = [...new Set(bench.areas.map((a) => a.year))].sort((a, b) => b - a);
  const pick = (label, value, options, set) => h('label', {}, label + ' ', h('select', { onchange: (e) => { set(e.target.value); refresh(); } },
    options.map(([v, text]) => h('option', { value: v, selected: String(v) === String(value) }, text))));
  const wanted = bench.areas.filter((a) => (state.year === 'all' || String(a.year) === state.year) && (state.kind === 'all' || a.event_kind === state.kind));
  const rows = state.meta.areas.map((area) => {
    const c = sumCounts(wanted.filter((a) => a.area === area.code), 'national');
    const n = c.p + c.s + c.m + c.u + c.not_observed;
    return [h('span', {}, area.name), ratingStack(c), h('span', { class: 'who' }, t('rat-rated', { n }))];
  });
  return panel(null,
    h('div', { class: 'panel-head' }, h('h3', {}, t('rat-dist')),
      h('div', { class: 'controls' },
        pick(t('rat-year'), state.year, [['all', t('rat-all-years')], ...years.map((y) => [y, y])], (v) => { state.year = v; }),
        pick(t('rat-events'), state.kind, [['all', t('rat-kind-all')], ['incident', t('rat-kind-incident')], ['exercise', t('rat-kind-exercise')]], (v) => { state.kind = v; }))),
    h('div', { class: 'dist' }, rows), ratingLegend());
}
