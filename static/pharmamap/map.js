/* Pharma Plants Map: the map's data layer in the browser (regions, labels, plant markers, legend, tour card).
 *
 * Loaded after Leaflet (1.9.3, XStatic-Leaflet) as a classic script: served by Streamlit at
 * /app/static/pharmamap/map.js inside streamlit-folium's iframe, inlined in the offline map file
 * (core/exports.py). components/map.py renders only the two calls below, with the data as JSON.
 *
 * ---------------------------------------------------------------------------------------------- data in
 * PharmaMap.init(map, cfg): once, in the base map's script (the same for a whole data version, so
 * streamlit-folium keeps its component and the user's zoom). ``map`` is the folium-made L.Map
 * (created with preferCanvas). ``cfg``:
 *   offline  boolean   no basemap tiles: regions get a stronger fill
 *   scale    number    core.lat/core.lon are integers of 1/scale degree (10000: about 11 m)
 *   gap      number    px between markers fanned out around a shared point
 *   bounds   [[south, west], [north, east]] | null   first view (the host regions) and the tour's "home"
 *   labels   [{lat: number, lon: number, dy: number, text: string}]   region labels; text is plain text
 *            (escaped here); dy moves a label down by that many px
 *   regions  string (URL of a JSON file) | FeatureCollection | null   region outlines; each feature's
 *            properties: {name: string (HTML-escaped in Python, shown in the tooltip), host: 0 | 1}
 *   core     string (URL) | object   every plant, as columns of equal length n:
 *              lat, lon  int[n]   coordinates in 1/scale degree
 *              r         int[n]   radius in half pixels
 *              f         int[n]   flags: 1 approximate location (dashed outline), 2 investment not
 *                                 disclosed (faint fill)
 *              c         {column: int[n]}     colour category of each plant, per colour-by column
 *              p         {column: string[]}   CSS colour of each category, per colour-by column
 *   details  string (URL) | object   loaded after the markers are drawn:
 *              t   [[name, investment, medicines, jobs, approximate-location note or ""]] (plain text)
 *              id  string[n]   plant_id of each plant (read by tests and scripts)
 *   words    {investment, medicines, jobs, click, title, plants, more, none: string}   wording in the page's
 *            language: the tooltips'; the map frame's title; the plant list's name; its note when it lists only
 *            the first KEYS_MAX plants ("{n}" stands for the number left out); the note over an empty map (no
 *            plant matches the filters: what to change)
 *   details.t[i][5]   the plant's region, in the page's language (its accessible name)
 *
 * PharmaMap.apply(spec): on every rerun, in streamlit-folium's feature_group_to_add script. ``spec``:
 *   mask     string | null   base64 bitset of the visible plants (bit i of byte i >> 3, least significant
 *                            bit first = plant i); null: every plant is visible
 *   col      string          colour-by column: the key into core.c and core.p
 *   styles   [{fill: number, weight: number}]   marker style of each status (fill opacity, outline px),
 *                            in the order of core.fmt.STATUSES; a faint fill for undisclosed investment
 *                            and a dashed outline of at least 2 px for an approximate point still apply
 *   status   string | null   one digit per plant: its status's index into styles; null: all styles[0]
 *   legend   string          legend HTML, built and escaped in Python (components/map.py)
 *   focus    {lat, lon, zoom} | {home: true} | null   presentation tour: fly there when it changes
 *   projector boolean       presentation mode's projector option: darker, heavier region outlines and
 *                            fills, and near-black region labels (class ppm-projector on the container)
 *
 * -------------------------------------------------------------------------------------------- events out
 * This file sends nothing to Streamlit itself. Clicks reach Python through streamlit-folium's own
 * handler, bound to the plants' layer group when the map is created: st_folium returns
 * ``last_active_drawing``, the clicked marker's GeoJSON, whose ``properties.i`` is the plant's index
 * (components/map.py: clicked_plant). The map's frame is sized by streamlit-folium too.
 * In the page, for tests and scripts/benchmark.py:
 *   the map container's attribute data-ppm-shown   number of visible plants, after each apply
 *   the map container's attribute data-plants-drawn   the same (the name monitoring reads, whatever the renderer)
 *   div.ppm-none over the map, with words.none, while no plant is drawn (role="status": read out when it comes)
 *   the map container's attribute data-ppm-focus   JSON of the tour focus the map has flown to
 *   Enter on a plant of the keyboard list (below) fires that marker's click: the same event streamlit-folium
 *   sends for a pointer click
 *
 * ------------------------------------------------------------------------------------------ keyboard
 * The markers are canvas drawings, so the map carries a list of buttons (div.ppm-keys, one per visible plant,
 * largest investment first, undisclosed investment last), visually hidden, inside the map's container:
 * one Tab stop (roving tabindex). Arrow keys move between plants (Home, End: first, last), Enter or Space
 * opens the plant's details, Esc returns the focus to the map. The focused plant gets a ring
 * (div.ppm-ring) and its tooltip. Each button's text is its accessible name ("AltINFARM, 58.5 bn KZT,
 * Almaty, approximate location"); the list is also the map's text alternative for a screen reader.
 * The list has data-ppm-own-keys: keys.js (presentation mode) leaves its keys alone.
 *
 * ------------------------------------------------------------------------------------------ globals out
 *   window.PharmaMap = {init, apply}
 *   window.__ppm     the state of the (one) map in this frame, read by tests/e2e and scripts/benchmark.py:
 *     group        L.FeatureGroup of every plant marker (hidden ones included)
 *     markers      L.CircleMarker[n], in data order; marker.feature.properties.i is its index
 *     core, details   the loaded data (details: null until loaded)
 *     ready        Promise: resolves once the markers exist
 *     shown        number of visible plants after the last apply
 *     applyMs      duration of the last apply, ms
 *     drawnAt      Date.now() of the first animation frame, with the frame sized, after the last apply
 *     firstDrawnAt the same, for the first apply
 *     apply(spec), fan()   see PharmaMap.apply; fan out markers sharing a point
 *     openTip(m)   open a marker's tooltip (made on first need: markers carry none until the pointer or the
 *                  keyboard list reaches them)
 *     keys         the keyboard list's element
 *   Own properties set on markers: _ppmHidden (filtered out: not drawn, not under the pointer),
 *   _ppmOrigin (the plant's true position, before fan-out).
 *
 * Leaflet internals: every private member used here is listed in leaflet-private.json, next to this
 * file; tests/unit/test_leaflet_private.py checks each against the Leaflet the app serves.
 */
