// regiosync dashboard, view 1: national capacity. Ids: region-VR03 (reporting tile), total-TS
// (a resource type's national row), data-total="TS-available" (its cells).
'use strict';

RENDER.capacity = async function viewCapacity() {
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
    kpi(t('cap-kpi-counted-value', { n: nc.reporting.length, total }), t('cap-kpi-counted'), nc.reporting.length === total ? 'ok' : '', 'kpi-counted'),
    kpi(fmtInt(nc.stale.length), t('cap-kpi-stale'), nc.stale.length ? 'warn' : 'ok', 'kpi-stale'),
    local ? kpi(fmtInt(nc.missing.length), t('cap-kpi-unshared'), '', 'kpi-missing')
      : kpi(fmtInt(nc.missing.length), t('cap-kpi-missing'), nc.missing.length ? 'bad' : 'ok', 'kpi-missing'),
    kpi(fmtInt(nc.exercise_only.length), t('cap-kpi-exercise'), 'exercise', 'kpi-exercise'));

  const tiles = h('div', { class: 'tiles' }, state.meta.regions.map(({ code, name }) => {
    let cls = 'tile';
    let text = '–';
    if (stale.has(code)) {
      cls += ' stale';
      text = t('cap-tile-stale', { at: fmtMoment(stale.get(code).valid_until) });
    } else if (missing.has(code)) {
      cls += local ? ' unshared' : ' missing';
      text = t(local ? 'cap-tile-unshared' : 'cap-tile-missing');
    } else if (reporting.has(code)) {
      text = t('cap-tile-as-of', { at: fmtMoment(reporting.get(code).as_of) });
    }
    return h('div', { class: cls, id: 'region-' + code },
      h('b', {}, reporting.has(code) || stale.has(code) ? h('a', { href: '#capacityreport/' + code }, `${code} ${name}`) : `${code} ${name}`),
      h('span', { class: 'state' }, text),
      exercise.has(code) ? [' ', badge(t('cap-exercise-only'), 'exercise', t('cap-exercise-only-why'))] : null);
  }));
  const notCounted = [
    ...nc.stale.map((r) => t('cap-not-counted-stale', { region: rlabel(r.region) })),
    ...nc.missing.map((r) => t(exercise.has(r) ? 'cap-not-counted-exercise' : 'cap-not-counted-missing', { region: rlabel(r) })),
  ];

  const byCode = new Map(nc.totals.map((x) => [x.resource_type, x]));
  const known = new Set(state.meta.resource_types.map((x) => x.code));
  const ordered = state.meta.resource_types.filter((x) => byCode.has(x.code))
    .map((x) => [x.group, byCode.get(x.code)])
    .concat(nc.totals.filter((x) => !known.has(x.resource_type)).map((x) => [null, x]));
  const rows = [];
  let group;
  for (const [g, x] of ordered) {
    if (g !== group) {
      rows.push(h('tr', { class: 'group' }, h('th', { colspan: 10, scope: 'colgroup' }, groupName(g))));
      group = g;
    }
    const num = (col, v) => h('td', { class: 'num', 'data-total': `${x.resource_type}-${col}` }, fmtInt(v));
    rows.push(h('tr', { id: 'total-' + x.resource_type },
      h('th', { scope: 'row' }, codeName('resource_types', x.resource_type), ' ', h('span', { class: 'muted' }, x.resource_type)),
      num('regions', x.regions), num('baseline', x.baseline), num('available', x.available),
      num('committed', x.committed), num('out_of_service', x.out_of_service),
      num('surge_24h', x.surge_24h), num('surge_72h', x.surge_72h),
      h('td', {}, capacityBar(x.available, x.committed, x.out_of_service, x.baseline))));
  }
  const heads = ['cap-col-regions', 'cap-col-baseline', 'cap-col-available', 'cap-col-committed', 'cap-col-oos', 'cap-col-surge24', 'cap-col-surge72'];
  const table = nc.totals.length === 0 ? h('p', { class: 'empty' }, t('cap-none'))
    : h('table', {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('cap-col-type')), heads.map((id) => h('th', { class: 'num', scope: 'col' }, t(id))),
        h('th', { scope: 'col' }, t('cap-col-share')))),
      h('tbody', {}, rows));

  const held = local ? h('p', { class: 'banner info' }, t('cap-local', { region: rlabel(nc.answered_by) })) : null;
  return [
    held,
    kpis,
    panel(t('cap-status'), tiles,
      legend([['sw-ok', t('cap-legend-ok')], ['sw-stale', t('cap-legend-stale')], ['sw-missing', t('cap-legend-missing')]])),
    panel(t('cap-totals'), table, barLegend(false),
      h('p', { class: 'note' }, t('cap-totals-note', { n: nc.reporting.length, list: notCounted.length ? notCounted.join(', ') : t('none') }))),
    resourcePanel(res),
  ];
};

