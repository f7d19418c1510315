#!/usr/bin/env bash
# Fetches what the Keras importer's tests use into the cache (${KILN_CACHE:-~/.cache/kiln}), from
# the registries these machines can reach; each part is skipped once it is complete:
#   models/nsfwjs-4.4.0/{mobilenet_v2,inception_v3}/  model.json + group1-shard*  (npm nsfwjs)
#   data/skimage-0.19.3/*.png                          sample photos (Debian python3-skimage)
#   node/keras-oracle/                                 TensorFlow.js, pinned by frontend/src/test/js
# nsfwjs ships each model file wrapped in a browserify bundle (model.min.js exports the model.json
# object, each shard a base64 string), so node unwraps them into the standard TF.js layout.
# Needs node + npm (and apt-get for the photos); says what is missing and exits 1 otherwise.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${KILN_CACHE:-$HOME/.cache/kiln}"
NSFWJS=4.4.0
SKIMAGE_DIR="$CACHE/data/skimage-0.19.3"
MODELS_DIR="$CACHE/models/nsfwjs-$NSFWJS"
ORACLE_DIR="$CACHE/node/keras-oracle"
PHOTOS=(astronaut.png chelsea.png coffee.png rocket.jpg motorcycle_left.png camera.png)

need() { command -v "$1" >/dev/null 2>&1 || { echo "fetch-nsfwjs: '$1' is not installed; $2" >&2; exit 1; }; }
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT

if [[ ! -f "$MODELS_DIR/.complete" ]]; then
  need node "install Node.js 18+ (the models are unwrapped with node)"
  need npm "install npm (nsfwjs comes from the npm registry)"
  echo "fetch-nsfwjs: nsfwjs@$NSFWJS from npm -> $MODELS_DIR" >&2
  (cd "$TMP" && npm pack --silent "nsfwjs@$NSFWJS" >/dev/null && tar xzf "nsfwjs-$NSFWJS.tgz")
  rm -rf "$MODELS_DIR" && mkdir -p "$MODELS_DIR"
  node - "$TMP/package/dist/models" "$MODELS_DIR" <<'JS'
const fs = require('fs'), path = require('path');
const [src, dst] = process.argv.slice(2);
for (const name of ['mobilenet_v2', 'inception_v3']) {   // mobilenet_v2_mid is a graph model, not Keras
  const model = require(path.join(src, name, 'model.min.js'));
  fs.mkdirSync(path.join(dst, name), { recursive: true });
  fs.writeFileSync(path.join(dst, name, 'model.json'), JSON.stringify(model));
  for (const group of model.weightsManifest) for (const p of group.paths) {
    const b64 = require(path.join(src, name, p + '.min.js'));
    if (typeof b64 !== 'string') throw new Error(`${name}/${p}.min.js does not export a base64 string`);
    fs.writeFileSync(path.join(dst, name, p), Buffer.from(b64, 'base64'));
  }
}
JS
  touch "$MODELS_DIR/.complete"
fi

if [[ ! -f "$SKIMAGE_DIR/.complete" ]]; then
  need apt-get "the photos come from Debian's python3-skimage"
  need dpkg-deb "the photos come from Debian's python3-skimage"
  echo "fetch-nsfwjs: photos from Debian python3-skimage -> $SKIMAGE_DIR" >&2
  (cd "$TMP" && { apt-get download python3-skimage >/dev/null 2>&1 || { apt-get update -qq && apt-get download python3-skimage >/dev/null; }; })
  dpkg-deb -x "$TMP"/python3-skimage_*.deb "$TMP/deb"
  mkdir -p "$SKIMAGE_DIR"
  for p in "${PHOTOS[@]}"; do cp "$TMP/deb/usr/lib/python3/dist-packages/skimage/data/$p" "$SKIMAGE_DIR/"; done
  touch "$SKIMAGE_DIR/.complete"
fi

# the oracle is reinstalled whenever its pinned package files change
JS_DIR="$ROOT/frontend/src/test/js"
if ! cmp -s "$JS_DIR/package-lock.json" "$ORACLE_DIR/package-lock.json" 2>/dev/null || [[ ! -d "$ORACLE_DIR/node_modules" ]]; then
  need npm "install npm (TensorFlow.js comes from the npm registry)"
  echo "fetch-nsfwjs: TensorFlow.js (pinned in $JS_DIR/package.json) -> $ORACLE_DIR" >&2
  rm -rf "$ORACLE_DIR" && mkdir -p "$ORACLE_DIR"
  cp "$JS_DIR/package.json" "$JS_DIR/package-lock.json" "$ORACLE_DIR/"
  (cd "$ORACLE_DIR" && npm ci --ignore-scripts --no-audit --no-fund --silent)
fi
echo "fetch-nsfwjs: ready in $CACHE" >&2
