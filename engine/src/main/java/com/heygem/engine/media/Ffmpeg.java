package com.heygem.engine.media;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avformat.AVIOInterruptCB;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;

/** Process-wide FFmpeg set-up and the small helpers every media class needs. */
public final class Ffmpeg {
    private static volatile boolean initialised;

    /**
     * JavaCPP can only allocate a handful of native thunks per callback class, so every input
     * shares this one callback; each input passes its own deadline (a {@code System.nanoTime()}
     * value in native memory) as the opaque pointer.
     */
    private static final DeadlineCallback DEADLINE_CALLBACK;

    static {
        Loader.load(avformat.class);
        DEADLINE_CALLBACK = new DeadlineCallback();
    }

    private Ffmpeg() {
    }

    /** Silences FFmpeg's stderr chatter: HeyGem reports errors itself. {@code HEYGEM_FFMPEG_LOG=1} turns it back on. */
    public static void init() {
        if (!initialised) {
            synchronized (Ffmpeg.class) {
                if (!initialised) {
                    boolean verbose = System.getenv("HEYGEM_FFMPEG_LOG") != null;
                    av_log_set_level(verbose ? AV_LOG_WARNING : AV_LOG_QUIET);
                    initialised = true;
                }
            }
        }
    }

    /** FFmpeg's text for an error code, e.g. "Invalid data found when processing input". */
    public static String describe(int errorCode) {
        byte[] buf = new byte[256];
        av_strerror(errorCode, buf, buf.length);
        int len = 0;
        while (len < buf.length && buf[len] != 0) {
            len++;
        }
        return new String(buf, 0, len, StandardCharsets.UTF_8);
    }

    /** Path of the {@code ffmpeg} executable bundled in the JavaCV jar (extracted on first use). */
    public static Path executable() {
        return Path.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
    }

    /** Path of the bundled {@code ffprobe} executable. */
    public static Path probeExecutable() {
        return Path.of(Loader.load(org.bytedeco.ffmpeg.ffprobe.class));
    }

    /**
     * A process running a bundled executable ({@link #executable()} or {@link #probeExecutable()}).
     * Its libraries sit beside it, but RUNPATH does not reach their own dependencies (libva),
     * so the directory goes on {@code LD_LIBRARY_PATH}. Arguments are a list, never a shell string.
     */
    public static ProcessBuilder process(Path executable, List<String> args) {
        List<String> cmd = new ArrayList<>(args.size() + 1);
        cmd.add(executable.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        String dir = executable.getParent().toString();
        String existing = pb.environment().get("LD_LIBRARY_PATH");
        pb.environment().put("LD_LIBRARY_PATH", existing == null || existing.isEmpty() ? dir : dir + ":" + existing);
        return pb;
    }

    static AVIOInterruptCB.Callback_Pointer deadlineCallback() {
        return DEADLINE_CALLBACK;
    }

    private static final class DeadlineCallback extends AVIOInterruptCB.Callback_Pointer {
        @Override
        public int call(Pointer opaque) {
            if (opaque == null || opaque.isNull()) {
                return 0;
            }
            long deadline = new LongPointer(opaque).get(0);
            return deadline != 0 && System.nanoTime() - deadline > 0 ? 1 : 0;
        }
    }
}
