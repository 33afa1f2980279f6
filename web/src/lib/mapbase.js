// The map every page starts from: no internet basemap, a plain background with
// municipality and area outlines from trygg's own tiles. A deployment may set
// TRYGG_BASEMAP_STYLE_URL, which the server writes into the page's
// <meta name="trygg-basemap-style">; trygg's layers are then drawn over it.
import * as maplibregl from 'maplibre-gl';

const origin = () => window.location.origin;

// layerURL is the TileJSON URL of a trygg layer with filter parameters.
export function layerURL(layer, params = {}) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v != null));
  const s = q.toString();
  return `${origin()}/tiles/${layer}.json${s ? `?${s}` : ''}`;
}

function basemapStyleURL() {
  const m = document.querySelector('meta[name="trygg-basemap-style"]');
  return (m && m.content) || '';
}

const outlineSources = () => ({
  municipalities: { type: 'vector', url: layerURL('municipalities') },
  areas: { type: 'vector', url: layerURL('areas') },
});

const outlineLayers = [
  { id: 'municipality-line', type: 'line', source: 'municipalities', 'source-layer': 'municipalities',
    paint: { 'line-color': '#3b3b3b', 'line-width': ['interpolate', ['linear'], ['zoom'], 5, 0.6, 12, 2] } },
  { id: 'area-fill', type: 'fill', source: 'areas', 'source-layer': 'areas',
    paint: { 'fill-color': ['case', ['==', ['get', 'priority'], true], '#c98a00', '#6a51a3'], 'fill-opacity': 0.06 } },
  { id: 'area-line', type: 'line', source: 'areas', 'source-layer': 'areas',
    paint: { 'line-color': ['case', ['==', ['get', 'priority'], true], '#8a5a00', '#6a51a3'], 'line-width': 1.5, 'line-dasharray': [3, 2] } },
];

// createMap makes a MapLibre map with the outlines; it resolves once the style
// is loaded. opts: center [lon, lat], zoom, transformRequest.
export function createMap(container, opts = {}) {
  maplibregl.setWorkerUrl(`${origin()}/assets/maplibre-gl-worker.mjs`);
  const basemap = basemapStyleURL();
  const style = basemap || {
    version: 8,
    sources: outlineSources(),
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#f3f1ec' } }, ...outlineLayers],
  };
  const map = new maplibregl.Map({
    container,
    style,
    center: opts.center || [15.5, 59.5],
    zoom: opts.zoom ?? 6,
    attributionControl: { compact: true },
    transformRequest: opts.transformRequest,
    maxPitch: 0,
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  return new Promise((resolve, reject) => {
    map.once('load', () => {
      if (basemap) {
        for (const [id, src] of Object.entries(outlineSources())) map.addSource(id, src);
        for (const l of outlineLayers) map.addLayer(l);
      }
      resolve(map);
    });
    map.once('error', (e) => {
      if (!map.loaded()) reject(e.error || e);
    });
  });
}

export { maplibregl };
