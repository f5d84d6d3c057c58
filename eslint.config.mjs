// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist',
      'dist-server',
      'miniprogram_dist',
      'coverage',
      '.stryker-tmp',
      'reports',
      'node_modules',
      'examples/**/miniprogram_npm',
      'examples/**/node_modules',
      // written by @rongcloud/plugin-wechat-rtc's postinstall where install scripts run
      'rcComponents',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-globals': [
        'error',
        { name: 'wx', message: 'Only src/bindings/ may touch wx (ARCHITECTURE.md decision 5).' },
      ],
    },
  },
  {
    // The example mini program is app code, not the SDK: apps call wx (wx.request, navigation).
    files: ['examples/miniprogram/miniprogram/**/*.ts', 'examples/miniprogram-js/miniprogram/**/*.js'],
    rules: { 'no-restricted-globals': 'off' },
  },
  {
    // The core never reads the clock or randomness directly (ARCHITECTURE.md decision 4).
    files: ['src/**/*.ts'],
    ignores: ['src/bindings/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Inject a scheduler instead (decision 4).' },
        { object: 'Math', property: 'random', message: 'Inject a random source instead (decision 4).' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='setTimeout']", message: 'Use a scheduler (decision 4).' },
        { selector: "CallExpression[callee.name='setInterval']", message: 'Use a scheduler (decision 4).' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The JavaScript example: mini program code, with the globals WeChat gives every file.
    files: ['examples/miniprogram-js/miniprogram/**/*.js'],
    languageOptions: {
      globals: {
        wx: 'readonly',
        App: 'readonly',
        Page: 'readonly',
        Component: 'readonly',
        getApp: 'readonly',
      },
    },
  },
);
