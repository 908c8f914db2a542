// regiosync dashboard, the five views. Each asks its endpoints and returns the nodes of its
// section; app.js puts them on the page and calls again on every refresh. Elements the tests
// and people may want to point at carry ids: region-VR03 (capacity tile), total-TS,
// cell-VR01-VR02 (coverage matrix), rating-VR01-informatiemanagement (heat map).
'use strict';

const RENDER = { capacity: viewCapacity, coverage: viewCoverage, ratings: viewRatings, incontrol: viewInControl, quality: viewQuality, assistance: viewAssistance };

// ---- 1. capacity ---------------------------------------------------------------------------

async function viewCapacity() {
  const type = state.resourceType;
  const [nc, res] = await Promise.all([
    api('/api/national-capacity'),
    api('/api/resource?type=' + enc(type) + (state.trouble ? '&region=' + enc(state.trouble) : '')),
  ]);
  const stale = new Map(nc.stale.map((r) => [r.region, r]));
  const reporting = new Map(nc.reporting.map((r) => [r.region, r]));
  const missing = new Set(nc.missing);
  const exercise = new Set(nc.exercise_only);
  const total = state.meta.regions.length;
  // A region's own node answers only for what is shared with it: absent is not missing there.
  const local = nc.answered_by && nc.answered_by !== 'NL';

  const kpis = h('div', { class: 'kpis' },
    kpi(`${nc.reporting.length} of ${total}`, 'regions counted in the totals', nc.reporting.length === total ? 'ok' : '', 'kpi-counted'),
    kpi(nc.stale.length, 'stale reports: shown, not counted', nc.stale.length ? 'warn' : 'ok', 'kpi-stale'),
    local ? kpi(nc.missing.length, 'regions not shared with this node', '', 'kpi-missing')
      : kpi(nc.missing.length, 'regions without an actual report', nc.missing.length ? 'bad' : 'ok', 'kpi-missing'),
    kpi(nc.exercise_only.length, 'regions with exercise or test reports only', 'exercise', 'kpi-exercise'));

  const tiles = h('div', { class: 'tiles' }, state.meta.regions.map(({ code, name }) => {
    let cls = 'tile';
    let text = '–';
    if (stale.has(code)) {
      cls += ' stale';
      text = 'Stale since ' + fmtMoment(stale.get(code).valid_until);
    } else if (missing.has(code)) {
      cls += local ? ' unshared' : ' missing';
      text = local ? 'Not shared with this node' : 'No actual report';
    } else if (reporting.has(code)) {
      text = 'As of ' + fmtMoment(reporting.get(code).as_of);
    }
    return h('div', { class: cls, id: 'region-' + code },
      h('b', {}, `${code} ${name}`), h('span', { class: 'state' }, text),
      exercise.has(code) ? [' ', badge('exercise/test only', 'exercise', 'has exercise or test reports, which never count')] : null);
  }));
  const notCounted = [
    ...nc.stale.map((r) => `${rlabel(r.region)} (stale)`),
    ...nc.missing.map((r) => rlabel(r) + (exercise.has(r) ? ' (exercise/test only)' : ' (no report)')),
  ];

  const byCode = new Map(nc.totals.map((t) => [t.resource_type, t]));
  const known = new Set(state.meta.resource_types.map((t) => t.code));
  const ordered = state.meta.resource_types.filter((t) => byCode.has(t.code))
    .map((t) => [t.group, byCode.get(t.code)])
    .concat(nc.totals.filter((t) => !known.has(t.resource_type)).map((t) => [null, t]));
  const rows = [];
  let group;
  for (const [g, t] of ordered) {
    if (g !== group) {
      rows.push(h('tr', { class: 'group' }, h('th', { colspan: 10, scope: 'colgroup' }, GROUPS[g] || g || 'Other')));
      group = g;
    }
    const num = (col, v) => h('td', { class: 'num', 'data-total': `${t.resource_type}-${col}` }, fmtInt(v));
    rows.push(h('tr', { id: 'total-' + t.resource_type },
      h('th', { scope: 'row' }, t.name, ' ', h('span', { class: 'muted' }, t.resource_type)),
      num('regions', t.regions), num('baseline', t.baseline), num('available', t.available),
      num('committed', t.committed), num('out_of_service', t.out_of_service),
      num('surge_24h', t.surge_24h), num('surge_72h', t.surge_72h),
      h('td', {}, capacityBar(t.available, t.committed, t.out_of_service, t.baseline))));
  }
  const table = nc.totals.length === 0 ? h('p', { class: 'empty' }, 'No current actual capacity report is held.')
    : h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Resource type'), h('th', { class: 'num' }, 'Regions'),
        h('th', { class: 'num' }, 'Baseline'), h('th', { class: 'num' }, 'Available'), h('th', { class: 'num' }, 'Committed'),
        h('th', { class: 'num' }, 'Out of service'), h('th', { class: 'num' }, 'Surge 24 h'), h('th', { class: 'num' }, 'Surge 72 h'),
        h('th', {}, 'Share of baseline'))),
      h('tbody', {}, rows));

  const held = local
    ? h('p', { class: 'banner info' }, `${rlabel(nc.answered_by)}'s node answers with what it holds: its own records and those other regions share with it.`)
    : null;
  return [
    held,
    kpis,
    panel('Reporting status per region', tiles,
      legend([['sw-ok', 'current report, counted'], ['sw-stale', 'stale: past its valid-until, not counted'], ['sw-missing', 'no actual report']])),
    panel('National totals per resource type', table,
      legend([['sw-a', 'available'], ['sw-c', 'committed'], ['sw-o', 'out of service']]),
      h('p', { class: 'note' }, `Totals over ${nc.reporting.length} current actual reports. Not counted: `,
        notCounted.length ? notCounted.join(', ') : 'none', '.')),
    resourcePanel(res),
  ];
}

