// ESLint flat config: typed TypeScript rules + React hooks rules + the import layers (README.md,
// "Layers and the import rule").
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

// Imports flow one way: app/ -> features/ -> shared (lib/, components/). A feature imports
// another feature only along these edges (an acyclic graph); a feature not listed imports none.
const FEATURE_DEPS = {
  rooms: ['presence'],
  messages: ['rooms', 'presence', 'files', 'mentions'],
  search: ['rooms'],
};

// The edges must not loop (that is the point of them): refuse to lint with a cycle here.
function assertAcyclic(deps) {
  const done = new Set();
  const visit = (feature, path) => {
    if (path.includes(feature)) throw new Error(`FEATURE_DEPS loops: ${[...path, feature].join(' -> ')}`);
    if (done.has(feature)) return;
    for (const d of deps[feature] ?? []) visit(d, [...path, feature]);
    done.add(feature);
  };
  for (const feature of Object.keys(deps)) visit(feature, []);
}
assertAcyclic(FEATURE_DEPS);

const FEATURES = readdirSync(new URL('./src/features', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

const LAYER_ZONES = [
  {
    target: './src/lib',
    from: ['./src/app', './src/features', './src/components'],
    message: 'lib/ is shared code without React: it imports only lib/ (and packages).',
  },
  {
    target: './src/components',
    from: ['./src/app', './src/features'],
    message: 'components/ is shared UI: it imports only lib/ and components/.',
  },
  {
    target: './src/features',
    from: './src/app',
    message: 'A feature never imports app/: app/ composes the features, not the other way round.',
  },
  ...FEATURES.map((feature) => ({
    target: `./src/features/${feature}`,
    from: './src/features',
    except: [feature, ...(FEATURE_DEPS[feature] ?? [])].map((f) => `./${f}`),
    message: `features/${feature} may import only ${
      FEATURE_DEPS[feature]?.map((f) => `features/${f}`).join(', ') || 'no other feature'
    } (FEATURE_DEPS in eslint.config.js); move what both need to lib/, or let app/ connect them.`,
  })),
];

const TEST_SUPPORT_ZONE = {
  target: './src',
  from: './src/test',
  message: 'src/test/ holds test fakes: only *.test.* files import it.',
};

const TEST_FILES = ['src/**/*.test.{ts,tsx}', 'src/test/**'];

function importLayers(zones) {
  return ['error', { basePath: import.meta.dirname, zones }];
}

export default tseslint.config(
  { ignores: ['target/**', 'dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      ecmaVersion: 2023,
      globals: { ...globals.browser },
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'Message text is text: build React elements, never inject HTML.',
        },
      ],
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Never inject HTML.' },
        { property: 'outerHTML', message: 'Never inject HTML.' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.json'] })],
    },
    rules: {
      'import-x/no-restricted-paths': importLayers([...LAYER_ZONES, TEST_SUPPORT_ZONE]),
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: TEST_FILES,
    rules: { 'import-x/no-restricted-paths': importLayers(LAYER_ZONES) },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
