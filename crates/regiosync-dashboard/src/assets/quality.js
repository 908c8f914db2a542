// regiosync dashboard, view 5: data quality per region. Ids: quality-VR01 (a region's row).
'use strict';

RENDER.quality = async function viewQuality() {
  const dq = await api('/api/data-quality');
  const count = (f) => dq.regions.filter(f).length;
  const sum = (f) => dq.regions.reduce((n, r) => n + Number(f(r) || 0), 0);
  const stale = count((r) => r.capacity_stale);
  const missing = count((r) => r.capacity_missing);
  const unreported = sum((r) => r.not_reported_to_board);
  const refused = sum((r) => r.rejected);
  const behind = count((r) => Number(r.behind) > 0);
  const forked = count((r) => Number(r.equivocations) > 0);
  const damaged = sum((r) => r.damaged);
  const absent = sum((r) => r.missing);
  const rows = dq.regions.map((r) => h('tr', { id: 'quality-' + r.region },
    h('th', { scope: 'row' }, h('a', { href: '#incontrol/' + r.region }, rlabel(r.region))),
    h('td', { class: r.capacity_missing ? 'bad' : r.capacity_stale ? 'warn' : '' },
      r.capacity_missing ? t('ic-capacity-none') : fmtMoment(r.capacity_as_of) + (r.capacity_stale ? ' · ' + t('dq-stale') : '')),
    h('td', { class: 'num' }, fmtInt(r.capacity_reports)),
    h('td', { class: 'num' + (r.evaluations ? '' : ' warn') }, fmtInt(r.evaluations)),
    h('td', { class: 'num' + (r.not_reported_to_board ? ' warn' : '') }, fmtInt(r.not_reported_to_board)),
    h('td', {}, r.latest_evaluation ? fmtDate(r.latest_evaluation) : '–'),
    h('td', { class: 'num' + (Number(r.rejected) ? ' bad' : '') }, fmtInt(r.rejected)),
    h('td', { class: 'num' + (Number(r.behind) ? ' warn' : '') }, fmtInt(r.behind)),
    h('td', {}, r.last_contact_unix_ms ? ago(Number(r.last_contact_unix_ms)) : t('dq-not-peer')),
    h('td', { class: Number(r.equivocations) || Number(r.damaged) || Number(r.missing || 0) ? 'bad' : '' },
      [Number(r.equivocations) ? t('dq-forked') : '', Number(r.damaged) ? t('dq-damaged', { n: Number(r.damaged) }) : '',
        Number(r.missing || 0) ? t('dq-missing', { n: Number(r.missing) }) : ''].filter(Boolean).join(' · ') || t('dq-ok'))));
  const heads = [['dq-region'], ['dq-capacity'], ['dq-reports', 1], ['dq-evaluations', 1], ['dq-unreported', 1], ['dq-latest'],
    ['dq-refused', 1], ['dq-behind', 1], ['dq-contact'], ['dq-integrity']];
  return [
    h('div', { class: 'kpis' },
      kpi(fmtInt(stale), t('dq-kpi-stale'), stale ? 'warn' : 'ok'),
      kpi(fmtInt(missing), t('dq-kpi-missing'), missing ? 'bad' : 'ok'),
      kpi(fmtInt(unreported), t('dq-kpi-unreported'), unreported ? 'warn' : 'ok'),
      kpi(fmtInt(refused), t('dq-kpi-refused'), refused ? 'bad' : 'ok'),
      kpi(fmtInt(behind), t('dq-kpi-behind'), behind ? 'warn' : 'ok'),
      kpi(fmtInt(forked), t('dq-kpi-forked'), forked ? 'bad' : 'ok'),
      kpi(fmtInt(damaged), t('dq-kpi-damaged'), damaged ? 'bad' : 'ok'),
      kpi(fmtInt(absent), t('dq-kpi-absent'), absent ? 'bad' : 'ok')),
    panel(t('dq-per-region'), h('div', { class: 'scroll' }, h('table', {},
      h('thead', {}, h('tr', {}, heads.map(([id, num]) => h('th', { scope: 'col', class: num ? 'num' : null }, t(id))))),
      h('tbody', {}, rows)))),
  ];
};
