// regiosync dashboard, the records behind the figures: #agreement/<id> (its versions,
// signatures and history), #evaluation/<record id> (its ratings, strengths and actions) and
// #capacityreport/<region> (the region's current capacity report). Reached from the links in
// the other views. Ids: record-title, versions, history, ratings, actions, entries.
'use strict';

// Who, when and which record: the lines every record page starts with.
function recordFacts(rows) {
  return h('dl', { class: 'record-facts' }, rows.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => [h('dt', {}, t(k)), h('dd', {}, v)]));
}

function recordMeta(m) {
  if (!m) return [];
  return [['rec-id', m.id], ['rec-origin', rlabel(m.origin)], ['rec-created', fmtMoment(Number(m.created_unix_ms))], ['rec-status', t('rec-status-' + (m.status || 'actual'))]];
}

function list(items, empty) {
  return items && items.length ? h('ul', {}, items.map((x) => h('li', {}, x))) : h('p', { class: 'empty' }, t(empty));
}

function table(id, heads, rows, empty) {
  if (!rows.length) return h('p', { class: 'empty' }, t(empty));
  return h('table', { id }, h('thead', {}, h('tr', {}, heads.map(([k, num]) => h('th', { scope: 'col', class: num ? 'num' : null }, t(k))))),
    h('tbody', {}, rows));
}

function back() {
  return h('p', {}, h('button', { type: 'button', class: 'link', onclick: () => history.back() }, '← ', t('rec-back')));
}

RENDER.agreement = async function viewAgreement() {
  const v = await api('/api/agreement/' + enc(state.arg));
  const versions = [...(v.versions || [])].sort((a, b) => b.version - a.version);
  const events = [];
  for (const x of versions) {
    const rec = x.record || {};
    events.push([Number(rec.created_unix_ms), rlabel(rec.origin), t('rec-ev-proposed', { version: x.version }), rec.id]);
    for (const s of x.signed || []) events.push([Number(s.at_unix_ms), rlabel(s.party), t('rec-ev-signed', { version: x.version, who: s.author }), s.record_id]);
    for (const s of x.rejected || []) events.push([Number(s.at_unix_ms), rlabel(s.party), t('rec-ev-rejected', { version: x.version, why: s.reason }), s.record_id]);
    if (Number(x.active_from_unix_ms) > 0) events.push([Number(x.active_from_unix_ms), '', t('rec-ev-active', { version: x.version }), '']);
  }
  if (v.withdrawal && v.withdrawal.party) events.push([Number(v.withdrawal.at_unix_ms), rlabel(v.withdrawal.party), t('rec-ev-withdrawn', { at: fmtMoment(Number(v.withdrawal.effective_unix_ms)), why: v.withdrawal.reason }), v.withdrawal.record_id]);
  if (v.revocation && v.revocation.party) events.push([Number(v.revocation.at_unix_ms), rlabel(v.revocation.party), t('rec-ev-revoked', { why: v.revocation.reason }), v.revocation.record_id]);
  events.sort((a, b) => a[0] - b[0]);
  const inForce = versions.find((x) => x.version === v.version_in_force) || versions[0] || {};
  const a = inForce.agreement || {};
  return [
    back(),
    h('h3', { id: 'record-title' }, a.title || v.agreement_id),
    recordFacts([['rec-agreement', v.agreement_id], ['rec-state', t('agreement-state-' + v.state)],
      ['rec-in-force', v.version_in_force ? `v${v.version_in_force}` : t('none')], ['rec-newest', `v${v.newest_version}`],
      ['rec-days-left', v.version_in_force ? fmtInt(Number(v.days_left)) : null]]),
    versions.map((x) => versionPanel(x)),
    panel(t('rec-history'), table('history', [['as-time'], ['as-member'], ['as-step'], ['rec-id']],
      events.map(([at, who, what, id]) => h('tr', {}, h('td', {}, fmtMoment(at)), h('td', {}, who), h('td', {}, what), h('td', {}, h('code', {}, id || '')))), 'rec-none')),
  ];
};

