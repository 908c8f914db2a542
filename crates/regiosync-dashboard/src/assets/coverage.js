// regiosync dashboard, view 2: agreement coverage. Ids: cell-VR01-VR02 (matrix cell, with
// data-state active|gap|none|self), expiring, awaiting, gaps (the lists), use-<agreement>.
'use strict';

RENDER.coverage = async function viewCoverage() {
  const cov = await api('/api/coverage');
  const key = (a, b) => (a < b ? a + '|' + b : b + '|' + a);
  const active = new Map(cov.pairs.map((p) => [key(p.a, p.b), p.agreements]));
  const gaps = new Set(cov.uncovered_neighbours.map((p) => key(p.a, p.b)));
  const neighbours = new Set(state.meta.neighbours.map(([a, b]) => key(a, b)));
  const byState = cov.by_state || {};
  const codes = state.meta.regions.map((r) => r.code);

  const kpis = h('div', { class: 'kpis' },
    kpi(fmtInt(byState.active || 0), t('cov-kpi-active'), 'ok', 'kpi-active'),
    kpi(fmtInt(cov.pairs.length), t('cov-kpi-pairs'), '', 'kpi-pairs'),
    kpi(fmtInt(gaps.size), t('cov-kpi-gaps'), gaps.size ? 'warn' : 'ok', 'kpi-gaps'),
    kpi(fmtInt(cov.expiring.length), t('cov-kpi-expiring'), cov.expiring.length ? 'warn' : 'ok', 'kpi-expiring'),
    kpi(fmtInt(cov.awaiting.length), t('cov-kpi-awaiting'), cov.awaiting.length ? 'warn' : 'ok', 'kpi-awaiting'));

  const head = h('tr', {}, h('td', {}), codes.map((c) => h('th', { scope: 'col', title: rlabel(c) }, c.slice(2))));
  const body = codes.map((a) => h('tr', {}, h('th', { scope: 'row', title: rlabel(a) }, rlabel(a)), codes.map((b) => {
    if (a === b) return h('td', { class: 'self', id: `cell-${a}-${b}`, 'data-state': 'self', title: rlabel(a) });
    const k = key(a, b);
    const ags = active.get(k);
    const isGap = gaps.has(k);
    const nb = neighbours.has(k);
    const what = ags ? t('cov-cell-active', { n: ags.length, list: ags.join(', ') }) : t(isGap ? 'cov-cell-gap' : 'cov-cell-none');
    const title = `${rlabel(a)} × ${rlabel(b)}: ${what}${nb && !isGap ? ' ' + t('cov-cell-neighbours') : ''}`;
    const cls = (ags ? 'n' + Math.min(3, ags.length) : isGap ? 'gap' : '') + (nb ? ' nb' : '');
    return h('td', { class: cls, id: `cell-${a}-${b}`, 'data-state': ags ? 'active' : isGap ? 'gap' : 'none', title, 'aria-label': title },
      ags ? ags.length : isGap ? '!' : '');
  })));
  const matrix = h('table', { class: 'matrix', onmouseover: crosshair, onmouseleave: crosshair },
    h('thead', {}, head), h('tbody', {}, body));

  const ended = ['expired', 'revoked', 'rejected', 'withdrawn', 'superseded'];
  const states = Object.keys(byState).filter((s) => byState[s]).map((s) =>
    [badge(`${fmtInt(byState[s])} ${t('agreement-state-' + s)}`, s === 'active' ? 'ok' : ended.includes(s) ? 'plain' : 'warn'), ' ']);
  const gapList = cov.uncovered_neighbours.length === 0 ? h('p', { class: 'empty' }, t('cov-no-gaps'))
    : h('ul', { class: 'plain columns', id: 'gaps' }, cov.uncovered_neighbours.map((p) =>
      h('li', { title: `${rlabel(p.a)} — ${rlabel(p.b)}` }, `${p.a} ${rname(p.a)} — ${p.b} ${rname(p.b)}`)));

  return [
    kpis,
    h('div', { class: 'row' },
      h('div', { class: 'panel', style: { flex: '0 0 auto' } }, h('h3', {}, t('cov-matrix')), h('div', { class: 'scroll' }, matrix),
        legend([['sw-1', t('cov-legend-1')], ['sw-2', t('cov-legend-2')], ['sw-3', t('cov-legend-3')], ['sw-gap', t('cov-legend-gap')], ['sw-self', t('cov-legend-self')]]),
        h('p', { class: 'note' }, t('cov-matrix-note'))),
      h('div', { class: 'panel side' },
        h('h3', {}, t('cov-by-state')), h('p', {}, states.length ? states : h('span', { class: 'empty' }, t('cov-none-held'))),
        h('h3', {}, t('cov-expiring', { days: cov.window_days || 0, n: cov.expiring.length })), expiringList(cov.expiring),
        h('h3', {}, t('cov-awaiting', { n: cov.awaiting.length })), awaitingList(cov.awaiting),
        h('h3', {}, t('cov-gaps', { n: cov.uncovered_neighbours.length })), gapList)),
    assistanceUse(cov.assistance_use || []),
  ];
};

