// Lint for the map's browser code (static/pharmamap): `make lint` runs `npx --no-install eslint static/pharmamap`.
"use strict";

const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
    {
        // copied or generated at run time, not ours
        ignores: ["static/leaflet/**", "static/cache/**", "node_modules/**", ".venv/**"],
    },
    {
        files: ["static/pharmamap/**/*.js"],
        ...js.configs.recommended,
        languageOptions: {
            ecmaVersion: 2020,
            sourceType: "script", // a classic <script> in streamlit-folium's iframe and in the offline map file
            globals: {
                ...globals.browser,
                L: "readonly", // Leaflet, loaded before map.js
                Streamlit: "readonly", // streamlit-folium's iframe API (map.js does not use it)
            },
        },
        rules: {
            ...js.configs.recommended.rules,
            "no-implicit-globals": "error",
            "no-var": "off", // ES5 style, as Leaflet's own examples
            eqeqeq: "error",
            strict: ["error", "function"],
        },
    },
    {
        files: ["eslint.config.js"],
        ...js.configs.recommended,
        languageOptions: {ecmaVersion: 2020, sourceType: "commonjs", globals: {...globals.node}},
    },
];
