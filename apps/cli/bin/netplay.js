#!/usr/bin/env node
// In a repository checkout (the TypeScript sources are next to this file) the CLI runs from source
// through tsx, which also resolves the workspace aliases from tsconfig.base.json, so `npx netplay`
// reflects every edit without a build step. The published package carries no sources, only the
// bundle that `npm pack` builds (scripts/build.mjs), and runs it on Node.js alone.
const path = require('node:path');
const fs = require('node:fs');

const source = path.join(__dirname, '..', 'src', 'main.ts');
if (fs.existsSync(source)) {
  process.env.TSX_TSCONFIG_PATH ??= path.join(__dirname, '..', '..', '..', 'tsconfig.base.json');
  require('tsx/cjs');
  require(source);
} else {
  require('../dist/netplay.js');
}
