// `npm run lint`: ESLint's, typescript-eslint's and eslint-plugin-vue's recommended rules for the
// console (src/), the Vite config and the browser tests (e2e/). `npm run typecheck` (vue-tsc)
// checks the types; this checks the rest.
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import pluginVue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'e2e/screenshots/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
    rules: {
      // TypeScript (vue-tsc) resolves names, ambient ones such as GeoJSON too; typescript-eslint
      // turns this off for .ts files and advises the same for any TypeScript.
      'no-undef': 'off',
      // Chinese text in templates may use the ideographic space (U+3000) on purpose; script,
      // attributes and the rest stay checked.
      'no-irregular-whitespace': 'off',
      'vue/no-irregular-whitespace': ['error', { skipHTMLTextContents: true }],
    },
  },
  {
    files: ['src/**/*.{ts,vue}'],
    languageOptions: { globals: globals.browser },
  },
  {
    // Pages are mounted by the router and never written as tags, so one-word names such as Login
    // or Duty cannot clash with an HTML element (the components beside them have two-word names).
    files: ['src/features/**/*.vue', 'src/shell/**/*.vue'],
    rules: { 'vue/multi-word-component-names': 'off' },
  },
  {
    // Node scripts: the browser tests (which also hand functions to the browser, page.evaluate)
    // and the checks in scripts/.
    files: ['e2e/**/*.mjs', 'scripts/**/*.mjs', '*.{js,ts}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    // The service worker (public/sw.js, served as written, ADR 0022).
    files: ['public/sw.js'],
    languageOptions: { globals: globals.serviceworker },
  },
  {
    rules: {
      // The API's types are generated from docs/api/openapi.json (src/api/schema.d.ts); a value
      // the document leaves open gets a written type or `unknown`, never `any`.
      '@typescript-eslint/no-explicit-any': 'error',
      // Layout rules (vue/strongly-recommended) that would reflow every template: the console
      // keeps short elements and their attributes on one line.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/html-indent': 'off',
      'vue/first-attribute-linebreak': 'off',
      // Single quotes where the value holds double quotes (a JSON placeholder) rather than &quot;.
      'vue/html-quotes': ['warn', 'double', { avoidEscape: true }],
      // vue/recommended's order of attributes (v-if before v-model before :prop …) is style only.
      'vue/attributes-order': 'off',
    },
  },
);
