/* Pharma Plants Map: the partners map in the browser (country outlines, partner headquarters, arcs to the
 * plants they serve, labels, legend).
 *
 * Loaded after Leaflet (1.9.3, XStatic-Leaflet) as a classic script: served by Streamlit at
 * /app/static/pharmamap/partners.js inside streamlit-folium's iframe (components/partners.py renders only
 * the call below, with the data as JSON). It fetches nothing but cfg.countries when that is a URL of the
 * app's own, so it works offline. The map is made with preferCanvas false: every arc is an SVG path.
 *
 * ---------------------------------------------------------------------------------------------- data in
 * PharmaPartners.init(map, cfg): once, in the map's script. ``map`` is the folium-made L.Map. ``cfg``:
 *   offline    boolean   no basemap tiles: the outlines get a stronger fill
 *   bounds     [[south, west], [north, east]] | null   the first view: every headquarters and plant
 *   colours    {role: CSS colour}   owner, technology_partner, prospective
 *   countries  string (URL of a JSON file) | FeatureCollection | null   outlines; each feature's
 *              properties: {id: string, h: 0 other | 1 a partner's country | 2 Kazakhstan}
 *   arcs       [{partner_id: string, plant_id: string | null (the prospective link to Kazakhstan),
 *                role: string, dashed: boolean, label: string, label_at: [lat, lon] | null (draw the
 *                label there), points: [[lat, lon]] (the curve, computed in Python), tip: TIP}]
 *   hqs        [{partner_id, name: string, lat, lon: number, role: string, tip: TIP}]   one per partner;
 *              several may share a point (fanned out on screen)
 *   plants     [{lat, lon: number, tip: TIP}]   one per plant point
 *   places     [{lat, lon: number, text: string}]   the end of a prospective link (Astana)
 *   labels     [{lat, lon: number, text: string, side: 'l' | 'r', fan: number (markers at the point)}]
 *   legend     string   legend HTML, built and escaped in Python (components/partners.py)
 *   attribution string  plain text, added to the attribution control
 *   TIP = {title: string, lines: string[], note: string}
 * Every string of the data but ``legend`` is plain text and escaped here.
 *
 * -------------------------------------------------------------------------------------------- events out
 * This file sends nothing to Streamlit itself. The headquarters markers (and the arcs) are in feature
 * groups that exist when init returns, so streamlit-folium binds its click handler to them; a click
 * makes st_folium return ``last_active_drawing``, the clicked layer's GeoJSON, whose
 * ``properties.partner_id`` names the partner (components/partners.py: clicked_partner).
 * In the page, for tests: the map container's attributes, set once everything is drawn (the first view is
 * fitted again, and the legend and arc labels placed again, once partners.css has loaded),
 *   data-partners-arcs     number of arcs drawn
 *   data-partners-dashed   number of them drawn dashed
 *
 * ------------------------------------------------------------------------------------------ globals out
 *   window.PharmaPartners = {init}
 *   window.__ppp   the state of the (one) partners map in this frame, read by tests/e2e:
 *     hqs      {partner_id: L.CircleMarker}   marker.feature.properties.partner_id
 *     arcs     L.Polyline[], in cfg.arcs order
 *     groups   {hqs, arcs, plants: L.FeatureGroup, countries: L.GeoJSON}
 *     ready    Promise: resolves once the outlines are drawn too
 *
 * Leaflet internals: none; only public API (tests/unit/test_leaflet_private.py checks this file too).
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

    function tipHtml(tip) {
        return '<b>' + esc(tip.title) + '</b>' +
               tip.lines.map(function (l) { return '<br>' + esc(l); }).join('') +
               (tip.note ? '<br><i>' + esc(tip.note) + '</i>' : '');
    }

    var FAN = 9;  // px between the centres of headquarters markers sharing a point

    function init(map, cfg) {
        var box = map.getContainer();
        var S = {hqs: {}, arcs: [], groups: {}};
        global.__ppp = S;

        // ------------------------------------------------------------------ size and first view
        // The iframe gets its height after the map is made (and may be hidden in a tab): fit the view once
        // the container has a size, and again on each new size until the user moves the map.
        var home = !!cfg.bounds, fitting = false;
        function sized() { return box.clientWidth > 0 && box.clientHeight > 0; }
        var labelSpans = [];  // [side, span] of each headquarters label, measured to leave them room
        function room(side) {
            var px = 0;
            labelSpans.forEach(function (x) {
                if (x[0] === side) px = Math.max(px, (x[1].offsetWidth || 7 * x[1].textContent.length) + 16);
            });
            return Math.min(px, map.getSize().x / 4);
        }
        function fitHome() {
            fitting = true;
            try {
                map.fitBounds(cfg.bounds, {animate: false, paddingTopLeft: [room('l') || 20, 20],
                                           paddingBottomRight: [room('r') || 20, 20]});
            } finally {
                fitting = false;
            }
        }
        var fitted = null;  // set below, once the legend exists: fold and place it for the new view
        function onResize() {
            if (!sized()) return;
            map.invalidateSize();
            if (home) {
                fitHome();
                if (fitted) fitted();
            }
        }
        if (global.ResizeObserver) new global.ResizeObserver(onResize).observe(box);
        else global.addEventListener('resize', onResize);
        map.on('movestart zoomstart', function () { if (!fitting) home = false; });
        if (map.attributionControl && cfg.attribution) map.attributionControl.addAttribution(esc(cfg.attribution));
        var pane = map.createPane('ppp-labels');
        pane.style.zIndex = 450;  // above the paths (overlay pane, 400), below tooltips
        pane.style.pointerEvents = 'none';

        // ------------------------------------------------------------------ country outlines
        var countries = S.groups.countries = L.geoJSON(null, {
            interactive: false,
            style: function (f) {
                var h = f.properties.h;
                if (h === 2) return {fillColor: '#f3d9a4', color: '#8a6d2f', weight: 1.4, fillOpacity: 0.85};
                if (h === 1) return {fillColor: '#d6e6f4', color: '#5b7e9e', weight: 1, fillOpacity: 0.8};
                return {fillColor: '#ebebeb', color: '#b5b5b5', weight: 0.6, fillOpacity: cfg.offline ? 0.9 : 0.3};
            }
        }).addTo(map);
        S.ready = load(cfg.countries).then(function (d) {
            if (d) { countries.addData(d); countries.bringToBack(); }
        });

        // ------------------------------------------------------------------ arcs
        var arcs = S.groups.arcs = L.featureGroup().addTo(map);
        var dashed = 0, arcLabels = [];
        cfg.arcs.forEach(function (a) {
            var line = L.polyline(a.points, {color: cfg.colours[a.role] || '#555', weight: a.dashed ? 2.6 : 2.2,
                                             opacity: 0.9, dashArray: a.dashed ? '8 6' : null, lineCap: 'butt'});
            line.feature = {type: 'Feature', properties: {partner_id: a.partner_id, plant_id: a.plant_id}};
            line.bindTooltip(tipHtml(a.tip), {sticky: true, className: 'ppp-tip'});
            arcs.addLayer(line);
            S.arcs.push(line);
            if (a.dashed) dashed++;
            if (a.label_at) {
                var label = L.marker(a.label_at, {pane: 'ppp-labels', interactive: false, keyboard: false,
                    icon: L.divIcon({className: 'ppp-label ppp-arc ppp-above', iconSize: [0, 0],
                                     html: '<span style="color:' + esc(cfg.colours[a.role] || '#555') + '">' +
                                           esc(a.label) + '</span>'})}).addTo(map);
                arcLabels.push({marker: label, points: a.points});
            }
        });

        // ------------------------------------------------------------------ plants and places in Kazakhstan
        var plants = S.groups.plants = L.featureGroup().addTo(map);
        cfg.plants.forEach(function (p) {
            L.circleMarker([p.lat, p.lon], {radius: 5, color: '#fff', weight: 1.5, fillColor: '#1f1f1f', fillOpacity: 1})
                .bindTooltip(tipHtml(p.tip), {direction: 'top', className: 'ppp-tip', offset: [0, -5]})
                .addTo(plants);
        });
        cfg.places.forEach(function (p) {
            L.circleMarker([p.lat, p.lon], {radius: 4, color: '#1f1f1f', weight: 1.5, fillColor: '#fff', fillOpacity: 1,
                                            interactive: false}).addTo(map);
            L.marker([p.lat, p.lon], {pane: 'ppp-labels', interactive: false, keyboard: false,
                icon: L.divIcon({className: 'ppp-label ppp-place', iconSize: [0, 0],
                                 html: '<span>' + esc(p.text) + '</span>'})}).addTo(map);
        });

        // ------------------------------------------------------------------ headquarters
        // the group exists before streamlit-folium binds its handlers, so clicks on its markers reach Python
        var hqs = S.groups.hqs = L.featureGroup().addTo(map);
        var shared = {};
        cfg.hqs.forEach(function (h) {
            var m = L.circleMarker([h.lat, h.lon], {radius: 7, color: '#fff', weight: 2,
                                                     fillColor: cfg.colours[h.role] || '#555', fillOpacity: 1});
            m.feature = {type: 'Feature', properties: {partner_id: h.partner_id}};
            m.bindTooltip(tipHtml(h.tip), {direction: 'top', className: 'ppp-tip', offset: [0, -7]});
            hqs.addLayer(m);
            S.hqs[h.partner_id] = m;
            var k = h.lat + ',' + h.lon;
            (shared[k] = shared[k] || []).push({m: m, at: L.latLng(h.lat, h.lon)});
        });
        // markers sharing a point sit side by side, FAN px apart on screen at every zoom
        function fan() {
            var zoom = map.getZoom();
            Object.keys(shared).forEach(function (k) {
                var g = shared[k];
                if (g.length < 2) return;
                var o = map.project(g[0].at, zoom);
                g.forEach(function (x, j) {
                    x.m.setLatLng(map.unproject(o.add([(j - (g.length - 1) / 2) * FAN, 0]), zoom));
                });
            });
        }
        map.on('zoomend viewreset', fan);
        fan();
        cfg.labels.forEach(function (l) {
            var gap = 11 + (l.fan - 1) * FAN / 2;  // clear of the (fanned-out) markers
            var side = l.side === 'l' ? 'l' : 'r';
            var label = L.marker([l.lat, l.lon], {pane: 'ppp-labels', interactive: false, keyboard: false,
                icon: L.divIcon({className: 'ppp-label ppp-' + side, iconSize: [0, 0],
                                 html: '<span style="margin:0 ' + gap + 'px">' + esc(l.text) + '</span>'})}).addTo(map);
            labelSpans.push([side, label.getElement().firstChild]);
        });
        if (home && sized()) fitHome();

        // ------------------------------------------------------------------ legend
        // Not in a fixed corner: where the first view leaves it clear of the points, labels and arcs (the
        // empty south between North Africa and China, on the bundled data); placed again with each new size
        // until the user moves the map, then left where it is. The arc labels are placed after it.
        var legend = S.legend = L.DomUtil.create('div', 'ppp-legend leaflet-control', box);
        legend.innerHTML = cfg.legend;  // built and escaped in Python
        L.DomEvent.disableClickPropagation(legend);
        L.DomEvent.disableScrollPropagation(legend);
        var det = legend.querySelector('details');

        // ------------------------------------------------------------------ placing the legend and arc labels
        // what a box would hide: [latlng, weight]; points weigh most, arcs (sampled between their vertices) little
        var marks = [];
        cfg.hqs.concat(cfg.plants, cfg.places).forEach(function (p) { marks.push([L.latLng(p.lat, p.lon), 100]); });
        cfg.arcs.forEach(function (a) {
            for (var i = 1; i < a.points.length; i++) {
                var p = a.points[i - 1], q = a.points[i];
                for (var f = 0; f < 1; f += 0.25) {
                    marks.push([L.latLng(p[0] + f * (q[0] - p[0]), p[1] + f * (q[1] - p[1])), 2]);
                }
            }
        });
        var CLEAR = 24;  // px kept between a box and a point
        function cost(x, y, w, h, boxes) {
            var score = 0, origin = box.getBoundingClientRect();
            marks.forEach(function (k) {
                var pt = map.latLngToContainerPoint(k[0]), c = k[1] > 2 ? CLEAR : 4;
                if (pt.x > x - c && pt.x < x + w + c && pt.y > y - c && pt.y < y + h + c) score += k[1];
            });
            boxes.forEach(function (r) {
                var lx = r.left - origin.left, ly = r.top - origin.top;
                if (lx < x + w && lx + r.width > x && ly < y + h && ly + r.height > y) score += 50;
            });
            return score;
        }
        function labelBoxes() { return labelSpans.map(function (x) { return x[1].getBoundingClientRect(); }); }
        function placeLegend() {
            var size = map.getSize(), w = legend.offsetWidth, h = legend.offsetHeight, m = 10;
            var xs = [m, (size.x - w) / 2, size.x - w - m], ys = [size.y - h - 22, m];  // 22: the attribution
            var best = null, boxes = labelBoxes();
            ys.forEach(function (y) {
                xs.forEach(function (x, i) {
                    if (y === m && i === 0) x = 54;  // beside the zoom buttons
                    var score = cost(x, y, w, h, boxes);
                    if (best === null || score < best.score) best = {score: score, x: x, y: y};
                });
            });
            legend.style.left = Math.max(0, Math.round(best.x)) + 'px';
            legend.style.top = Math.max(0, Math.round(best.y)) + 'px';
        }
        // an arc's label goes above or below the stretch of its arc (its middle half) where it hides least
        function placeArcLabels() {
            var boxes = labelBoxes().concat([legend.getBoundingClientRect()]);
            arcLabels.forEach(function (l) {
                var span = l.marker.getElement().firstChild, w = span.offsetWidth, h = span.offsetHeight;
                var n = l.points.length - 1, best = null;
                for (var i = Math.round(n / 4); i <= Math.round(3 * n / 4); i++) {
                    var pt = map.latLngToContainerPoint(l.points[i]);
                    [-1, 1].forEach(function (side) {
                        var y = side < 0 ? pt.y - 6 - h : pt.y + 6;
                        var score = cost(pt.x - w / 2, y, w, h, boxes) + Math.abs(i - n / 2) * 0.5;
                        if (best === null || score < best.score) best = {score: score, i: i, side: side};
                    });
                }
                if (!best) return;
                l.marker.setLatLng(l.points[best.i]);
                var el = l.marker.getElement();
                L.DomUtil.removeClass(el, best.side < 0 ? 'ppp-below' : 'ppp-above');
                L.DomUtil.addClass(el, best.side < 0 ? 'ppp-above' : 'ppp-below');
                boxes.push(span.getBoundingClientRect());
            });
        }
        fitted = function () {
            // on a small map the open legend would hide the points: start it folded
            if (det && (map.getSize().x < 640 || map.getSize().y < 420)) det.open = false;
            placeLegend();
            placeArcLabels();
        };
        if (det) det.addEventListener('toggle', function () { if (home) placeLegend(); });
        if (sized()) fitted();
        // streamlit-folium adds the stylesheets after the scripts and does not wait for them: until
        // partners.css (or a font) has arrived the labels and the legend have other sizes, so fit and place
        // again once they have
        function refit() { if (home && sized()) { fitHome(); fitted(); } }
        Array.prototype.forEach.call(document.querySelectorAll('link[rel="stylesheet"]'), function (link) {
            if (link.href.indexOf('/pharmamap/partners.css') >= 0 && !link.sheet) link.addEventListener('load', refit);
        });
        if (document.fonts && document.fonts.ready) document.fonts.ready.then(refit);

        box.setAttribute('data-partners-arcs', String(S.arcs.length));
        box.setAttribute('data-partners-dashed', String(dashed));
        return S;
    }

    global.PharmaPartners = {init: init};
})(window);