function resourcePanel(res) {
  const typeSelect = h('select', { 'aria-label': 'Resource type', onchange: (e) => { state.resourceType = e.target.value; refresh(); } },
    Object.entries(GROUPS).map(([g, label]) => h('optgroup', { label },
      state.meta.resource_types.filter((t) => t.group === g).map((t) =>
        h('option', { value: t.code, selected: t.code === state.resourceType }, `${t.name} (${t.code})`)))));
  const trouble = regionSelect(state.trouble, (v) => { state.trouble = v; refresh(); }, true);
  const partners = new Map(res.partners.map((p) => [p.region, p]));
  const max = Math.max(1, ...res.regions.map((r) => r.baseline));
  const chart = h('div', { class: 'chart' }, res.regions.map((r) => {
    const p = partners.get(r.region);
    let fig;
    if (r.unreported) fig = h('span', { class: 'fig bad' }, 'not reported');
    else if (r.stale) fig = h('span', { class: 'fig warn' }, `stale: ${r.available} of ${r.baseline}, not counted`);
    else fig = h('span', { class: 'fig' }, `${r.available} available of ${r.baseline}`);
    return [
      h('span', { class: 'name' + (p ? ' partner' : '') }, rlabel(r.region), r.region === state.trouble ? ' ◆' : '', p ? ' ★' : ''),
      r.unreported ? h('span', {})
        : h('div', { style: { width: (100 * r.baseline) / max + '%' } },
          capacityBar(r.available, r.committed, r.out_of_service, r.baseline, r.stale)),
      fig,
    ];
  }));
  let help = null;
  if (state.trouble) {
    help = res.partners.length === 0
      ? h('p', { class: 'note' }, `No active agreement covers ${res.name || res.resource_type} for ${rlabel(state.trouble)}.`)
      : h('table', {}, h('caption', { class: 'muted' }, `Who can help ${rlabel(state.trouble)} (★): partners by active agreement`),
        h('thead', {}, h('tr', {}, h('th', {}, 'Partner'), h('th', {}, 'Agreement'), h('th', { class: 'num' }, 'Most per request'), h('th', { class: 'num' }, 'Available now'))),
        h('tbody', {}, res.partners.map((p) => h('tr', {},
          h('th', { scope: 'row' }, rlabel(p.region)), h('td', {}, `${p.agreement_id} v${p.version}`),
          h('td', { class: 'num' }, p.max_quantity),
          h('td', { class: 'num' + (p.stale ? ' warn' : p.unreported ? ' bad' : '') }, p.unreported ? 'not reported' : p.stale ? `${p.available} (stale)` : p.available)))));
  }
  return panel(null,
    h('div', { class: 'panel-head' }, h('h3', {}, `${res.name || res.resource_type} per region`),
      h('div', { class: 'controls' }, h('label', {}, 'Resource type ', typeSelect), h('label', {}, 'Region in trouble ', trouble))),
    chart,
    legend([['sw-a', 'available'], ['sw-c', 'committed'], ['sw-o', 'out of service'], ['sw-stale', 'stale report (not counted)']]),
    help);
}

// ---- 2. agreement coverage -----------------------------------------------------------------

