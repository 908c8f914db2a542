// regiosync dashboard, view 4: one region's "in control" card, with the links to its board
// report. Ids: card-title, report-links, fact-board, fact-overdue, fact-capacity,
// card-assist-asked, card-assist-given.
'use strict';

RENDER.incontrol = async function viewInControl() {
  const region = state.region;
  const [card, bench] = await Promise.all([api('/api/in-control?region=' + enc(region)), api('/api/benchmark?region=' + enc(region))]);
  const select = regionSelect(region, (v) => { location.hash = '#incontrol/' + v; }, false, t('ic-other'));
  const board = card.board_last_informed;
  const boardAge = board ? card.board_days_ago : null;
  const fact = (k, v, tone, id) => h('div', { class: 'fact ' + (tone || ''), id }, h('div', { class: 'k' }, k), h('div', { class: 'v' }, v));
  const facts = h('div', { class: 'facts' },
    fact(t('ic-evaluations'), fmtInt(card.evaluations), card.evaluations ? '' : 'warn'),
    fact(t('ic-latest-event'), card.latest_event_date ? fmtDate(card.latest_event_date) : t('none'), card.latest_event_date ? '' : 'warn'),
    fact(t('ic-board'), board ? t('ic-board-value', { date: fmtDate(board), n: boardAge }) : t('never'), !board ? 'bad' : boardAge > 365 ? 'warn' : '', 'fact-board'),
    fact(t('ic-open'), fmtInt(card.open_actions.length)),
    fact(t('ic-overdue'), fmtInt(card.overdue), card.overdue ? 'bad' : '', 'fact-overdue'),
    fact(t('ic-capacity'), card.capacity_as_of ? h('a', { href: '#capacityreport/' + region },
      t(card.capacity_stale ? 'ic-capacity-stale' : 'ic-capacity-as-of', { at: fmtMoment(card.capacity_as_of) })) : t('ic-capacity-none'),
      !card.capacity_as_of ? 'bad' : card.capacity_stale ? 'warn' : '', 'fact-capacity'));

  const areaRows = card.areas.map((a) => {
    const [arrow, said] = trend(a.trend);
    const cell = (r) => h('td', { class: 'rating ' + (r ? 'r-' + r : 'r-none'), title: r ? ratingName(r) : t('rat-not-rated') }, r || '–');
    return h('tr', {}, h('th', { scope: 'row' }, areaName(a.area)), cell(a.previous), cell(a.latest),
      h('td', {}, arrow ? `${arrow} ${said}` : a.previous ? '' : t('ic-first')),
      h('td', {}, a.weak_twice ? badge(t('rat-cell-weak'), 'bad') : null));
  });
  const areas = card.areas.length === 0 ? h('p', { class: 'empty' }, t('ic-no-evaluation', { region: rlabel(region) }))
    : h('table', {}, h('thead', {}, h('tr', {}, ['ic-area', 'ic-previous', 'ic-latest', 'ic-trend', 'ic-signal'].map((id) => h('th', { scope: 'col' }, t(id))))),
      h('tbody', {}, areaRows));

  const compare = h('div', { class: 'dist' }, state.meta.areas.map((a) => {
    const mine = bench.areas.filter((x) => x.area === a.code);
    return [
      h('span', {}, a.name), ratingStack(sumCounts(mine, 'region')), h('span', { class: 'who' }, region),
      h('span', {}), ratingStack(sumCounts(mine, 'national')), h('span', { class: 'who' }, t('ic-national')),
    ];
  }));

  const actions = [...card.open_actions].sort((x, y) => (y.overdue - x.overdue) || String(x.action.due).localeCompare(String(y.action.due)));
  const actionTable = actions.length === 0 ? h('p', { class: 'empty' }, t('ic-no-actions'))
    : h('table', {}, h('thead', {}, h('tr', {}, ['ic-action', 'ic-area', 'ic-owner', 'ic-due', 'ic-status'].map((id) => h('th', { scope: 'col' }, t(id))))),
      h('tbody', {}, actions.map((v) => {
        const a = v.action || {};
        return h('tr', {},
          h('th', { scope: 'row' }, a.description, h('div', { class: 'muted' }, v.evaluation_id ? h('a', { href: '#evaluation/' + enc(v.evaluation_id) }, a.action_id) : a.action_id)),
          h('td', {}, areaName(a.area)), h('td', {}, a.owner),
          h('td', { class: v.overdue ? 'bad' : '' }, fmtDate(a.due), v.overdue ? ' · ' + t('ic-overdue-mark') : ''),
          h('td', {}, codeName('action_status', a.status)));
      })));

  const year = new Date().getFullYear();
  const lang = state.meta.lang;
  const report = (format, id) => h('a', { href: `/report/region/${enc(region)}?period=${year}&format=${format}&lang=${lang}`, target: '_blank', rel: 'noopener' }, t(id));
  return [
    h('div', { class: 'card-head' }, h('h3', { id: 'card-title' }, rlabel(region)), h('label', { class: 'controls' }, t('ic-other'), ' ', select)),
    h('p', { class: 'report-links', id: 'report-links' }, t('ic-report', { year: String(year) }), ' ',
      report('html', 'ic-report-html'), ' · ', report('pdf', 'ic-report-pdf'), ' · ', report('csv', 'ic-report-csv')),
    facts,
    h('div', { class: 'row', style: { marginTop: '1rem' } },
      panel(t('ic-areas'), areas),
      panel(t('ic-compare', { region }), compare, ratingLegend())),
    panel(t('ic-actions', { n: card.open_actions.length }), actionTable),
    assistanceRecord(card),
  ];
};

// "2 of 7 (29%)", or '–' when nothing was asked.
function share(part, whole) {
  const p = Number(part || 0);
  const w = Number(whole || 0);
  return w > 0 ? t('share', { part: p, whole: w, pct: Math.round((100 * p) / w) }) : '–';
}

// A duration over requests: "12 min (median of 3; 1 without)", or '–' when none.
function medianMinutes(d) {
  if (!d || !d.count) return d && d.without ? t('median-none', { without: Number(d.without) }) : '–';
  return t('median', { time: fmtMinutes(Number(d.median_ms)), n: Number(d.count), without: Number(d.without || 0) });
}

// The region's assistance record over the card's period: as requester and as member asked.
function assistanceRecord(card) {
  const a = card.assistance;
  if (!a) return null;
  const row = (k, v) => h('tr', {}, h('th', { scope: 'row' }, t(k)), h('td', {}, v));
  const declines = (a.declines || []).map((d) => `${codeName('decline_reasons', d.reason)}: ${fmtInt(d.count)}`).join('; ');
  return panel(t('ic-assist', { from: fmtDate(card.assistance_from), to: fmtDate(card.assistance_to) }),
    h('div', { class: 'row' },
      h('table', { id: 'card-assist-asked' }, h('caption', {}, t('ic-assist-asked')), h('tbody', {},
        row('ic-assist-made', fmtInt(a.requests_made)),
        row('ic-assist-committed', share(a.units_committed, a.units_requested)),
        row('ic-assist-first-offer', medianMinutes(a.first_offer)),
        row('ic-assist-first-commit', medianMinutes(a.first_commitment)))),
      h('table', { id: 'card-assist-given' }, h('caption', {}, t('ic-assist-given')), h('tbody', {},
        row('ic-assist-received', fmtInt(a.requests_received)),
        row('ic-assist-answered', fmtInt(a.answered)),
        row('ic-assist-provided', share(a.units_provided, a.units_asked)),
        row('ic-assist-first-answer', medianMinutes(a.first_answer)),
        row('ic-assist-declines', declines || t('none'))))));
}
