#!/usr/bin/env bash
# Makes resources/tessdata/chi_sim_std.traineddata: the LSTM half of Tesseract's standard chi_sim model
# (tesseract-ocr/tessdata 4.0.0, Apache-2.0), without the legacy engine's 40 MB the app never loads.
#
# Debian ships only the "fast" chi_sim model, which misreads common characters of names (邱 as 印, 鑫 as 伟) and
# has no 佤, 僳, 斡, 珞, 畲 or 祜. The standard model reads them; the reader uses it first and Debian's as a second
# opinion. The file comes from the npm registry (the package tesseract.js publishes Tesseract's data in), checked
# against the integrity hash below, and is cut with Tesseract's own combine_tessdata. The result is committed, so
# neither setup nor CI needs the network; run this only to make it again.
set -euo pipefail
cd "$(dirname "$0")/.."
URL=https://registry.npmjs.org/@tesseract.js-data/chi_sim/-/chi_sim-1.0.0.tgz
INTEGRITY=iuErURkPbECDUazgsLn/r3c+tU2y5o5S/w14d0A/YiagfsjYyZKgTo75RUpsGJ311qtu0dIX4hqnXAAjmqf2CA==
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
curl -fsSL "$URL" -o "$work/pkg.tgz"
got=$(openssl dgst -sha512 -binary "$work/pkg.tgz" | base64 -w0)
[ "$got" = "$INTEGRITY" ] || { echo "integrity check failed: $got" >&2; exit 1; }
tar -xzf "$work/pkg.tgz" -C "$work" package/4.0.0/chi_sim.traineddata.gz
gunzip -c "$work/package/4.0.0/chi_sim.traineddata.gz" > "$work/full.traineddata"
mkdir "$work/parts"
(cd "$work/parts" && combine_tessdata -u ../full.traineddata m. > /dev/null)
mkdir "$work/lstm"
for part in config unicharset lstm lstm-number-dawg lstm-punc-dawg lstm-word-dawg version; do
    cp "$work/parts/m.$part" "$work/lstm/m.$part"
done
(cd "$work/lstm" && combine_tessdata m. > /dev/null)
mkdir -p resources/tessdata
cp "$work/lstm/m.traineddata" resources/tessdata/chi_sim_std.traineddata
sha256sum resources/tessdata/chi_sim_std.traineddata