async function viewCoverage() {
  const cov = await api('/api/coverage');
  const key = (a, b) => (a < b ? a + '|' + b : b + '|' + a);
  const active = new Map(cov.pairs.map((p) => [key(p.a, p.b), p.agreements]));
  const gaps = new Set(cov.uncovered_neighbours.map((p) => key(p.a, p.b)));
  const neighbours = new Set(state.meta.neighbours.map(([a, b]) => key(a, b)));
  const byState = cov.by_state || {};
  const codes = state.meta.regions.map((r) => r.code);

  const kpis = h('div', { class: 'kpis' },
    kpi(byState.active || 0, 'active agreements', 'ok', 'kpi-active'),
    kpi(cov.pairs.length, 'pairs of regions bound by one', '', 'kpi-pairs'),
    kpi(gaps.size, 'neighbouring pairs without one', gaps.size ? 'warn' : 'ok', 'kpi-gaps'),
    kpi(cov.expiring.length, 'expiring soon', cov.expiring.length ? 'warn' : 'ok', 'kpi-expiring'),
    kpi(cov.awaiting.length, 'awaiting signatures', cov.awaiting.length ? 'warn' : 'ok', 'kpi-awaiting'));

  const head = h('tr', {}, h('th', {}), codes.map((c) => h('th', { scope: 'col', title: rlabel(c) }, c.slice(2))));
  const body = codes.map((a) => h('tr', {}, h('th', { scope: 'row', title: rlabel(a) }, rlabel(a)), codes.map((b) => {
    if (a === b) return h('td', { class: 'self', id: `cell-${a}-${b}`, 'data-state': 'self', title: rlabel(a) });
    const k = key(a, b);
    const ags = active.get(k);
    const isGap = gaps.has(k);
    const nb = neighbours.has(k);
    const what = ags ? `${ags.length} active agreement${ags.length > 1 ? 's' : ''}: ${ags.join(', ')}`
      : isGap ? 'neighbours without an active agreement' : 'no active agreement';
    const title = `${rlabel(a)} × ${rlabel(b)}: ${what}${nb && !isGap ? ' (neighbours)' : ''}`;
    const cls = (ags ? 'n' + Math.min(3, ags.length) : isGap ? 'gap' : '') + (nb ? ' nb' : '');
    return h('td', { class: cls, id: `cell-${a}-${b}`, 'data-state': ags ? 'active' : isGap ? 'gap' : 'none', title, 'aria-label': title },
      ags ? ags.length : isGap ? '!' : '');
  })));
  const matrix = h('table', { class: 'matrix', onmouseover: crosshair, onmouseleave: crosshair },
    h('thead', {}, head), h('tbody', {}, body));

  const states = Object.keys(STATES).filter((s) => byState[s]).map((s) =>
    [badge(`${byState[s]} ${STATES[s]}`, s === 'active' ? 'ok' : ['expired', 'revoked', 'rejected', 'withdrawn'].includes(s) ? 'plain' : 'warn'), ' ']);
  const gapList = cov.uncovered_neighbours.length === 0 ? h('p', { class: 'empty' }, 'Every pair of neighbours has an active agreement.')
    : h('ul', { class: 'plain columns', id: 'gaps' }, cov.uncovered_neighbours.map((p) =>
      h('li', { title: `${rlabel(p.a)} — ${rlabel(p.b)}` }, `${p.a} ${rname(p.a)} — ${p.b} ${rname(p.b)}`)));

  return [
    kpis,
    h('div', { class: 'row' },
      h('div', { class: 'panel', style: { flex: '0 0 auto' } }, h('h3', {}, 'Who is bound to whom'), matrix,
        legend([['sw-1', '1 active agreement'], ['sw-2', '2'], ['sw-3', '3 or more'], ['sw-gap', 'neighbours without one (!)'], ['sw-self', 'same region']]),
        h('p', { class: 'note' }, 'A dark outline marks neighbours (shipped neighbour map). Hover a cell for the regions and agreements.')),
      h('div', { class: 'panel side' },
        h('h3', {}, 'Agreements by state'), h('p', {}, states.length ? states : h('span', { class: 'empty' }, 'No agreements held.')),
        h('h3', {}, `Expiring within ${cov.window_days || 'the window of'} days (${cov.expiring.length})`), expiringList(cov.expiring),
        h('h3', {}, `Awaiting signatures (${cov.awaiting.length})`), awaitingList(cov.awaiting),
        h('h3', {}, `Neighbours without an active agreement (${cov.uncovered_neighbours.length})`), gapList)),
    assistanceUse(cov.assistance_use || []),
  ];
}