// The name of a resource group (brandweer, water, ...).
function groupName(g) {
  return g ? t('group-' + g) : t('group-other');
}

function barLegend(withStale) {
  return legend([['sw-a', t('bar-available')], ['sw-c', t('bar-committed')], ['sw-o', t('bar-oos')],
    withStale ? ['sw-stale', t('bar-stale')] : null].filter(Boolean));
}

function resourcePanel(res) {
  const groups = [...new Set(state.meta.resource_types.map((x) => x.group))];
  const typeSelect = h('select', { 'aria-label': t('cap-type'), onchange: (e) => { state.resourceType = e.target.value; refresh(); } },
    groups.map((g) => h('optgroup', { label: groupName(g) },
      state.meta.resource_types.filter((x) => x.group === g).map((x) =>
        h('option', { value: x.code, selected: x.code === state.resourceType }, `${x.name} (${x.code})`)))));
  const trouble = regionSelect(state.trouble, (v) => { state.trouble = v; refresh(); }, true, t('cap-trouble'));
  const partners = new Map(res.partners.map((p) => [p.region, p]));
  const max = Math.max(1, ...res.regions.map((r) => r.baseline));
  const typeName = codeName('resource_types', res.resource_type);
  const chart = h('div', { class: 'chart' }, res.regions.map((r) => {
    const p = partners.get(r.region);
    let fig;
    if (r.unreported) fig = h('span', { class: 'fig bad' }, t('cap-fig-unreported'));
    else if (r.stale) fig = h('span', { class: 'fig warn' }, t('cap-fig-stale', { available: r.available, baseline: r.baseline }));
    else fig = h('span', { class: 'fig' }, t('cap-fig', { available: r.available, baseline: r.baseline }));
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
      ? h('p', { class: 'note' }, t('cap-no-partner', { type: typeName, region: rlabel(state.trouble) }))
      : h('table', {}, h('caption', { class: 'muted' }, t('cap-partners', { region: rlabel(state.trouble) })),
        h('thead', {}, h('tr', {}, ['cap-partner', 'cap-agreement', 'cap-most', 'cap-now'].map((id, i) => h('th', { scope: 'col', class: i > 1 ? 'num' : null }, t(id))))),
        h('tbody', {}, res.partners.map((p) => h('tr', {},
          h('th', { scope: 'row' }, rlabel(p.region)), h('td', {}, h('a', { href: '#agreement/' + enc(p.agreement_id) }, `${p.agreement_id} v${p.version}`)),
          h('td', { class: 'num' }, fmtInt(p.max_quantity)),
          h('td', { class: 'num' + (p.stale ? ' warn' : p.unreported ? ' bad' : '') },
            p.unreported ? t('cap-fig-unreported') : p.stale ? t('cap-now-stale', { n: p.available }) : fmtInt(p.available))))));
  }
  return panel(null,
    h('div', { class: 'panel-head' }, h('h3', {}, t('cap-per-region', { type: typeName })),
      h('div', { class: 'controls' }, h('label', {}, t('cap-type'), ' ', typeSelect), h('label', {}, t('cap-trouble'), ' ', trouble))),
    chart, barLegend(true), help);
}