function versionPanel(x) {
  const a = x.agreement || {};
  const scope = a.scope || {};
  const validity = a.validity || {};
  return h('div', { class: 'panel version', id: `version-${x.version}` },
    h('h3', {}, t('rec-version', { version: x.version, state: t('agreement-state-' + x.state) })),
    recordFacts([...recordMeta(x.record), ['rec-hash', h('code', {}, x.content_sha256)],
      ['rec-parties', (a.parties || []).map((p) => `${rlabel(p.region)} (${codeName('party_roles', p.role)})`).join(', ')],
      ['rec-valid', t('rec-valid-value', { from: fmtDate(validity.effective_from), to: fmtDate(validity.valid_until), days: Number(validity.notice_days || 0) })],
      ['rec-purpose', a.purpose], ['rec-costs', a.cost_reimbursement], ['rec-command', a.command_and_liability]]),
    table(null, [['cap-col-type'], ['cap-most', 1]], (scope.resources || []).map((r) =>
      h('tr', {}, h('th', { scope: 'row' }, `${codeName('resource_types', r.resource_type)} (${r.resource_type})`), h('td', { class: 'num' }, fmtInt(r.max_quantity)))), 'rec-none'),
    h('h4', {}, t('rec-signatures')),
    table(null, [['rec-party'], ['rec-by'], ['as-time']], (x.signed || []).map((s) =>
      h('tr', {}, h('th', { scope: 'row' }, rlabel(s.party)), h('td', {}, s.author), h('td', {}, fmtMoment(Number(s.at_unix_ms))))), 'rec-no-signatures'),
    (x.unsigned || []).length ? h('p', { class: 'note' }, t('cov-waiting-for', { list: x.unsigned.map(rlabel).join(', ') })) : null);
}

RENDER.evaluation = async function viewEvaluation() {
  const v = await api('/api/evaluation/' + enc(state.arg));
  const s = v.summary || {};
  const e = s.event || {};
  const verified = new Map((v.actions || []).map((x) => [x.action && x.action.action_id, x]));
  return [
    back(),
    h('h3', { id: 'record-title' }, e.name || state.arg),
    evaluationState(v),
    recordFacts([...recordMeta(v.record), ['rec-region', rlabel(s.region)], ['rec-event', `${codeName('event_kinds', e.kind)} · ${fmtDate(e.date)}`],
      ['rec-hazard', codeName('hazards', e.hazard)], ['rec-escalation', codeName('escalation_levels', e.highest_escalation)],
      ['rec-evaluator', s.evaluator], ['rec-method', codeName('evaluation_methods', s.method)],
      ['rec-board', s.reported_to_board ? fmtDate(s.reported_to_board) : t('rec-board-not')], ['rec-author', s.author]]),
    panel(t('rec-ratings'), table('ratings', [['ic-area'], ['rec-rating'], ['rec-why']], (s.ratings || []).map((r) =>
      h('tr', {}, h('th', { scope: 'row' }, areaName(r.area)), h('td', { class: 'rating r-' + r.rating }, r.rating), h('td', {}, r.note || ''))), 'rec-none')),
    h('div', { class: 'row' },
      panel(t('rec-strengths'), list(s.strengths, 'rec-none')),
      panel(t('rec-improve'), list(s.areas_for_improvement, 'rec-none'))),
    panel(t('rec-actions'), table('actions', [['ic-action'], ['ic-area'], ['ic-owner'], ['ic-due'], ['ic-status'], ['rec-verified']], (s.actions || []).map((a) => {
      const x = verified.get(a.action_id) || {};
      return h('tr', {}, h('th', { scope: 'row' }, a.description, h('div', { class: 'muted' }, a.action_id)), h('td', {}, areaName(a.area)), h('td', {}, a.owner),
        h('td', { class: x.overdue ? 'bad' : '' }, fmtDate(a.due), x.overdue ? ' · ' + t('ic-overdue-mark') : ''), h('td', {}, codeName('action_status', a.status)),
        h('td', {}, x.verified ? `${codeName('verification_results', x.verified)} (${x.verified_by})` : '–'));
    }), 'ic-no-actions')),
    (s.verifies || []).length ? panel(t('rec-verifies'), table(null, [['ic-action'], ['rec-result'], ['rec-why']], s.verifies.map((x) =>
      h('tr', {}, h('th', { scope: 'row' }, h('a', { href: '#evaluation/' + enc(x.evaluation_id) }, `${x.evaluation_id} · ${x.action_id}`)),
        h('td', {}, codeName('verification_results', x.result)), h('td', {}, x.note || ''))), 'rec-none')) : null,
  ];
};