// Which agreements assistance requests invoked, and how fast their partners answered.
function assistanceUse(uses) {
  const used = uses.filter((u) => u.used > 0);
  const never = uses.filter((u) => !u.used).map((u) => u.agreement_id);
  return panel('Agreements in assistance requests',
    used.length === 0 ? h('p', { class: 'empty' }, 'No assistance request invoked an agreement.')
      : h('table', { id: 'assist-use' }, h('thead', {}, h('tr', {}, ['Agreement', 'Requests', "Partners' first answer after"].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, used.map((u) => h('tr', { id: `use-${u.agreement_id}` }, h('th', { scope: 'row' }, u.agreement_id),
          h('td', { class: 'num' }, u.used), h('td', {}, medianMinutes(u.partners_first_answer)))))),
    never.length ? h('p', { class: 'note' }, `Never invoked: ${never.join(', ')}`) : null);
}

function crosshair(e) {
  const table = e.currentTarget;
  for (const th of table.querySelectorAll('th.hl')) th.classList.remove('hl');
  const td = e.type === 'mouseover' && e.target.closest('td');
  if (!td) return;
  const row = td.parentElement;
  row.firstElementChild.classList.add('hl');
  const col = table.tHead.rows[0].cells[td.cellIndex];
  if (col) col.classList.add('hl');
}

function expiringList(list) {
  if (list.length === 0) return h('p', { class: 'empty' }, 'No active agreement expires within the window.');
  return h('ul', { class: 'plain', id: 'expiring' }, list.map((v) => {
    const inForce = (v.versions || []).find((x) => x.version === v.version_in_force) || {};
    const a = inForce.agreement || {};
    return h('li', {},
      badge(`${v.days_left} d left`, v.days_left <= 14 ? 'bad' : 'warn'), ' ', h('b', {}, a.title || v.agreement_id),
      h('div', { class: 'muted' }, `${v.agreement_id} v${v.version_in_force} · ${(a.parties || []).map((p) => p.region).join(', ')}`
        + ` · valid until ${fmtDate(a.validity && a.validity.valid_until)}`));
  }));
}

function awaitingList(list) {
  if (list.length === 0) return h('p', { class: 'empty' }, 'Nothing waits for a signature.');
  return h('ul', { class: 'plain', id: 'awaiting' }, list.map((w) => h('li', {},
    badge(`${w.waiting_days} d`, w.waiting_days > 30 ? 'bad' : 'plain', 'days since proposed'), ' ',
    h('b', {}, `${w.agreement_id} v${w.version}`), ' ', h('span', { class: 'muted' }, STATES[w.state] || w.state),
    h('div', { class: 'muted' }, 'waiting for ', w.unsigned.map(rlabel).join(', ')))));
}

// ---- 3. rating heat map --------------------------------------------------------------------

function ratingCell(region, a) {
  if (!a || !a.latest) return h('td', { class: 'r r-none', title: 'not rated' }, '–');
  const [arrow, said] = TRENDS[a.trend] || ['', 'no earlier rating'];
  const title = `${rlabel(region)} · ${a.name || areaName(a.area)}: ${a.latest} (${ratingName(a.latest).toLowerCase()}); `
    + (a.previous ? `before: ${a.previous}, ${said}` : said) + (a.weak_twice ? '; M or U twice in a row' : '');
  return h('td', { class: `r r-${a.latest}` + (a.weak_twice ? ' weak2' : ''), id: `rating-${region}-${a.area}`,
    'data-rating': a.latest, 'data-weak-twice': a.weak_twice ? 'true' : null, title },
  a.latest, arrow ? h('span', { class: 'trend', 'aria-hidden': 'true' }, arrow) : null,
  a.weak_twice ? h('span', { class: 'weak2-mark' }, '2×') : null);
}

async function viewRatings() {
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
      h('tr', { class: 'groups' }, h('th', {}), groups.map(([g, n]) => h('th', { colspan: n, scope: 'colgroup' }, AREA_GROUPS[g] || g)), h('th', { colspan: 3 })),
      h('tr', {}, h('th', { scope: 'col' }, 'Region'), areas.map((a) => h('th', { scope: 'col', title: a.name }, breakable(a.name))),
        h('th', { scope: 'col' }, 'Evaluations'), h('th', { scope: 'col' }, 'Open actions'), h('th', { scope: 'col' }, 'Board informed'))),
    h('tbody', {}, r.cards.map((c) => {
      const board = c.board_last_informed;
      const late = board ? c.board_days_ago > 365 : true;
      return h('tr', {},
        h('th', { scope: 'row' }, h('a', { href: '#incontrol/' + c.region }, rlabel(c.region))),
        areas.map((a) => ratingCell(c.region, c.areas.find((x) => x.area === a.code))),
        h('td', { class: 'side num' }, c.evaluations),
        h('td', { class: 'side' + (c.overdue ? ' bad' : '') }, c.open_actions.length + (c.overdue ? ` (${c.overdue} overdue)` : '')),
        h('td', { class: 'side' + (late ? ' warn' : '') }, board ? fmtDate(board) : 'never'));
    })));

  return [
    h('div', { class: 'kpis' },
      kpi(r.cards.length - none.length, 'regions with evaluations', '', 'kpi-evaluated'),
      kpi(weak.length, 'regions with an area rated M or U twice in a row', weak.length ? 'bad' : 'ok', 'kpi-weak'),
      kpi(overdue, 'overdue improvement actions', overdue ? 'warn' : 'ok', 'kpi-overdue'),
      kpi(bench.evaluations, 'actual evaluations counted', '', 'kpi-evaluations')),
    panel('Latest rating per region and area', table,
      ratingLegend(),
      legend([['', '↑ better, ↓ worse, → same as the evaluation before'], ['', '2× with dark outline: M or U twice in a row'], ['', '– not rated (no evaluation)']])),
    benchmarkPanel(bench),
  ];
}

