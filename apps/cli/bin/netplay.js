#!/usr/bin/env node
// Runs the TypeScript entry point through tsx, which also resolves the workspace aliases
// from tsconfig.base.json, so `npx netplay` works right after `npm ci` without a build step.
const path = require('node:path');
process.env.TSX_TSCONFIG_PATH ??= path.join(__dirname, '..', '..', '..', 'tsconfig.base.json');
require('tsx/cjs');
require('../src/main.ts');
