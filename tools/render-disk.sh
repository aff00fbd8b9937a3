#!/usr/bin/env bash
# The peak temporary disk (open or deleted files under DATA/tmp) and peak RSS of one `heygem render`.
# usage: tools/render-disk.sh JAR TEMPLATE AUDIO DATA OUT (see docs/performance.md)
JAR=$1; T=$2; A=$3; D=$4; O=$5
mkdir -p $D $O
java -Xmx2g -jar $JAR render --video $T --audio $A --data-dir $D --out $O > $O/render.log 2>&1 &
PID=$!
peak=0; rss=0
while kill -0 $PID 2>/dev/null; do
  jp=$(pgrep -f "jar $JAR render" | head -1)
  if [ -n "$jp" ]; then
    s=0
    for fd in /proc/$jp/fd/*; do
      t=$(readlink $fd 2>/dev/null)
      case "$t" in *"$D/tmp/"*) s=$((s + $(stat -L -c %s $fd 2>/dev/null || echo 0)));; esac
    done
    d=$(du -sb $D/tmp 2>/dev/null | cut -f1); d=${d:-0}
    [ $d -gt $s ] && s=$d
    [ $s -gt $peak ] && peak=$s
    r=$(grep VmHWM /proc/$jp/status 2>/dev/null | awk '{print $2}'); [ -n "$r" ] && [ $r -gt $rss ] && rss=$r
  fi
  sleep 0.2
done
echo "peak temporary bytes: $peak; peak RSS: $((rss/1024)) MB"
grep -v INFO $O/render.log | tail -3