function benchmarkPanel(bench) {
  const years = [...new Set(bench.areas.map((a) => a.year))].sort((a, b) => b - a);
  const pick = (label, value, options, set) => h('label', {}, label + ' ', h('select', { onchange: (e) => { set(e.target.value); refresh(); } },
    options.map(([v, text]) => h('option', { value: v, selected: String(v) === String(value) }, text))));
  const wanted = bench.areas.filter((a) => (state.year === 'all' || String(a.year) === state.year) && (state.kind === 'all' || a.event_kind === state.kind));
  const sum = (rows, side) => rows.reduce((t, a) => {
    const c = a[side] || {};
    for (const k of ['p', 's', 'm', 'u', 'not_observed']) t[k] = (t[k] || 0) + (c[k] || 0);
    return t;
  }, {});
  const rows = state.meta.areas.map((area) => {
    const c = sum(wanted.filter((a) => a.area === area.code), 'national');
    const n = c.p + c.s + c.m + c.u + c.not_observed;
    return [h('span', {}, area.name), ratingStack(c), h('span', { class: 'who' }, `${n} rated`)];
  });
  return panel(null,
    h('div', { class: 'panel-head' }, h('h3', {}, 'National distribution per area'),
      h('div', { class: 'controls' },
        pick('Year', state.year, [['all', 'all years'], ...years.map((y) => [y, y])], (v) => { state.year = v; }),
        pick('Events', state.kind, [['all', 'incidents and exercises'], ['incident', 'incidents'], ['exercise', 'exercises']], (v) => { state.kind = v; }))),
    h('div', { class: 'dist' }, rows), ratingLegend());
}

// ---- 4. in-control card --------------------------------------------------------------------

async function viewInControl() {
  const region = state.region;
  const [card, bench] = await Promise.all([api('/api/in-control?region=' + enc(region)), api('/api/benchmark?region=' + enc(region))]);
  const select = regionSelect(region, (v) => { location.hash = '#incontrol/' + v; });
  const board = card.board_last_informed;
  const boardAge = board ? card.board_days_ago : null;
  const fact = (k, v, tone, id) => h('div', { class: 'fact ' + (tone || ''), id }, h('div', { class: 'k' }, k), h('div', { class: 'v' }, v));
  const facts = h('div', { class: 'facts' },
    fact('Evaluations held', card.evaluations, card.evaluations ? '' : 'warn'),
    fact('Latest event evaluated', card.latest_event_date ? fmtDate(card.latest_event_date) : 'none', card.latest_event_date ? '' : 'warn'),
    fact('Board last informed', board ? `${fmtDate(board)} (${boardAge} d ago)` : 'never', !board ? 'bad' : boardAge > 365 ? 'warn' : '', 'fact-board'),
    fact('Open improvement actions', card.open_actions.length),
    fact('Overdue actions', card.overdue, card.overdue ? 'bad' : '', 'fact-overdue'),
    fact('Capacity data', card.capacity_as_of ? `as of ${fmtMoment(card.capacity_as_of)}` + (card.capacity_stale ? ' · stale' : '') : 'no report',
      !card.capacity_as_of ? 'bad' : card.capacity_stale ? 'warn' : '', 'fact-capacity'));

  const areaRows = card.areas.map((a) => {
    const [arrow, said] = TRENDS[a.trend] || ['', a.previous ? '' : 'first rating'];
    const cell = (r) => h('td', { class: 'rating ' + (r ? 'r-' + r : 'r-none'), title: r ? ratingName(r) : 'not rated' }, r || '–');
    return h('tr', {}, h('th', { scope: 'row' }, a.name || areaName(a.area)), cell(a.previous), cell(a.latest),
      h('td', {}, arrow ? `${arrow} ${a.trend}` : said),
      h('td', {}, a.weak_twice ? badge('M or U twice in a row', 'bad') : null));
  });
  const areas = card.areas.length === 0 ? h('p', { class: 'empty' }, `${rlabel(region)} has filed no actual evaluation.`)
    : h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Area'), h('th', {}, 'Previous'), h('th', {}, 'Latest'), h('th', {}, 'Trend'), h('th', {}))),
      h('tbody', {}, areaRows));

  const sum = (code, side) => bench.areas.filter((a) => a.area === code).reduce((t, a) => {
    const c = a[side] || {};
    for (const k of ['p', 's', 'm', 'u', 'not_observed']) t[k] = (t[k] || 0) + (c[k] || 0);
    return t;
  }, {});
  const compare = h('div', { class: 'dist' }, state.meta.areas.map((a) => [
    h('span', {}, a.name), ratingStack(sum(a.code, 'region')), h('span', { class: 'who' }, region),
    h('span', {}), ratingStack(sum(a.code, 'national')), h('span', { class: 'who' }, 'national'),
  ]));

  const actions = [...card.open_actions].sort((x, y) => (y.overdue - x.overdue) || String(x.action.due).localeCompare(String(y.action.due)));
  const actionTable = actions.length === 0 ? h('p', { class: 'empty' }, 'No open improvement actions.')
    : h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Action'), h('th', {}, 'Area'), h('th', {}, 'Owner'), h('th', {}, 'Due'), h('th', {}, 'Status'))),
      h('tbody', {}, actions.map((v) => {
        const a = v.action || {};
        return h('tr', {},
          h('th', { scope: 'row' }, a.description, h('div', { class: 'muted' }, a.action_id)),
          h('td', {}, areaName(a.area)), h('td', {}, a.owner),
          h('td', { class: v.overdue ? 'bad' : '' }, fmtDate(a.due), v.overdue ? ' · overdue' : ''),
          h('td', {}, String(a.status || '').replace(/_/g, ' ')));
      })));

  const year = new Date().getFullYear();
  const report = (format, text) => h('a', { href: `/report/region/${enc(region)}?period=${year}&format=${format}`, target: '_blank', rel: 'noopener' }, text);
  return [
    h('div', { class: 'card-head' }, h('h3', { id: 'card-title' }, rlabel(region)), h('label', { class: 'controls' }, 'Show another region ', select)),
    h('p', { class: 'report-links', id: 'report-links' }, `Report for the board (${year}): `, report('html', 'print-ready page'), ' · ', report('pdf', 'PDF'), ' · ', report('csv', 'tables as CSV')),
    facts,
    h('div', { class: 'row', style: { marginTop: '1rem' } },
      panel('Areas: newest evaluation against the one before', areas),
      panel(`${region} against the national distribution (all years)`, compare, ratingLegend())),
    panel(`Open improvement actions (${card.open_actions.length})`, actionTable),
    assistanceRecord(card),
  ];
}

