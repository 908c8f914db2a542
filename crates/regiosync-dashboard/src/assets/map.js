// regiosync dashboard, view 0: the 25 regions on a tile map of the Netherlands, coloured by what
// the chosen layer shows; a tile opens the region's card. Ids: map-VR01 (a tile, with
// data-value: the layer's value for it), map-legend (the counts per value).
'use strict';

// Each region's place on a 6 × 7 grid, in its rough geographic position (column, row): a tile
// map, not the boundaries.
const TILES = {
  VR10: [1, 0], VR02: [3, 0], VR01: [4, 0],
  VR11: [1, 1], VR25: [3, 1], VR03: [4, 1],
  VR12: [0, 2], VR13: [1, 2], VR14: [2, 2], VR04: [4, 2], VR05: [5, 2],
  VR15: [0, 3], VR16: [1, 3], VR09: [2, 3], VR07: [3, 3], VR06: [4, 3],
  VR17: [1, 4], VR18: [2, 4], VR08: [3, 4],
  VR19: [0, 5], VR20: [1, 5], VR21: [2, 5], VR22: [3, 5], VR23: [4, 5],
  VR24: [4, 6],
};

// The layers: what each asks and, per region, its value (a key of `tones`) and its words.
const LAYERS = {
  status: {
    ask: () => api('/api/national-capacity'),
    values: ['ok', 'stale', 'missing', 'exercise', 'unshared'],
    of(nc) {
      const stale = new Set(nc.stale.map((r) => r.region));
      const ok = new Map(nc.reporting.map((r) => [r.region, r]));
      const exercise = new Set(nc.exercise_only);
      const local = nc.answered_by && nc.answered_by !== 'NL';
      return (code) => {
        if (stale.has(code)) return ['stale', t('map-status-stale')];
        if (ok.has(code)) return ['ok', t('map-tile-ok', { at: fmtMoment(ok.get(code).as_of) })];
        if (exercise.has(code)) return ['exercise', t('map-status-exercise')];
        return local ? ['unshared', t('cap-tile-unshared')] : ['missing', t('map-status-missing')];
      };
    },
  },
  resource: {
    ask: () => api('/api/resource?type=' + enc(state.resourceType)),
    values: ['high', 'mid', 'low', 'stale', 'missing'],
    of(res) {
      const by = new Map(res.regions.map((r) => [r.region, r]));
      return (code) => {
        const r = by.get(code);
        if (!r || r.unreported) return ['missing', t('cap-fig-unreported')];
        if (r.stale) return ['stale', t('cap-fig-stale', { available: r.available, baseline: r.baseline })];
        const share = r.baseline > 0 ? r.available / r.baseline : 0;
        return [share >= 0.5 ? 'high' : share >= 0.25 ? 'mid' : 'low', t('cap-fig', { available: r.available, baseline: r.baseline })];
      };
    },
  },
  coverage: {
    ask: () => api('/api/coverage'),
    values: ['self', 'active', 'gap', 'none'],
    of(cov) {
      const me = state.mapRegion;
      const with_ = (p) => (p.a === me ? p.b : p.b === me ? p.a : null);
      const active = new Map(cov.pairs.map((p) => [with_(p), p.agreements]).filter(([o]) => o));
      const gaps = new Set(cov.uncovered_neighbours.map(with_).filter(Boolean));
      return (code) => {
        if (code === me) return ['self', t('map-coverage-self')];
        if (active.has(code)) return ['active', t('cov-cell-active', { n: active.get(code).length, list: active.get(code).join(', ') })];
        if (gaps.has(code)) return ['gap', t('cov-cell-gap')];
        return ['none', t('cov-cell-none')];
      };
    },
  },
  rating: {
    ask: () => api('/api/ratings'),
    values: [...RATING_ORDER, 'none'],
    of(r) {
      const by = new Map(r.cards.map((c) => [c.region, c]));
      return (code) => {
        const a = ((by.get(code) || {}).areas || []).find((x) => x.area === state.mapArea);
        return a && a.latest ? [a.latest, `${a.latest} ${ratingName(a.latest).toLowerCase()}`] : ['none', t('rat-not-rated')];
      };
    },
  },
};

RENDER.map = async function viewMap() {
  const layer = LAYERS[state.mapLayer] ? state.mapLayer : 'status';
  const L = LAYERS[layer];
  const valueOf = L.of(await L.ask());
  const counts = new Map(L.values.map((v) => [v, 0]));
  const tiles = state.meta.regions.map(({ code, name }) => {
    const [value, words] = valueOf(code);
    counts.set(value, (counts.get(value) || 0) + 1);
    const [col, row] = TILES[code] || [5, 6];
    const label = `${code} ${name}: ${words}`;
    return h('li', { style: { gridColumn: String(col + 1), gridRow: String(row + 1) } },
      h('a', { class: `tile-map v-${value}`, id: 'map-' + code, 'data-value': value, href: '#incontrol/' + code, title: label },
        h('b', {}, code.slice(2)), h('span', { class: 'name' }, name), h('span', { class: 'val' }, mark(layer, value)),
        h('span', { class: 'sr' }, `: ${words}`)));
  });
  const pick = (label, value, options, set) => h('label', {}, label, ' ', h('select', { onchange: (e) => { set(e.target.value); refresh(); } },
    options.map(([v, text]) => h('option', { value: v, selected: v === value }, text))));
  const controls = [pick(t('map-layer'), layer, Object.keys(LAYERS).map((k) => [k, t('map-layer-' + k)]), (v) => { state.mapLayer = v; })];
  if (layer === 'resource') {
    controls.push(pick(t('cap-type'), state.resourceType, state.meta.resource_types.map((x) => [x.code, `${x.name} (${x.code})`]), (v) => { state.resourceType = v; }));
  } else if (layer === 'coverage') {
    controls.push(pick(t('map-with'), state.mapRegion, state.meta.regions.map((r) => [r.code, rlabel(r.code)]), (v) => { state.mapRegion = v; }));
  } else if (layer === 'rating') {
    controls.push(pick(t('ic-area'), state.mapArea, state.meta.areas.map((a) => [a.code, a.name]), (v) => { state.mapArea = v; }));
  }
  const legendTable = h('table', { id: 'map-legend' }, h('caption', {}, t('map-legend')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('map-value')), h('th', { scope: 'col', class: 'num' }, t('rat-region')))),
    h('tbody', {}, L.values.filter((v) => counts.get(v)).map((v) => h('tr', { id: `map-count-${v}` },
      h('th', { scope: 'row' }, h('i', { class: `sw v-${v}`, 'aria-hidden': 'true' }), ' ', mark(layer, v), ' ', t(`map-${layer}-${v}`)),
      h('td', { class: 'num' }, fmtInt(counts.get(v)))))));
  return [
    h('div', { class: 'panel-head' }, h('div', { class: 'controls' }, controls)),
    h('div', { class: 'row map-row' },
      panel(t('map-title-' + layer, { type: codeName('resource_types', state.resourceType), region: rlabel(state.mapRegion), area: areaName(state.mapArea) }),
        h('ul', { class: 'tilemap', 'aria-label': t('map-tiles') }, tiles), h('p', { class: 'note' }, t('map-note'))),
      h('div', { class: 'panel side' }, legendTable)),
  ];
};

// The short mark a tile carries besides its colour (never colour alone).
function mark(layer, value) {
  if (layer === 'rating') return value === 'none' ? '–' : value;
  return { ok: '✓', stale: '!', missing: '×', exercise: 'O', unshared: '·', high: '▲', mid: '■', low: '▼', self: '◆', active: '✓', gap: '!', none: '·' }[value] || '';
}
