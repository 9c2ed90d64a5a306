#!/usr/bin/env node
// Makes sure a Chrome/Chromium exists for the browser tests and prints where it is.
// Order: $CHROME_PATH, then chromium / chromium-browser / google-chrome(-stable) on PATH,
// then well-known install paths. When none is found: on a Debian-like machine as root,
// installs Debian's `chromium`; otherwise explains how to get one and exits 1.
// web-test-runner.config.mjs finds the browser the same way (see findChrome below).
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
const KNOWN_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The path of a Chrome/Chromium binary, or undefined. */
export function findChrome(env = process.env) {
  if (env.CHROME_PATH && executable(env.CHROME_PATH)) return env.CHROME_PATH;
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of NAMES) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (executable(candidate)) return candidate;
    }
  }
  return KNOWN_PATHS.find(executable);
}

function install() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const debianLike = existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');
  if (!isRoot || !debianLike) return false;
  console.log("ensure-chromium: no Chrome/Chromium found; installing Debian's chromium package (apt-get)…");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', 'chromium'],
  ]) {
    const result = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (result.status !== 0) return false;
  }
  return true;
}

function main() {
  let chrome = findChrome();
  if (!chrome && install()) chrome = findChrome();
  if (!chrome) {
    console.error(`ensure-chromium: the browser tests need Chrome or Chromium, and none was found.
  Get one, then run the tests again:
    Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y chromium
    Fedora:         sudo dnf install -y chromium
    macOS:          brew install --cask chromium   (or install Google Chrome)
    anywhere:       set CHROME_PATH=/path/to/chrome-or-chromium`);
    process.exit(1);
  }
  let version;
  try {
    version = execFileSync(chrome, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch {
    version = 'version unknown';
  }
  console.log(`ensure-chromium: using ${chrome} (${version})`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