// "2 of 7 (29%)", or '–' when nothing was asked.
function share(part, whole) {
  const p = Number(part || 0);
  const w = Number(whole || 0);
  return w > 0 ? `${p} of ${w} (${Math.round((100 * p) / w)}%)` : '–';
}

// A duration over requests: "12 min (median of 3; 1 without)", or '–' when none.
function medianMinutes(d) {
  if (!d || !d.count) return d && d.without ? `– (${d.without} without)` : '–';
  return `${Math.round(Number(d.median_ms) / 60000)} min (median of ${d.count}${d.without ? `; ${d.without} without` : ''})`;
}

// The region's assistance record over the card's period: as requester and as member asked.
function assistanceRecord(card) {
  const a = card.assistance;
  if (!a) return null;
  const row = (k, v) => h('tr', {}, h('th', { scope: 'row' }, k), h('td', {}, v));
  const declines = (a.declines || []).map((d) => `${codeName('decline_reasons', d.reason)}: ${d.count}`).join('; ');
  return panel(`Assistance from ${fmtDate(card.assistance_from)} up to ${fmtDate(card.assistance_to)}`,
    h('div', { class: 'row' },
      h('table', { id: 'card-assist-asked' }, h('caption', {}, 'As requester'), h('tbody', {},
        row('Requests made', a.requests_made),
        row('Units committed of requested', share(a.units_committed, a.units_requested)),
        row('First offer after', medianMinutes(a.first_offer)),
        row('First commitment after', medianMinutes(a.first_commitment)))),
      h('table', { id: 'card-assist-given' }, h('caption', {}, 'As member asked'), h('tbody', {},
        row('Requests received', a.requests_received),
        row('Answered', a.answered),
        row('Units provided of asked', share(a.units_provided, a.units_asked)),
        row('First answer after', medianMinutes(a.first_answer)),
        row('Declines', declines || 'none')))));
}

// ---- 5. data quality -----------------------------------------------------------------------