// A link to an agreement's record page.
function agreementLink(id, text) {
  return h('a', { href: '#agreement/' + enc(id) }, text || id);
}

// Which agreements assistance requests invoked, and how fast their partners answered.
function assistanceUse(uses) {
  const used = uses.filter((u) => u.used > 0);
  const never = uses.filter((u) => !u.used).map((u) => u.agreement_id);
  return panel(t('cov-use'),
    used.length === 0 ? h('p', { class: 'empty' }, t('cov-use-none'))
      : h('table', { id: 'assist-use' }, h('thead', {}, h('tr', {}, ['cov-use-agreement', 'cov-use-requests', 'cov-use-answer'].map((id) => h('th', { scope: 'col' }, t(id))))),
        h('tbody', {}, used.map((u) => h('tr', { id: `use-${u.agreement_id}` }, h('th', { scope: 'row' }, agreementLink(u.agreement_id)),
          h('td', { class: 'num' }, fmtInt(u.used)), h('td', {}, medianMinutes(u.partners_first_answer)))))),
    never.length ? h('p', { class: 'note' }, t('cov-use-never', { list: never.join(', ') })) : null);
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
  if (list.length === 0) return h('p', { class: 'empty' }, t('cov-expiring-none'));
  return h('ul', { class: 'plain', id: 'expiring' }, list.map((v) => {
    const inForce = (v.versions || []).find((x) => x.version === v.version_in_force) || {};
    const a = inForce.agreement || {};
    return h('li', {},
      badge(t('cov-days-left', { n: v.days_left }), v.days_left <= 14 ? 'bad' : 'warn'), ' ', h('b', {}, agreementLink(v.agreement_id, a.title || v.agreement_id)),
      h('div', { class: 'muted' }, `${v.agreement_id} v${v.version_in_force} · ${(a.parties || []).map((p) => p.region).join(', ')} · `
        + t('cov-valid-until', { date: fmtDate(a.validity && a.validity.valid_until) })));
  }));
}

function awaitingList(list) {
  if (list.length === 0) return h('p', { class: 'empty' }, t('cov-awaiting-none'));
  return h('ul', { class: 'plain', id: 'awaiting' }, list.map((w) => h('li', {},
    badge(t('cov-days', { n: w.waiting_days }), w.waiting_days > 30 ? 'bad' : 'plain', t('cov-days-why')), ' ',
    h('b', {}, agreementLink(w.agreement_id, `${w.agreement_id} v${w.version}`)), ' ', h('span', { class: 'muted' }, t('agreement-state-' + w.state)),
    h('div', { class: 'muted' }, t('cov-waiting-for', { list: w.unsigned.map(rlabel).join(', ') })))));
}
