/* Pharma Plants Map: the presenters' keys in presentation mode (what a clicker sends), and the map frame's
 * inner height.
 *
 * Loaded by components/present.py (render_keys), only while presentation mode is on, as
 *   <script src="/app/static/pharmamap/keys.js?v=…" data-next data-prev data-first data-exit data-fit>
 * in a zero-height Streamlit component frame (srcdoc: the page's origin, so it can reach the page,
 * window.parent, and the page's other same-origin frames).
 *
 * ---------------------------------------------------------------------------------------------- data in
 * The script element's attributes, each a CSS selector in the page:
 *   data-next    the tour's Next button      keys: ArrowRight, PageDown, Space
 *   data-prev    the tour's Prev button      keys: ArrowLeft, PageUp
 *   data-first   the tour's First button     key: Home
 *   data-exit    the tour's Exit button      key: Escape
 *   data-fit     frames whose content is fitted to the frame's height (the streamlit-folium map: the page's
 *                CSS sizes the frame from the window, while streamlit-folium gives the map's box a fixed
 *                height in px when it makes it)
 *
 * ---------------------------------------------------------------------------------------------- events out
 * A key pressed in the page or in any same-origin frame of it (the map, whether or not it has the focus)
 * clicks that button, unless it is disabled, and its default action (scrolling the page, Leaflet panning a
 * focused map) is prevented. Left alone: keys with Ctrl, Alt, Meta or Shift; keys typed in a text field
 * (an input other than a checkbox or a button, a textarea, a select, an editable element), or inside an
 * element marked data-ppm-own-keys (the map's list of plants, static/pharmamap/map.js, moves with the arrows
 * and leaves with Esc); Space and Enter on a focused button, link or checkbox (they press or toggle it, as
 * usual: the arrows and Esc still drive the tour after the Projector toggle was clicked); a key held down
 * (repeats).
 * Listeners (capture phase) are put on the page's document and on the document of every same-origin frame,
 * again when frames come or load (MutationObserver, load events), and removed when this frame goes
 * (pagehide) or a newer copy of this script starts.
 *
 * ---------------------------------------------------------------------------------------------- globals out
 *   window.parent.__ppmKeys = {off: function}   the live copy's remover (a newer copy calls it first)
 *   data-ppm-keys="on" on the <html> of the page and of every frame listened to (read by tests/e2e)
 *   in each data-fit frame: <style data-ppm-fit> making streamlit-folium's #map_div as tall as the frame
 */
(function () {
    'use strict';

    var script = document.currentScript;
    var page = window.parent;
    if (!script || !page || page === window) return;
    var doc;
    try {
        doc = page.document;
    } catch {
        return;  // another origin: nothing to do
    }

    var ACTIONS = {
        ArrowRight: 'next', PageDown: 'next', ' ': 'next',
        ArrowLeft: 'prev', PageUp: 'prev',
        Home: 'first',
        Escape: 'exit'
    };
    var TYPING = {INPUT: true, TEXTAREA: true, SELECT: true};
    var PRESSABLE = {BUTTON: true, A: true, SUMMARY: true};
    var NOT_TYPED = {checkbox: true, button: true, submit: true, reset: true};  // inputs that take no text

    function typedInto(el) {
        if (el.tagName === 'INPUT') return !NOT_TYPED[String(el.type).toLowerCase()];
        return !!TYPING[el.tagName] || el.isContentEditable;
    }

    function pressable(el) {
        return !!PRESSABLE[el.tagName] || el.getAttribute('role') === 'button' || el.tagName === 'INPUT';
    }
    var FIT = '#map_div{height:100vh!important}';

    if (page.__ppmKeys && typeof page.__ppmKeys.off === 'function') page.__ppmKeys.off();

    var listened = [];  // [document, handler]
    var framesSeen = [];  // frames with a load listener

    function press(name) {
        var selector = script.getAttribute('data-' + name);
        var button = selector ? doc.querySelector(selector) : null;
        if (!button || button.disabled) return false;
        button.click();
        return true;
    }

    function onKey(e) {
        var name = ACTIONS[e.key];
        if (!name || e.ctrlKey || e.altKey || e.metaKey || e.shiftKey || e.defaultPrevented) return;
        var el = e.target;
        if (el && el.nodeType === 1) {
            if (typedInto(el)) return;
            if (el.closest && el.closest('[data-ppm-own-keys]')) return;  // the map's plant list: its own arrows, Esc
            if ((e.key === ' ' || e.key === 'Enter') && pressable(el)) return;
        }
        e.preventDefault();
        e.stopPropagation();
        if (!e.repeat) press(name);
    }

    function listen(d) {
        for (var i = 0; i < listened.length; i++) if (listened[i][0] === d) return;
        d.addEventListener('keydown', onKey, true);
        listened.push([d, onKey]);
        d.documentElement.setAttribute('data-ppm-keys', 'on');
    }

    function fit(d) {
        if (d.querySelector('style[data-ppm-fit]')) return;
        var style = d.createElement('style');
        style.setAttribute('data-ppm-fit', '');
        style.textContent = FIT;
        (d.head || d.documentElement).appendChild(style);
    }

    var fitSelector = script.getAttribute('data-fit');
    function scan() {
        var frames = doc.querySelectorAll('iframe');
        for (var i = 0; i < frames.length; i++) {
            var f = frames[i];
            if (f === window.frameElement) continue;
            if (framesSeen.indexOf(f) < 0) {
                framesSeen.push(f);
                f.addEventListener('load', scan);
            }
            var d = null;
            try {
                d = f.contentDocument;
            } catch {
                d = null;  // another origin
            }
            if (!d || !d.documentElement) continue;
            listen(d);
            if (fitSelector && f.matches(fitSelector)) fit(d);
        }
        // frames gone from the page: forget them
        framesSeen = framesSeen.filter(function (x) { return x.isConnected; });
        listened = listened.filter(function (x) {
            if (x[0] === doc || (x[0].defaultView && x[0].defaultView.frameElement)) return true;
            return false;
        });
    }

    var pending = false;
    var observer = new MutationObserver(function () {
        if (pending) return;
        pending = true;
        Promise.resolve().then(function () { pending = false; scan(); });
    });

    function off() {
        observer.disconnect();
        listened.forEach(function (x) {
            x[0].removeEventListener('keydown', x[1], true);
            if (x[0].documentElement) x[0].documentElement.removeAttribute('data-ppm-keys');
        });
        listened = [];
        framesSeen.forEach(function (f) { f.removeEventListener('load', scan); });
        framesSeen = [];
        if (page.__ppmKeys && page.__ppmKeys.off === off) page.__ppmKeys = null;
    }

    listen(doc);
    scan();
    observer.observe(doc.body, {childList: true, subtree: true});
    page.__ppmKeys = {off: off};
    window.addEventListener('pagehide', off);
})();