async function viewQuality() {
  const dq = await api('/api/data-quality');
  const stale = dq.regions.filter((r) => r.capacity_stale).length;
  const missing = dq.regions.filter((r) => r.capacity_missing).length;
  const unreported = dq.regions.reduce((n, r) => n + r.not_reported_to_board, 0);
  const refused = dq.regions.reduce((n, r) => n + Number(r.rejected), 0);
  const behind = dq.regions.filter((r) => Number(r.behind) > 0).length;
  const forked = dq.regions.filter((r) => Number(r.equivocations) > 0).length;
  const damaged = dq.regions.reduce((n, r) => n + Number(r.damaged), 0);
  const absent = dq.regions.reduce((n, r) => n + Number(r.missing || 0), 0);
  const rows = dq.regions.map((r) => h('tr', { id: 'quality-' + r.region },
    h('th', { scope: 'row' }, rlabel(r.region)),
    h('td', { class: r.capacity_missing ? 'bad' : r.capacity_stale ? 'warn' : '' },
      r.capacity_missing ? 'no report' : fmtMoment(r.capacity_as_of) + (r.capacity_stale ? ' · stale' : '')),
    h('td', { class: 'num' }, fmtInt(r.capacity_reports)),
    h('td', { class: 'num' + (r.evaluations ? '' : ' warn') }, r.evaluations),
    h('td', { class: 'num' + (r.not_reported_to_board ? ' warn' : '') }, r.not_reported_to_board),
    h('td', {}, r.latest_evaluation ? fmtDate(r.latest_evaluation) : '–'),
    h('td', { class: 'num' + (Number(r.rejected) ? ' bad' : '') }, fmtInt(r.rejected)),
    h('td', { class: 'num' + (Number(r.behind) ? ' warn' : '') }, fmtInt(r.behind)),
    h('td', {}, r.last_contact_unix_ms ? ago(Number(r.last_contact_unix_ms)) : 'not a direct peer'),
    h('td', { class: Number(r.equivocations) || Number(r.damaged) || Number(r.missing || 0) ? 'bad' : '' },
      [Number(r.equivocations) ? 'log forked' : '', Number(r.damaged) ? `${fmtInt(r.damaged)} damaged` : '',
        Number(r.missing || 0) ? `${fmtInt(r.missing)} missing` : ''].filter(Boolean).join(' · ') || 'ok')));
  return [
    h('div', { class: 'kpis' },
      kpi(stale, 'regions with stale capacity', stale ? 'warn' : 'ok'),
      kpi(missing, 'regions without capacity', missing ? 'bad' : 'ok'),
      kpi(unreported, 'evaluations not reported to a board', unreported ? 'warn' : 'ok'),
      kpi(refused, 'entries refused by this node', refused ? 'bad' : 'ok'),
      kpi(behind, 'regions this node is behind on', behind ? 'warn' : 'ok'),
      kpi(forked, 'regions whose log forked', forked ? 'bad' : 'ok'),
      kpi(damaged, 'entries damaged in this node\'s store', damaged ? 'bad' : 'ok'),
      kpi(absent, 'entries no peer could send yet', absent ? 'bad' : 'ok')),
    panel('Per region', h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Region'), h('th', {}, 'Capacity as of'), h('th', { class: 'num' }, 'Reports'),
        h('th', { class: 'num' }, 'Evaluations'), h('th', { class: 'num' }, 'Not reported to board'), h('th', {}, 'Latest evaluated event'),
        h('th', { class: 'num' }, 'Refused entries'), h('th', { class: 'num' }, 'Behind'), h('th', {}, 'Last direct contact'),
        h('th', {}, 'Integrity'))),
      h('tbody', {}, rows))),
  ];
}

// ---- 6. assistance requests ----------------------------------------------------------------
// Ids: assist-VR17-1 (a request), line-VR17-1-TS (a line's bar), answer-VR17-1-VR16 (an
// addressee's row), timeline-VR17-1 (the detail, shown for the request named in #assistance/<id>).

const ASSIST_STATES = { open: 'open, nothing committed', partially_covered: 'partially covered', covered: 'covered', closed: 'closed', cancelled: 'cancelled' };
const ANSWERS = { offered: 'offered', declined: 'declined', no_answer: 'no answer yet' };
const STEPS = { request: 'request', routing: 'routed by the national level', offer: 'offer', decline: 'decline', acceptance: 'acceptance', deployment: 'deployment status', close: 'closed', cancel: 'cancelled' };

// Minutes from one moment (ms) to another, or '–' when either is missing.
function minutesAfter(from, to) {
  return from > 0 && to > 0 ? `${Math.round((to - from) / 60000)} min` : '–';
}