(function (global) {
    'use strict';

    var L = global.L;

    function load(x) {
        return typeof x === 'string' ? fetch(x).then(function (r) { return r.json(); }) : Promise.resolve(x);
    }

    var ESC = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'};
    function esc(s) {
        return String(s).replace(/[&<>"']/g, function (c) { return ESC[c]; });
    }

    function init(map, cfg) {
        var box = map.getContainer();
        var P = {group: null, markers: [], core: null, details: null, shown: 0, legend: null, projector: false};
        global.__ppm = P;

        // ------------------------------------------------------------------ size
        // The map may be made while its frame is hidden (a link to another tab): the container is then
        // 0 px wide, and fitting or flying to bounds on it gives NaN (Leaflet throws "Invalid LatLng
        // object"). Whatever needs the map's size waits here until the container has one. When the tab
        // is shown, the frame passes through intermediate widths (300 px, then its column's): until the
        // user moves the map, each new size fits the first view again.
        var waiting = [];
        var home = !!cfg.bounds, fitted = null, fitting = false;  // home: the view is still fitHome's
        function sized() { return box.clientWidth > 0 && box.clientHeight > 0; }
        function whenSized(fn) { if (sized()) fn(); else waiting.push(fn); }
        function fitHome() {
            var size = map.getSize();
            if (fitted && fitted.equals(size)) return;
            fitted = size;
            var pad = size.x > 60 && size.y > 60 ? 10 : 0;
            var right = size.x >= 700 ? 215 : pad;  // a wide map shows the legend open at the top right
            // without animation: an animated fit right after creation can leave the canvas mid-transition
            fitting = true;
            try {
                map.fitBounds(cfg.bounds, {animate: false, paddingTopLeft: [pad, pad], paddingBottomRight: [right, pad]});
            } finally {
                fitting = false;
            }
        }
        function onResize() {
            if (!sized()) return;  // hidden again: keep the last size, so the view is unchanged on return
            map.invalidateSize();
            if (home) fitHome();
            var todo = waiting;
            waiting = [];
            todo.forEach(function (fn) { fn(); });
        }
        // the iframe is sized (or shown) after the map is made: keep Leaflet's size and canvas matching it
        if (global.ResizeObserver) new global.ResizeObserver(onResize).observe(box);
        else global.addEventListener('resize', onResize);
        // any other move (the user's, a tour's flight, a test's setView) keeps its view from then on
        map.on('movestart zoomstart', function () { if (!fitting) home = false; });
        if (home && sized()) fitHome();
        L.control.scale({imperial: false}).addTo(map);
        var pane = map.createPane('ppm-labels');
        pane.style.zIndex = 450;  // over the canvas (regions and plants): a label under the fills would fade; labels keep clear of the plants (placeLabels)
        pane.style.pointerEvents = 'none';

        // ------------------------------------------------------------------ regions and labels
        // a projector washes out pale fills and thin grey lines: with the projector option the host regions
        // get a darker fill and a heavy outline, the others a dark grey one (at least 4.5:1 on white)
        function regionStyle(f) {
            // projector: opaque fills, the host regions white on grey land with white borders (4.5:1 between the
            // fills, and against the container's grey where a host region meets the border; map.css hides the
            // basemap, whose pale detail a projector washes out), heavy dark outlines round the host regions
            if (P.projector) {
                return f.properties.host
                    ? {fillColor: '#ffffff', color: '#1d3d5c', weight: 3.5, fillOpacity: 1}
                    : {fillColor: '#767676', color: '#ffffff', weight: 1.2, fillOpacity: 1};
            }
            return f.properties.host
                ? {fillColor: '#d9e8f5', color: '#4a6f8f', weight: 2, fillOpacity: 0.55}
                : {fillColor: '#f2f2f2', color: '#9a9a9a', weight: 0.8, fillOpacity: cfg.offline ? 0.35 : 0.1};
        }
        var regions = L.geoJSON(null, {
            style: regionStyle,
            onEachFeature: function (f, l) { l.bindTooltip(esc(f.properties.name), {sticky: true}); }
        }).addTo(map);
        // regions may arrive after the markers: keep them underneath, for drawing and for clicks
        load(cfg.regions).then(function (d) { if (d) { regions.addData(d); regions.bringToBack(); } });
        P.labels = cfg.labels.map(function (l) {
            return L.marker([l.lat, l.lon], {pane: 'ppm-labels', interactive: false, keyboard: false,
                icon: L.divIcon({className: 'ppm-label', html: '<span>' + esc(l.text) + '</span>',
                                 iconSize: [200, 20], iconAnchor: [100, 10 - l.dy]})}).addTo(map);
        });
        // A region label never sits under a plant, nor over another label: at every zoom and in every
        // language, a label whose text box meets a visible marker (or a label placed before it) moves down or
        // up (in steps of its height) to the nearest free place, then to either side (by half its width and
        // 30 px); if none is free within reach, it is hidden rather than drawn under a plant.
        var LABEL_STEPS = [0, 1, -1, 2, -2, 3, -3], LABEL_SIDES = [0, 1, -1], LABEL_STEP = 18;
        // in the map's container coordinates, from the layout (offsets), not from the screen: during a zoom's
        // CSS transition the labels' screen boxes are still on their way while the plants are already drawn
        function meets(r, circles) {  // circles: {x, y, r} in container pixels (nearLabel)
            return circles.some(function (c) {
                var x = Math.max(r.left, Math.min(c.x, r.right)), y = Math.max(r.top, Math.min(c.y, r.bottom));
                return (x - c.x) * (x - c.x) + (y - c.y) * (y - c.y) < c.r * c.r;
            });
        }
        function labelBox(lab, text) {  // the text's box: the icon's corner (point - anchor) + the text's offset
            var c = map.latLngToContainerPoint(lab.getLatLng()), a = lab.options.icon.options.iconAnchor;
            var left = c.x - a[0] + text.offsetLeft, top = c.y - a[1] + text.offsetTop;
            return {left: left, top: top, right: left + text.offsetWidth, bottom: top + text.offsetHeight};
        }
        var placing = false;
        P.placeLabels = function () {  // once per animation frame, after whatever moved the map or markers
            if (placing) return;
            placing = true;
            requestAnimationFrame(function () { placing = false; placeNow(); });
        };
        // the visible plants within reach of a label's places (every place it may take, plus the largest
        // marker): a test against bounds in degrees, so that at 10,000 plants only a few are projected to pixels
        // (projecting all of them for each of a label's 21 places held the first paint ~20 ms)
        // r: the text's box at its first place (left and top 0); side: how far a place to either side moves it.
        // Returns those plants as circles in pixels, 2 px larger than drawn, projected once for all 21 places
        function nearLabel(r, side) {
            var reach = P.maxRadius + 4, dx = side + reach;
            var dy = LABEL_STEP * Math.max.apply(null, LABEL_STEPS) + reach;
            var area = L.latLngBounds(map.containerPointToLatLng([r.left - dx, r.bottom + dy]),
                                      map.containerPointToLatLng([r.right + dx, r.top - dy]));
            var circles = [];
            P.markers.forEach(function (m) {
                if (m._ppmHidden || !group.hasLayer(m) || !area.contains(m.getLatLng())) return;
                var c = map.latLngToContainerPoint(m.getLatLng());
                circles.push({x: c.x, y: c.y, r: m.options.radius + 2});
            });
            return circles;
        }
        function overlaps(a, b) {  // two boxes closer than 2 px
            return a.left < b.right + 2 && b.left < a.right + 2 && a.top < b.bottom + 2 && b.top < a.bottom + 2;
        }
        // labels in the order the data gives them (the host regions first): a label also keeps clear of the
        // legend and of the labels placed before it, or is hidden
        function placeNow() {
            if (!sized() || !P.labels) return;
            var placed = [];
            if (P.legend) {  // the legend (open or folded) is in the way too: a label under it could not be read
                var lr = P.legend.getContainer().getBoundingClientRect(), cr = box.getBoundingClientRect();
                placed.push({left: lr.left - cr.left, right: lr.right - cr.left, top: lr.top - cr.top,
                             bottom: lr.bottom - cr.top});
            }
            P.labels.forEach(function (lab) {
                var text = lab.getElement() && lab.getElement().querySelector('span');
                if (!text) return;
                text.style.visibility = 'visible';
                text.style.left = text.style.top = '0px';
                // measured once: the span is position: relative, so each place is this box moved by its
                // offsets (no layout read per place)
                var base = labelBox(lab, text), side = (base.right - base.left) / 2 + 30;
                var near = nearLabel(base, side);
                for (var j = 0; j < LABEL_SIDES.length; j++) {
                    var dx = LABEL_SIDES[j] * side;
                    for (var k = 0; k < LABEL_STEPS.length; k++) {
                        var dy = LABEL_STEPS[k] * LABEL_STEP;
                        var place = {left: base.left + dx, right: base.right + dx, top: base.top + dy,
                                     bottom: base.bottom + dy};
                        if (!meets(place, near) && !placed.some(function (b) { return overlaps(place, b); })) {
                            text.style.left = dx + 'px';
                            text.style.top = dy + 'px';
                            placed.push(place);
                            return;
                        }
                    }
                }
                text.style.visibility = 'hidden';
            });
        }
        map.on('moveend resize', function () { P.placeLabels(); });  // after zoomend, so after the fan-out
        // a label measured in the fallback font grows when the web font arrives: place the labels again
        if (global.document.fonts) {
            global.document.fonts.ready.then(function () { P.placeLabels(); });
            global.document.fonts.addEventListener('loadingdone', function () { P.placeLabels(); });
        }

        // ------------------------------------------------------------------ plants
        // the group exists now, so streamlit-folium binds its click handler to it; markers are added when
        // their data has arrived
        var group = P.group = L.featureGroup().addTo(map);
        // the map's canvas (shared with the regions) leaves out the plants the filters hide; the pointer
        // skips them too, as Leaflet's canvas only hit-tests layers whose options.interactive is true
        var canvas = map.getRenderer(group);
        if (canvas instanceof L.Canvas) {
            canvas._updateCircle = function (layer) {
                if (!layer._ppmHidden) L.Canvas.prototype._updateCircle.call(this, layer);
            };
        }
        function tip(i) {
            var t = P.details && P.details.t[i];
            if (!t) return '\u2026';
            var w = cfg.words;
            return '<b>' + esc(t[0]) + '</b><br>' + esc(w.investment) + ': ' + esc(t[1]) + '<br>' +
                   esc(w.medicines) + ': ' + esc(t[2]) + '<br>' + esc(w.jobs) + ': ' + esc(t[3]) +
                   (t[4] ? '<br><i>' + esc(t[4]) + '</i>' : '') +
                   '<br><span style="color:#555">' + esc(w.click) + '</span>';
        }
        function tipOf(i) { return function () { return tip(i); }; }
        // a plant's tooltip is made the first time the pointer or the keyboard list reaches it (10,000 made up
        // front, each with its own listeners, were a third of the markers' cost before the first paint)
        function withTip(m) {
            if (!m.getTooltip()) {
                var i = m.feature.properties.i;
                m.bindTooltip(tipOf(i), {direction: 'top', className: 'ppm-tip', offset: [0, -P.core.r[i] / 2]});
            }
            return m;
        }
        P.openTip = function (m) { withTip(m).openTooltip(); };
        group.on('mouseover', function (e) {
            var m = e.propagatedFrom || e.layer;
            if (m && m.feature && !m.getTooltip()) P.openTip(m);  // from now on its own tooltip follows the pointer
        });
        P.maxRadius = 0;
        P.ready = load(cfg.core).then(function (d) {
            P.core = d;
            for (var i = 0; i < d.lat.length; i++) {
                var f = d.f[i];
                var m = L.circleMarker([d.lat[i] / cfg.scale, d.lon[i] / cfg.scale], {radius: d.r[i] / 2,
                    color: '#1f1f1f', weight: (f & 1) ? 2 : 1.2, dashArray: (f & 1) ? '5 4' : null,
                    fillOpacity: (f & 2) ? 0.25 : 0.8, fillColor: '#888'});
                m.feature = {type: 'Feature', properties: {i: i}};
                m._ppmOrigin = m.getLatLng();
                P.maxRadius = Math.max(P.maxRadius, d.r[i] / 2);
                P.markers.push(m);
            }
            // tooltip texts are not needed to draw: fetch them after the markers
            load(cfg.details).then(function (x) { P.details = x; P.buildKeys(); });
        });

        // markers sharing a point are fanned out in screen pixels, so each stays visible at every zoom;
        // on a map without a size (hidden) the zoom is not yet the one shown: fan out once it is sized
        var fanWaiting = false;
        P.fan = function () {
            if (!sized()) {
                if (!fanWaiting) { fanWaiting = true; whenSized(function () { fanWaiting = false; P.fan(); }); }
                return;
            }
            var groups = {};
            group.eachLayer(function (m) {
                if (m._ppmHidden) return;
                var k = m._ppmOrigin.lat + ',' + m._ppmOrigin.lng;
                (groups[k] = groups[k] || []).push(m);
            });
            Object.keys(groups).forEach(function (k) {
                var g = groups[k];
                if (g.length < 2) { g[0].setLatLng(g[0]._ppmOrigin); return; }
                g.sort(function (a, b) { return a.feature.properties.i - b.feature.properties.i; });
                var rmax = Math.max.apply(null, g.map(function (m) { return m.options.radius; }));
                var dist = (2 * rmax + cfg.gap) / (2 * Math.sin(Math.PI / Math.max(g.length, 2)));
                var zoom = map.getZoom(), o = map.project(g[0]._ppmOrigin, zoom);
                g.forEach(function (m, j) {
                    var a = Math.PI + 2 * Math.PI * j / g.length;  // first to the left
                    m.setLatLng(map.unproject(o.add([dist * Math.cos(a), dist * Math.sin(a)]), zoom));
                });
            });
            P.placeLabels();  // the plants moved: the labels follow (whatever called the fan-out)
        };
        map.on('zoomend', function () { P.fan(); });

        // ------------------------------------------------------------------ keyboard
        try {
            if (global.frameElement && cfg.words.title) global.frameElement.title = cfg.words.title;
        } catch { /* another origin: the frame keeps its title */ }
        var KEYS_MAX = 200;  // more is a long list for a keyboard: the Table tab lists every plant
        var keys = P.keys = L.DomUtil.create('div', 'ppm-keys', box);
        keys.setAttribute('role', 'group');
        keys.setAttribute('aria-label', cfg.words.plants || '');
        keys.setAttribute('data-ppm-own-keys', '');
        var ring = L.DomUtil.create('div', 'ppm-ring', box);
        var focused = -1;  // the plant whose button has the focus
        function keyName(i) {
            var t = P.details.t[i];
            return [t[0], t[1], t[5], t[4]].filter(function (x) { return x; }).join(', ');
        }
        function showRing() {
            if (focused < 0) { ring.style.display = 'none'; return; }
            var m = P.markers[focused], c = map.latLngToContainerPoint(m.getLatLng()), r = m.options.radius + 5;
            ring.style.display = 'block';
            ring.style.left = (c.x - r) + 'px';
            ring.style.top = (c.y - r) + 'px';
            ring.style.width = ring.style.height = (2 * r) + 'px';
        }
        map.on('move zoom resize', showRing);
        P.buildKeys = function () {
            if (!P.details || !P.core) return;
            var f = P.core.f, r = P.core.r, order = [];
            for (var i = 0; i < P.markers.length; i++) if (!P.markers[i]._ppmHidden) order.push(i);
            order.sort(function (a, b) {
                var ua = f[a] & 2, ub = f[b] & 2;  // undisclosed investment last
                return ua !== ub ? ua - ub : (r[b] - r[a]) || (a - b);
            });
            var had = keys.contains(global.document.activeElement) ? focused : -1;
            keys.textContent = '';
            var first = order.slice(0, KEYS_MAX), current = first.indexOf(had) >= 0 ? had : first[0];
            first.forEach(function (i) {
                var b = L.DomUtil.create('button', 'ppm-key', keys);
                b.type = 'button';
                b.textContent = keyName(i);
                b.tabIndex = i === current ? 0 : -1;
                b.setAttribute('data-i', String(i));
                if (i === had) b.focus();
            });
            if (order.length > first.length) {
                L.DomUtil.create('p', 'ppm-keys-more', keys).textContent =
                    (cfg.words.more || '').replace('{n}', String(order.length - first.length));
            }
            if (had >= 0 && first.indexOf(had) < 0) { focused = -1; showRing(); box.focus(); }
        };
        function buttons() { return Array.prototype.slice.call(keys.querySelectorAll('button')); }
        function moveTo(b) {
            buttons().forEach(function (x) { x.tabIndex = x === b ? 0 : -1; });
            b.focus();
        }
        L.DomEvent.on(keys, 'focusin', function (e) {
            var i = Number(e.target.getAttribute('data-i'));
            if (isNaN(i) || !P.markers[i]) return;
            if (focused >= 0 && focused !== i) P.markers[focused].closeTooltip();
            focused = i;
            var m = P.markers[i];
            if (!map.getBounds().contains(m.getLatLng())) map.panTo(m.getLatLng(), {animate: false});
            showRing();
            P.openTip(m);
        });
        L.DomEvent.on(keys, 'focusout', function (e) {
            if (keys.contains(e.relatedTarget)) return;
            if (focused >= 0) P.markers[focused].closeTooltip();
            focused = -1;
            showRing();
        });
        L.DomEvent.on(keys, 'keydown', function (e) {
            var all = buttons(), k = all.indexOf(e.target);
            if (k < 0) return;
            var next = {ArrowDown: k + 1, ArrowRight: k + 1, ArrowUp: k - 1, ArrowLeft: k - 1, Home: 0,
                        End: all.length - 1}[e.key];
            if (next !== undefined) {
                moveTo(all[Math.max(0, Math.min(all.length - 1, next))]);
            } else if (e.key === 'Enter' || e.key === ' ') {
                var m = P.markers[Number(e.target.getAttribute('data-i'))];
                m.fire('click', {latlng: m.getLatLng()}, true);  // to the group: streamlit-folium's handler
            } else if (e.key === 'Escape') {
                box.focus();
            } else {
                return;  // Tab and the rest: as usual
            }
            L.DomEvent.stop(e);  // not Leaflet's panning keys, nor a button's own click on Space
        });

        // ------------------------------------------------------------------ per rerun
        function control(position, className, content) {
            var c = L.control({position: position});
            c.onAdd = function () {
                var div = L.DomUtil.create('div', className);
                div.innerHTML = content;  // built and escaped in Python
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            return c.addTo(map);
        }
        P.apply = function (spec) {
            return P.ready.then(function () {
                var t0 = performance.now();
                var n = P.markers.length, bits = null, shown = 0;
                if (spec.mask !== null) {
                    var raw = atob(spec.mask);
                    bits = new Uint8Array(raw.length);
                    for (var b = 0; b < raw.length; b++) bits[b] = raw.charCodeAt(b);
                }
                var cat = P.core.c[spec.col], pal = P.core.p[spec.col];
                // every marker stays in the group; a hidden one is skipped when the canvas is drawn and by
                // the pointer, and the canvas is redrawn once (removing and re-adding thousands of layers
                // one by one cost ~75 ms at 10,000 plants)
                for (var i = 0; i < n; i++) {
                    var m = P.markers[i], on = bits === null || ((bits[i >> 3] >> (i & 7)) & 1) === 1;
                    if (on) shown++;
                    else if (!m._ppmHidden && m.getTooltip() && m.isTooltipOpen()) m.closeTooltip();
                    m._ppmHidden = !on;
                    m.options.interactive = on;
                    m.options.fillColor = pal[cat[i]];  // read by the canvas when it draws
                    // the status (fill and outline), as of the chosen day; an undisclosed investment stays faint
                    var s = spec.styles[spec.status === null ? 0 : spec.status.charCodeAt(i) - 48], f = P.core.f[i];
                    m.options.fillOpacity = (f & 2) ? Math.min(s.fill, 0.25) : s.fill;
                    m.options.weight = (f & 1) ? Math.max(s.weight, 2) : s.weight;
                }
                if (!P.added) { P.added = true; P.markers.forEach(function (m) { group.addLayer(m); }); }
                P.fan();
                if (canvas instanceof L.Canvas && canvas._ctx) canvas._redraw();

                if (P.legend) P.legend.remove();
                P.legend = control('topright', 'ppm-legend', spec.legend);
                // on a narrow map the open legend would hide plants: start it folded
                var det = P.legend.getContainer().querySelector('details');
                if (det) whenSized(function () { if (map.getSize().x < 700) det.open = false; });
                if (det) det.addEventListener('toggle', function () { P.placeLabels(); });  // its box changed

                // the projector option: restyle the regions only when it changes
                if (!!spec.projector !== P.projector) {
                    P.projector = !!spec.projector;
                    box.classList.toggle('ppm-projector', P.projector);
                    regions.setStyle(regionStyle);
                }
                // presentation tour: fly to the plant (or back to the overview) when the step changes
                var focus = JSON.stringify(spec.focus || null);
                if (spec.focus && focus !== P.lastFocus) {
                    box.removeAttribute('data-ppm-focus');
                    whenSized(function () {
                        map.once('moveend', function () { P.fan(); box.setAttribute('data-ppm-focus', focus); });
                        // the overview: the same padding as the first fit, clear of the open legend
                        var right = map.getSize().x >= 700 ? 215 : 10;
                        if (spec.focus.home && cfg.bounds) {
                            map.flyToBounds(cfg.bounds, {duration: 1.2, paddingTopLeft: [10, 10],
                                                         paddingBottomRight: [right, 10]});
                        }
                        else if (!spec.focus.home) map.flyTo([spec.focus.lat, spec.focus.lon], spec.focus.zoom, {duration: 1.2});
                    });
                }
                P.lastFocus = focus;
                // no plant drawn: say so over the map, and what to change
                if (!P.none) {
                    P.none = L.DomUtil.create('div', 'ppm-none', box);
                    P.none.setAttribute('role', 'status');
                }
                P.none.textContent = shown === 0 ? (cfg.words.none || '') : '';
                P.none.hidden = shown !== 0;
                P.shown = shown;
                P.applyMs = performance.now() - t0;
                box.setAttribute('data-ppm-shown', String(shown));
                box.setAttribute('data-plants-drawn', String(shown));  // the same, by its renderer-free name
                P.buildKeys();
                // the canvas now holds the markers; the first animation frame in which the map's frame also
                // has a size is the one that paints them: its time is read by scripts/benchmark.py (from
                // navigation, or from a filter's input)
                (function painted() {
                    requestAnimationFrame(function () {
                        if (!global.innerHeight) { painted(); return; }
                        P.drawnAt = Date.now();
                        P.firstDrawnAt = P.firstDrawnAt || P.drawnAt;
                    });
                })();
            });
        };
        return P;
    }

    function apply(spec) {
        if (!global.__ppm || !global.__ppm.apply) throw new Error('PharmaMap.apply before PharmaMap.init');
        return global.__ppm.apply(spec);
    }

    global.PharmaMap = {init: init, apply: apply};
})(window);
