// regiosync dashboard, view 6: assistance requests. Ids: assist-VR17-1 (a request),
// line-VR17-1-TS (a line's bar), answer-VR17-1-VR16 (an addressee's row), timeline-VR17-1 (the
// detail, shown for the request named in #assistance/<id>).
'use strict';

// Minutes from one moment (ms) to another, or '–' when either is missing.
function minutesAfter(from, to) {
  return from > 0 && to > 0 ? fmtMinutes(to - from) : '–';
}

// A line filling up: committed and on scene against requested, the minimum marked, numbers as text.
function lineBar(id, l) {
  const n = (x) => Number(x || 0);
  const pct = (x) => `${l.requested > 0 ? Math.min(100, (100 * n(x)) / l.requested) : 0}%`;
  const text = t(l.minimum ? 'as-line-min' : 'as-line', { committed: n(l.committed), requested: n(l.requested), type: l.resource_type,
    offered: n(l.offered), on_scene: n(l.on_scene), released: n(l.released), minimum: n(l.minimum) });
  return h('li', { class: 'assist-line', id: `line-${id}-${l.resource_type}`, 'data-committed': n(l.committed), 'data-requested': l.requested },
    h('span', { class: 'type', title: codeName('resource_types', l.resource_type) }, l.resource_type),
    h('div', { class: 'bar', role: 'img', 'aria-label': text },
      h('span', { class: 'c', style: { width: pct(n(l.committed) - n(l.on_scene)) } }),
      h('span', { class: 'a', style: { width: pct(l.on_scene) } }),
      l.minimum ? h('i', { class: 'min', title: t('as-minimum', { n: n(l.minimum) }), style: { left: pct(l.minimum) } }) : null),
    h('span', { class: 'figures' }, text));
}

function addresseeRows(id, v) {
  const declines = new Map((v.offers || []).filter((o) => o.state === 'declined').map((o) => [o.record.origin, o.offer]));
  return h('table', {}, h('caption', {}, t('as-asked')),
    h('thead', {}, h('tr', {}, ['as-member', 'as-answer', 'as-after'].map((k) => h('th', { scope: 'col' }, t(k))))),
    h('tbody', {}, (v.addressees || []).map((a) => {
      const d = declines.get(a.member);
      const why = a.answer === 'declined' && d ? ` (${codeName('decline_reasons', d.decline_reason)}${d.note ? ': ' + d.note : ''})` : '';
      return h('tr', { id: `answer-${id}-${a.member}` }, h('th', { scope: 'row' }, rlabel(a.member)),
        h('td', {}, t('as-answer-' + a.answer) + why), h('td', {}, minutesAfter(v.requested_unix_ms, a.first_answer_unix_ms)));
    })));
}

// A timeline line in the page's language, from the event's fields (the node's own summary,
// in English, when it has none).
function stepSummary(e) {
  if (!e.step || (e.units === undefined && e.members === undefined && e.code === undefined)) return e.summary;
  const units = (e.units || []).map((u) => `${fmtInt(u.quantity)} ${u.resource_type}`).join(', ');
  const members = [...(e.members || []).map(rlabel), ...(e.national ? [t('as-national-level')] : [])].join(', ');
  const until = e.until ? ' ' + t('as-until', { at: fmtMoment(e.until) }) : '';
  switch (e.step) {
    case 'request': return t('as-sum-request', { units, members });
    case 'routing': return t('as-sum-routing', { members });
    case 'offer': return t('as-sum-offer', { units, eta: fmtMoment(e.eta) });
    case 'acceptance': return (e.units || []).map((u) => t('as-sum-commit', { n: u.quantity, type: u.resource_type, offer: u.offer_id })).join(', ');
    case 'decline': return codeName('decline_reasons', e.code) + (e.note ? ': ' + e.note : '');
    case 'deployment': return (e.units || []).map((u) => t(u.offer_id ? 'as-sum-deployed' : 'as-sum-deployed-all',
      { state: codeName('deployment_states', e.code), type: u.resource_type, offer: u.offer_id })).join(', ') + until;
    default: return e.note || e.summary;
  }
}

function assistDetail(id, v) {
  const deployed = (d) => (d.state === 'committed' ? t('as-committed-no-status') : codeName('deployment_states', d.state))
    + (d.until ? ' ' + t('as-until', { at: fmtMoment(d.until) }) : '');
  const heads = (...ids) => h('thead', {}, h('tr', {}, ids.map((k) => h('th', { scope: 'col' }, t(k)))));
  return h('div', { class: 'assist-detail', id: `timeline-${id}` },
    h('table', {}, h('caption', {}, t('as-timeline')), heads('as-time', 'as-after', 'as-member', 'as-step', 'as-summary'),
      h('tbody', {}, (v.timeline || []).map((e) => h('tr', {}, h('td', {}, fmtMoment(e.at_unix_ms)), h('td', {}, minutesAfter(v.requested_unix_ms, e.at_unix_ms)),
        h('td', {}, rlabel(e.member)), h('td', {}, t('as-step-' + e.step)), h('td', {}, stepSummary(e)))))),
    h('table', {}, h('caption', {}, t('as-units')), heads('as-from', 'as-type', 'as-count', 'as-state', 'as-since'),
      h('tbody', {}, (v.deployments || []).map((d) => h('tr', {}, h('td', {}, rlabel(d.offerer)), h('td', {}, d.resource_type), h('td', { class: 'num' }, fmtInt(d.committed)),
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
      onclick: () => { location.hash = open ? '#assistance' : `#assistance/${enc(id)}`; } },
    `${id} · ${rlabel(v.record.origin)} · ${inc.reference || ''}`),
    ' ', badge(t('as-state-' + v.state), v.state === 'covered' ? 'ok' : v.state === 'open' ? 'warn' : 'plain')),
    h('p', {}, [t('as-needed-by', { at: fmtMoment(r.needed_by) }), codeName('escalation_levels', inc.escalation), where, inc.description].filter((x) => x).join(' · ')),
    h('ul', { class: 'assist-lines', 'aria-label': t('as-lines') }, (v.lines || []).map((l) => lineBar(id, l))),
    addresseeRows(id, v),
    open ? assistDetail(id, v) : null);
}

RENDER.assistance = async function viewAssistance() {
  const list = (await api('/api/assistance')).requests || [];
  const done = (v) => v.state === 'closed' || v.state === 'cancelled';
  const live = list.filter((v) => !done(v));
  const over = list.filter(done);
  return [
    live.length ? h('ul', { class: 'assist-list', 'aria-label': t('as-open-list') }, live.map(assistItem)) : h('p', {}, t('as-none-open')),
    h('details', { open: over.some((v) => v.record.id === state.assistOpen) ? '' : null }, h('summary', {}, t('as-closed', { n: over.length })),
      h('ul', { class: 'assist-list', 'aria-label': t('as-closed-list') }, over.map(assistItem))),
  ];
};
