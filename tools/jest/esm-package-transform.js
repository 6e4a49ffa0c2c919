// Jest (30, on Node 20) cannot require() ES modules, and Nest 12 ships only ES modules. This
// transformer compiles such packages to CommonJS with SWC. Two ESM-only constructs need a rewrite
// first: `import.meta.url` (becomes the file's URL) and a module-level `const require = createRequire(...)`,
// which would redeclare CommonJS's own `require` (renamed; the module's later `require(...)` calls
// then use CommonJS's, which resolves the same way).
const { createTransformer } = require('@swc/jest');

const swc = createTransformer({
  jsc: { target: 'es2022', parser: { syntax: 'ecmascript' } },
  module: { type: 'commonjs', ignoreDynamic: false },
});

function rewrite(source) {
  return source
    .replace(/\b(const|let|var)\s+require\s*=/g, '$1 esmCreatedRequire =')
    .replace(/\bimport\.meta\.url\b/g, 'require("node:url").pathToFileURL(__filename).href')
    .replace(/\bimport\.meta\.dirname\b/g, '__dirname')
    .replace(/\bimport\.meta\.filename\b/g, '__filename');
}

module.exports = {
  process(source, filename, options) {
    return swc.process(rewrite(source), filename, options);
  },
  getCacheKey(source, filename, options) {
    return `esm-package-transform-1:${swc.getCacheKey(rewrite(source), filename, options)}`;
  },
};