// A line filling up: committed and on scene against requested, the minimum marked, numbers as text.
function lineBar(id, l) {
  const n = (x) => x || 0;
  const pct = (x) => `${l.requested > 0 ? Math.min(100, (100 * n(x)) / l.requested) : 0}%`;
  const text = `committed ${n(l.committed)} of ${l.requested} ${l.resource_type}, offered ${n(l.offered)}, on scene ${n(l.on_scene)}, released ${n(l.released)}`
    + (l.minimum ? `, minimum ${l.minimum}` : '');
  return h('li', { class: 'assist-line', id: `line-${id}-${l.resource_type}`, 'data-committed': n(l.committed), 'data-requested': l.requested },
    h('span', { class: 'type', title: codeName('resource_types', l.resource_type) }, l.resource_type),
    h('div', { class: 'bar', role: 'img', 'aria-label': text },
      h('span', { class: 'c', style: { width: pct(n(l.committed) - n(l.on_scene)) } }),
      h('span', { class: 'a', style: { width: pct(l.on_scene) } }),
      l.minimum ? h('i', { class: 'min', title: `minimum ${l.minimum}`, style: { left: pct(l.minimum) } }) : null),
    h('span', { class: 'figures' }, text));
}

function addresseeRows(id, v) {
  const declines = new Map((v.offers || []).filter((o) => o.state === 'declined').map((o) => [o.record.origin, o.offer]));
  return h('table', {}, h('caption', {}, 'Asked and their answers'),
    h('thead', {}, h('tr', {}, ['Member', 'Answer', 'After'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, (v.addressees || []).map((a) => {
      const d = declines.get(a.member);
      const why = a.answer === 'declined' && d ? ` (${codeName('decline_reasons', d.decline_reason)}${d.note ? ': ' + d.note : ''})` : '';
      return h('tr', { id: `answer-${id}-${a.member}` }, h('th', { scope: 'row' }, rlabel(a.member)),
        h('td', {}, (ANSWERS[a.answer] || a.answer) + why), h('td', {}, minutesAfter(v.requested_unix_ms, a.first_answer_unix_ms)));
    })));
}

function assistDetail(id, v) {
  const deployed = (d) => (d.state === 'committed' ? 'committed, no status yet' : codeName('deployment_states', d.state)) + (d.until ? ` until ${fmtMoment(d.until)}` : '');
  return h('div', { class: 'assist-detail', id: `timeline-${id}` },
    h('table', {}, h('caption', {}, 'Timeline'),
      h('thead', {}, h('tr', {}, ['Time', 'After', 'Member', 'Step', 'Summary'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, (v.timeline || []).map((e) => h('tr', {}, h('td', {}, fmtMoment(e.at_unix_ms)), h('td', {}, minutesAfter(v.requested_unix_ms, e.at_unix_ms)),
        h('td', {}, rlabel(e.member)), h('td', {}, STEPS[e.step] || e.step), h('td', {}, e.summary))))),
    h('table', {}, h('caption', {}, 'Committed units'),
      h('thead', {}, h('tr', {}, ['From', 'Type', 'Units', 'State', 'Since'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, (v.deployments || []).map((d) => h('tr', {}, h('td', {}, rlabel(d.offerer)), h('td', {}, d.resource_type), h('td', { class: 'num' }, d.committed),
        h('td', {}, deployed(d)), h('td', {}, fmtMoment(d.since_unix_ms)))))));
}

function assistItem(v) {
  const id = v.record.id;
  const r = v.request || {};
  const inc = r.incident || {};
  const where = r.location ? r.location.municipality || r.location.description : '';
  const open = state.assistOpen === id;
  return h('li', { class: 'assist', id: `assist-${id}`, 'data-state': v.state },
    h('h3', {}, h('button', { type: 'button', 'aria-expanded': open ? 'true' : 'false', 'aria-controls': `timeline-${id}`,
      onclick: () => { location.hash = open ? '#assistance' : `#assistance/${encodeURIComponent(id)}`; } },
    `${id} · ${rlabel(v.record.origin)} · ${inc.reference || ''}`),
    ' ', badge(ASSIST_STATES[v.state] || v.state, v.state === 'covered' ? 'ok' : v.state === 'open' ? 'warn' : 'plain')),
    h('p', {}, [`Needed by ${fmtMoment(r.needed_by)}`, codeName('escalation_levels', inc.escalation), where, inc.description].filter((x) => x).join(' · ')),
    h('ul', { class: 'assist-lines', 'aria-label': 'Lines' }, (v.lines || []).map((l) => lineBar(id, l))),
    addresseeRows(id, v),
    open ? assistDetail(id, v) : null);
}

async function viewAssistance() {
  const list = (await api('/api/assistance')).requests || [];
  const done = (v) => v.state === 'closed' || v.state === 'cancelled';
  const live = list.filter((v) => !done(v));
  const over = list.filter(done);
  return [
    live.length ? h('ul', { class: 'assist-list', 'aria-label': 'Open requests' }, live.map(assistItem)) : h('p', {}, 'No open assistance requests.'),
    h('details', { open: over.some((v) => v.record.id === state.assistOpen) ? '' : null }, h('summary', {}, `Closed and cancelled (${over.length})`),
      h('ul', { class: 'assist-list', 'aria-label': 'Closed and cancelled requests' }, over.map(assistItem))),
  ];
}
