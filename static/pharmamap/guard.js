/*
 * The map's guard: loaded first in streamlit-folium's iframe (components/map.py render_map). If Leaflet
 * or map.js fails to load (a missing static file, a blocked request) or the map cannot be built, it puts
 * a clear message where the map would be and sizes the frame to show it; the rest of the page is not
 * affected. The message, in the page's language, comes in this script's own URL: guard.js?m=<text>.
 * It is set as text, never parsed as HTML.
 */
(function (global) {
    'use strict';
    var me = document.currentScript;
    var message = (me && new URL(me.src, global.location.href).searchParams.get('m')) || 'The map could not be loaded.';

    function show() {
        if (document.getElementById('pm-missing') || (global.L && global.PharmaMap && global.map)) {
            return;
        }
        var box = document.createElement('div');
        box.id = 'pm-missing';
        box.setAttribute('role', 'alert');
        box.textContent = message;
        box.style.cssText = 'font: 15px/1.4 sans-serif; padding: 16px; border: 1px solid #d9a400; ' +
            'background: #fff8e1; color: #3d2e00; border-radius: 6px; margin: 4px;';
        document.body.insertBefore(box, document.body.firstChild);
        if (global.Streamlit && global.Streamlit.setFrameHeight) {
            global.Streamlit.setFrameHeight(box.offsetHeight + 16);
        }
    }

    // a script that fails to load (capture: load errors do not bubble), or an error building the map
    global.addEventListener('error', function (event) {
        var target = event.target;
        if ((target && target.tagName === 'SCRIPT') || !global.L || !global.PharmaMap) {
            show();
        }
    }, true);
    global.addEventListener('unhandledrejection', show);  // streamlit-folium's loader rejects on a failed script
}(window));