// Whether this version counts, what corrected it or that it was withdrawn, and every version.
function evaluationState(v) {
  if (!v.state) return null;
  const link = (id) => h('a', { href: '#evaluation/' + enc(id) }, id);
  const w = v.withdrawal || {};
  const said = v.state === 'superseded' ? [t('rec-eval-superseded'), ' ', link(v.superseded_by)]
    : v.state === 'withdrawn' ? t('rec-eval-withdrawn', { at: fmtMoment(Number(w.at_unix_ms)), why: w.reason || '' })
      : t('rec-eval-current');
  const versions = (v.versions || []).map((m, i) => h('li', {}, m.id === v.record.id ? h('b', {}, m.id) : link(m.id),
    ' · ', t(i === 0 ? 'rec-eval-filed' : 'rec-eval-corrected', { at: fmtMoment(Number(m.created_unix_ms)) })));
  return h('div', { class: 'banner ' + (v.state === 'current' ? 'info' : 'stale'), id: 'evaluation-state', 'data-state': v.state },
    h('p', {}, said),
    versions.length > 1 ? [h('p', {}, t('rec-eval-versions')), h('ol', { id: 'evaluation-versions' }, versions)] : null,
    (v.ignored || []).length ? h('p', {}, t('rec-eval-ignored', { list: v.ignored.map((x) => `${x.record_id} (${x.reason})`).join('; ') })) : null);
}

RENDER.capacityreport = async function viewCapacityReport() {
  const v = await api('/api/capacity/' + enc(state.arg));
  const r = v.report || {};
  return [
    back(),
    h('h3', { id: 'record-title' }, t('rec-capacity-of', { region: rlabel(v.region || state.arg) })),
    recordFacts([...recordMeta(v.record), ['rec-as-of', fmtMoment(r.as_of)], ['rec-valid-until', fmtMoment(r.valid_until)],
      ['rec-counts', t(v.counts ? 'rec-counts-yes' : v.stale ? 'rec-counts-stale' : 'rec-counts-no')],
      ['rec-superseded', fmtInt(v.superseded)], ['rec-remarks', r.remarks], ['rec-author', r.author]]),
    panel(t('rec-entries'), table('entries', [['cap-col-type'], ['cap-col-baseline', 1], ['cap-col-available', 1], ['cap-col-committed', 1], ['cap-col-oos', 1],
      ['cap-col-surge24', 1], ['cap-col-surge72', 1], ['rec-remarks']], (r.entries || []).map((e) => h('tr', { id: 'entry-' + e.resource_type },
      h('th', { scope: 'row' }, `${codeName('resource_types', e.resource_type)} (${e.resource_type})`),
      [e.baseline, e.available, e.committed, e.out_of_service].map((n) => h('td', { class: 'num' }, fmtInt(n))),
      [e.surge_24h, e.surge_72h].map((n) => h('td', { class: 'num' }, n === undefined || n === null ? '–' : fmtInt(n))),
      h('td', {}, e.remarks || ''))), 'rec-none')),
  ];
};
