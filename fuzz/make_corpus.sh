#!/usr/bin/env bash
# Regenerates the seed corpora in fuzz/corpus/ from the project's own test
# models: every small ONNX test model (and its conversion to .tflite), the
# example .tflite models, and a few small .npy inputs. Seeds are named by
# their content hash, as libFuzzer names what it adds, so reruns are stable.
# usage: fuzz/make_corpus.sh [path/to/rnnlite CLI]   (default build/bin/rnnlite)
set -euo pipefail
cd "$(dirname "$0")/.."
cli=${1:-build/bin/rnnlite}
[ -x "$cli" ] || { echo "make_corpus: no CLI at $cli (build it first)" >&2; exit 1; }
out=fuzz/corpus
mkdir -p "$out/tflite" "$out/onnx" "$out/npy"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

add() {  # add TARGET FILE: copy FILE under its sha1
  local sum
  sum=$(sha1sum "$2" | cut -c1-40)
  cp "$2" "$out/$1/$sum"
}

# Keep seeds small: libFuzzer mutates short inputs far faster.
max=16384
for f in $(find tests/models -name '*.onnx' -size -${max}c | sort); do
  add onnx "$f"
  # The deliberately broken models stay ONNX-only: every .tflite seed runs.
  case $f in */errors/*) continue ;; esac
  name=$(echo "$f" | tr '/' '_')
  if "$cli" convert "$f" -o "$tmp/$name.tflite" >/dev/null 2>&1; then
    add tflite "$tmp/$name.tflite"
  fi
done
for f in examples/*.tflite; do add tflite "$f"; done
for f in $(find tests/models -name '*.npy' -size -1024c | sort | head -40); do add npy "$f"; done
echo "make_corpus: $(ls "$out/onnx" | wc -l) onnx, $(ls "$out/tflite" | wc -l) tflite, $(ls "$out/npy" | wc -l) npy seeds ($(du -sh "$out" | cut -f1))"
