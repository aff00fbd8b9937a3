package com.heygem.engine.source;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.error.Text;
import com.heygem.engine.media.Ffmpeg;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Pulls media from a {@link SourceAddress} into a local Matroska file with the bundled FFmpeg,
 * streams copied (no re-encoding: the pull costs no CPU and changes no sample). Ends when the
 * source ends, when the duration asked for is recorded (a live stream), when the caller stops it
 * (what was recorded is kept), or when the source sends nothing for {@link Options#stall()}.
 *
 * <p>How FFmpeg opens the source (the checked address, the proxy, what it may open on its own)
 * is a {@link SourceInput}: the server's pulls go through one that checks every host a playlist
 * or a redirect leads to.
 */
public final class StreamPull {
    /** What FFmpeg may open for a network input given as a plain address: the network, nothing local. */
    static final String PROTOCOLS = "http,https,tcp,tls,crypto,httpproxy,rtmp,rtmps,rtmpt,rtmpts";

    /**
     * @param maxSeconds the longest recording (the user's stop time, or the server's cap)
     * @param maxBytes   the largest file; a source that grows past it is refused as too large
     * @param stall      how long the source may send nothing before the pull ends
     */
    public record Options(double maxSeconds, long maxBytes, Duration stall) {
    }

    /** How far a pull has come: seconds of media and bytes written. */
    public interface Listener {
        void progress(double seconds, long bytes);
    }

    /**
     * @param file    the Matroska file written
     * @param seconds media seconds in it
     * @param bytes   its size
     * @param cut     whether it ended at {@code maxSeconds} or by a stop rather than at the source's end
     */
    public record Result(Path file, double seconds, long bytes, boolean cut) {
    }

    private StreamPull() {
    }

    /**
     * @throws HeyGemException SOURCE_UNREACHABLE, SOURCE_NOT_FOUND, SOURCE_DENIED, SOURCE_STALLED,
     *                         SOURCE_UNSUPPORTED, NOT_MEDIA or TOO_LARGE, each naming {@code src.shown()}
     */
    public static Result pull(SourceAddress src, SourceInput input, Path out, Options o, Listener listener,
            BooleanSupplier stop) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-loglevel", "error", "-nostats",
                "-progress", "pipe:1", "-y", "-rw_timeout", Long.toString(o.stall().toMillis() * 1000)));
        args.addAll(input.options());
        if (src.isHttp()) {
            // A file cut off mid-way is fetched on from where it broke; a playlist is re-read by its demuxer.
            args.addAll(List.of("-reconnect", "1", "-reconnect_on_network_error", "1", "-reconnect_delay_max", "4",
                    "-user_agent", "HeyGem"));
        }
        args.addAll(List.of("-t", seconds(o.maxSeconds()), "-i", input.url(),
                "-map", "0:v:0?", "-map", "0:a:0?", "-c", "copy", "-fs", Long.toString(o.maxBytes()),
                "-f", "matroska", out.toString()));
        ProcessBuilder pb = Ffmpeg.process(Ffmpeg.executable(), args);
        // A proxy comes only from the input: never from the server's environment.
        input.environment(pb.environment());
        Process p = pb.start();
        StringBuilder errors = new StringBuilder();
        Thread errorReader = drain(p.getErrorStream(), errors);
        Counters c = new Counters();
        Thread progressReader = daemon(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    int eq = line.indexOf('=');
                    if (eq < 0) {
                        continue;
                    }
                    String key = line.substring(0, eq);
                    String value = line.substring(eq + 1).trim();
                    try {
                        if (key.equals("out_time_us") && !value.equals("N/A")) {
                            double s = Long.parseLong(value) / 1e6;
                            if (s > c.seconds) {
                                c.seconds = s;
                                c.lastChange = System.nanoTime();
                            }
                        } else if (key.equals("total_size") && !value.equals("N/A")) {
                            long b = Long.parseLong(value);
                            if (b > c.bytes) {
                                c.bytes = b;
                                c.lastChange = System.nanoTime();
                            }
                        } else if (key.equals("progress")) {
                            listener.progress(c.seconds, c.bytes);
                        }
                    } catch (NumberFormatException e) {
                        // a field FFmpeg could not fill: the next block will
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        boolean stopped = false;
        boolean stalled = false;
        while (!p.waitFor(200, TimeUnit.MILLISECONDS)) {
            if (!stopped && stop.getAsBoolean()) {
                stopped = true;
                p.destroy(); // SIGTERM: FFmpeg closes the file properly, keeping what it has
            } else if (!stalled && System.nanoTime() - c.lastChange > o.stall().toNanos() + 2_000_000_000L) {
                stalled = true; // FFmpeg's own timeout missed it (a live playlist that stops growing)
                p.destroy();
            }
            if ((stopped || stalled) && !p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        progressReader.join(2000);
        errorReader.join(2000);
        long size = Files.isRegularFile(out) ? Files.size(out) : 0;
        String why = errors.toString();
        boolean wrote = size > 0 && c.seconds > 0;
        if (size >= o.maxBytes() * 0.98) {
            throw new HeyGemException(ErrorCode.TOO_LARGE, src.shown(), mib(size) + "+", mib(o.maxBytes()));
        }
        if ((stopped || stalled) && wrote) {
            return new Result(out, c.seconds, size, true);
        }
        if (stalled) {
            throw new HeyGemException(ErrorCode.SOURCE_STALLED, src.shown(), o.stall().toSeconds());
        }
        if (p.exitValue() != 0 || !wrote) {
            throw failure(src, why, p.exitValue());
        }
        listener.progress(c.seconds, size);
        return new Result(out, c.seconds, size, c.seconds >= o.maxSeconds() - 0.5);
    }

    /** What FFmpeg's error says, in the user's terms. */
    static HeyGemException failure(SourceAddress src, String ffmpeg, int exit) {
        // Without FFmpeg's "[http @ 0x55d4041e3c40]" prefixes: an address in one of them once read as "404".
        String e = POINTER.matcher(ffmpeg.toLowerCase(Locale.ROOT)).replaceAll("");
        String shown = src.shown();
        Matcher status = HTTP_STATUS.matcher(e);
        String code = status.find() ? status.group(1) : "";
        if (code.equals("404")) {
            return new HeyGemException(ErrorCode.SOURCE_NOT_FOUND, shown);
        }
        if (code.equals("401") || code.equals("403") || code.equals("407")) {
            return new HeyGemException(ErrorCode.SOURCE_DENIED, shown, code);
        }
        if (e.contains("connection refused")) {
            return new HeyGemException(ErrorCode.SOURCE_UNREACHABLE, shown, SourceAddress.NO_ANSWER);
        }
        if (e.contains("resolve") || e.contains("name or service not known") || e.contains("no address associated")) {
            return new HeyGemException(ErrorCode.SOURCE_UNREACHABLE, shown, new Text("the host name is not known",
                    "无法解析主机名"));
        }
        if (e.contains("timed out") || e.contains("timeout") || e.contains("no route") || e.contains("unreachable")) {
            return new HeyGemException(ErrorCode.SOURCE_UNREACHABLE, shown, SourceAddress.NO_ANSWER);
        }
        if (e.contains("format not on whitelist")) {
            // Text, or a list of other addresses (ffconcat): not a container or playlist HeyGem reads.
            return new HeyGemException(ErrorCode.NOT_MEDIA, shown, new Text(
                    "the source is not an audio or video file, nor an HLS or DASH playlist",
                    "来源既不是音视频文件，也不是 HLS 或 DASH 播放列表"));
        }
        if (e.contains("not on whitelist") || e.contains("protocol not found")) {
            return new HeyGemException(ErrorCode.SOURCE_UNSUPPORTED, shown, new Text(
                    "it leads to something other than http(s) or rtmp(s)", "它指向 http(s) 或 rtmp(s) 以外的协议"));
        }
        if (e.contains("http error") || e.contains("server returned")) {
            return new HeyGemException(ErrorCode.SOURCE_UNREACHABLE, shown, firstLine(ffmpeg));
        }
        return new HeyGemException(ErrorCode.NOT_MEDIA, shown, ffmpeg.isBlank() ? "FFmpeg exit " + exit
                : new Text("the source sent no audio or video that can be read: " + firstLine(ffmpeg),
                        "来源发送的内容中没有可读取的音频或视频"));
    }

    /** FFmpeg's "[name @ 0x…]" context prefix. */
    private static final Pattern POINTER = Pattern.compile("\\[[^\\]]*@ 0x[0-9a-f]+\\]");
    /** An HTTP status as FFmpeg reports it: "HTTP error 404 Not Found", "Server returned 401 Unauthorized". */
    private static final Pattern HTTP_STATUS = Pattern.compile("(?:http error|server returned) (\\d{3})\\b");

    /** What the progress reader thread sees, read by the waiting one. */
    private static final class Counters {
        volatile double seconds;
        volatile long bytes;
        volatile long lastChange = System.nanoTime();
    }

    private static String firstLine(String s) {
        // FFmpeg's own prefix ("[in#0 @ 0x55…] ") says nothing to a user.
        String line = s.strip().lines().findFirst().orElse("").replaceAll("\\[[^\\]]*@ ?0x[0-9a-f]+\\]\\s*", "");
        return line.length() > 160 ? line.substring(0, 160) + "…" : line;
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }

    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r, "stream-pull");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static Thread drain(InputStream in, StringBuilder into) {
        return daemon(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (into) {
                        if (into.length() < 8192) {
                            into.append(line).append('\n');
                        }
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
    }
}
