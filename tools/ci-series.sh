#!/usr/bin/env bash
# Runs CI (CI=true bash .ci/run) N times in a row on fresh clones of COMMIT, with a CPU-heavy job
# beside it the whole time (a `heygem render` of the 60 s shared speech, in a loop), as issue 29's
# "done when" asks. Stops at the first failure. Results in $WORK/summary.log, each run's output in
# $WORK/runK.log.   Usage: tools/ci-series.sh [COMMIT] [N]   (defaults: HEAD, 5)
set -u
repo="$(cd "$(dirname "$0")/.." && pwd)"
commit=$(git -C "$repo" rev-parse "${1:-HEAD}")
n=${2:-5}
work=${WORK:-/tmp/ci-series}
shared="$(cd "$repo/../shared" && pwd)"
mkdir -p "$work/loop"
rm -f "$work/loop/stop" # before the loop starts: a stop file left by an earlier series would end it at once
jar="$work/loop/heygem.jar"
"$repo/heygem" probe --help >/dev/null || exit 1 # builds the jar the loop renders with, when stale
cp "$repo/app/target/heygem.jar" "$jar"
( while [ ! -f "$work/loop/stop" ]; do
    java -Xmx2g -Djava.awt.headless=true -jar "$jar" render --audio "$shared/media/audio/en_speech_60s.wav" \
      --video "$shared/media/templates/woman_blue_700.mp4" --out "$work/loop/out" --data-dir "$work/loop/data" \
      >/dev/null 2>&1
    echo "render $(date +%T)" >> "$work/loop/renders.log"
  done ) &
loop=$!
for i in $(seq 1 "$n"); do
  rm -rf "$work/clone" && mkdir -p "$work/clone" && ln -s "$shared" "$work/clone/shared"
  git clone -q "$repo" "$work/clone/main" && git -C "$work/clone/main" checkout -q "$commit"
  start=$(date +%s)
  (cd "$work/clone/main" && CI=true bash .ci/run > "$work/run$i.log" 2>&1)
  rc=$?
  renders=$(wc -l < "$work/loop/renders.log" 2>/dev/null || echo 0)
  echo "run $i $commit exit $rc $(( $(date +%s) - start )) s, loop renders so far $renders:" \
    "$(grep -E '^\[(INFO|ERROR)\] Tests run:' "$work/run$i.log" | grep -v ' in ' | tr '\n' ' ')" >> "$work/summary.log"
  [ $rc -ne 0 ] && break
done
touch "$work/loop/stop"
wait $loop
cat "$work/summary.log"
