// A map to tap a place on, loaded only when the resident asks for it, so the
// Report page stays light (MapLibre is most of the weight).
import { createMap, maplibregl } from './mapbase.js';

// openPicker shows a map in container; onPick({lat, lon}) on each tap.
export async function openPicker(container, { center, onPick }) {
  if (!document.querySelector('link[href="/assets/maplibre-gl.css"]')) {
    document.head.append(Object.assign(document.createElement('link'), { rel: 'stylesheet', href: '/assets/maplibre-gl.css' }));
  }
  const map = await createMap(container, { center: center ? [center.lon, center.lat] : undefined, zoom: center ? 15 : 5 });
  let marker = null;
  const place = (lngLat) => {
    if (!marker) marker = new maplibregl.Marker({ color: '#a4121c' }).setLngLat(lngLat).addTo(map);
    else marker.setLngLat(lngLat);
  };
  if (center) place([center.lon, center.lat]);
  map.on('click', (e) => {
    place(e.lngLat);
    onPick({ lat: e.lngLat.lat, lon: e.lngLat.lng });
  });
  return {
    map,
    setCenter(p) {
      place([p.lon, p.lat]);
      map.jumpTo({ center: [p.lon, p.lat], zoom: Math.max(map.getZoom(), 15) });
    },
  };
}
