#!/bin/bash
# Live bench (not in the suite; figures go to docs/performance.md): `heygem live` for N minutes on
# a 720x1280 template made from the shared portrait, fed by an RTMP stream of a 60 s speech looped
# (FFmpeg -re -listen on 127.0.0.1), HLS out and an MP4 recording; the JVM's resident memory every
# 10 s; then `heygem probe` and `heygem evaluate` on the recording.
#
#     tools/live-bench.sh [minutes=5] [work=/tmp/heygem-live-bench]
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MINUTES=${1:-5}
WORK=${2:-/tmp/heygem-live-bench}
JAR=${HEYGEM_JAR:-$ROOT/app/target/heygem.jar}
MEDIA=$ROOT/../shared/media
mkdir -p "$WORK"
cd "$WORK"
heygem() { java -Xmx1g -jar "$JAR" "$@"; }
[ -f portrait720.mp4 ] || heygem ffmpeg -hide_banner -loglevel error -y -i "$MEDIA/templates/man_standing_portrait_hevc.mp4" \
    -vf scale=720:1280 -c:v libx264 -preset veryfast -crf 18 -c:a aac portrait720.mp4
rm -rf hls rec.mp4 mem.txt live.out
PORT=$((20000 + RANDOM % 20000))
heygem ffmpeg -hide_banner -loglevel error -re -stream_loop $((MINUTES - 1)) -i "$MEDIA/audio/en_speech_60s.wav" \
    -c:a aac -b:a 128k -f flv -listen 1 "rtmp://127.0.0.1:$PORT/live/s" &
PUBLISHER=$!
sleep 3
START=$(date +%s)
heygem live --audio "rtmp://127.0.0.1:$PORT/live/s" --video portrait720.mp4 --out "$WORK/hls" --record "$WORK/rec.mp4" \
    --seconds $((MINUTES * 60)) --data-dir "$WORK/data" > live.out 2> live.err &
LIVE=$!
while kill -0 $LIVE 2>/dev/null; do
    echo "$(( $(date +%s) - START )) $(ps -o rss= -p "$(pgrep -P $LIVE java || echo $LIVE)" 2>/dev/null)" >> mem.txt
    sleep 10
done
kill $PUBLISHER 2>/dev/null || true
tail -1 live.out
heygem probe rec.mp4 | grep -E "duration|frame rate"
heygem evaluate rec.mp4 --template portrait720.mp4 --data-dir "$WORK/data" | grep -E "offset|speed|ghost"
echo "resident memory (s kB):"; awk 'NR % 6 == 1' mem.txt | tr '\n' ' '; echo
