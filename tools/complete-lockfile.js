#!/usr/bin/env node
/**
 * Adds lockfile entries for platform-specific optional dependencies that the package registry
 * reachable from this build network does not carry (e.g. `@swc/core-darwin-arm64`).
 *
 * npm records optional platform packages for every platform in package-lock.json, and `npm ci`
 * refuses a lockfile that lacks any of them ("Missing: … from lock file"). When the registry
 * answers 404 for the other platforms' packages, `npm install` writes an incomplete lockfile.
 * This script adds the entries npm would have written (name, version, os/cpu/libc from the
 * package's platform suffix), so `npm ci` works here and on any developer's machine.
 * Run it after every `npm install` that changes the lockfile: `node tools/complete-lockfile.js`.
 */
const fs = require('node:fs');
const path = require('node:path');

const LOCKFILE = path.join(__dirname, '..', 'package-lock.json');
const OS = [
  'darwin',
  'linux',
  'win32',
  'freebsd',
  'android',
  'openharmony',
  'sunos',
  'aix',
  'netbsd',
  'openbsd',
  'wasi',
];
const CPU = [
  'x64',
  'arm64',
  'arm',
  'ia32',
  'ppc64',
  'ppc64le',
  's390x',
  'riscv64',
  'loong64',
  'mips64el',
  'wasm32',
];

function platformOf(name) {
  const parts = path.basename(name).split('-');
  const os = OS.find((o) => parts.includes(o));
  let cpu = CPU.find((c) => parts.includes(c));
  if (!cpu && parts.includes('x86_64')) cpu = 'x64';
  if (!cpu && parts.includes('aarch64')) cpu = 'arm64';
  if (!cpu && parts.includes('arm') === false && parts.some((p) => p.startsWith('arm')))
    cpu = 'arm';
  const libc = parts.some((p) => p === 'gnu' || p.startsWith('gnueabi') || p === 'glibc')
    ? 'glibc'
    : parts.includes('musl') || parts.some((p) => p.startsWith('musleabi'))
      ? 'musl'
      : undefined;
  return { os, cpu, libc };
}

const lock = JSON.parse(fs.readFileSync(LOCKFILE, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [location, entry] of Object.entries(packages)) {
  for (const [dep, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    // npm resolves a dependency next to its parent first, then up to the root node_modules.
    const nested = `${location ? `${location}/` : ''}node_modules/${dep}`;
    if (packages[nested] || packages[`node_modules/${dep}`]) continue;
    const version = String(spec).replace(/^[\^~=]/, '');
    if (!/^\d+\.\d+\.\d+/.test(version)) continue;
    const { os, cpu, libc } = platformOf(dep);
    if (!os && !cpu) continue;
    const record = { version, optional: true };
    if (entry.dev) record.dev = true;
    if (cpu) record.cpu = [cpu];
    if (libc) record.libc = [libc];
    if (os) record.os = [os];
    packages[`node_modules/${dep}`] = record;
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) =>
    a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  ),
);
fs.writeFileSync(LOCKFILE, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} platform entries`);
