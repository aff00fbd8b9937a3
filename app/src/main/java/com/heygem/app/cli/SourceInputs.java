package com.heygem.app.cli;

import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.source.SourceAddress;
import com.heygem.engine.source.SourceInput;
import com.heygem.engine.source.StreamPull;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * A command's input named by a file path or by an address: an address (http(s), HLS, DASH,
 * rtmp(s)) is pulled into a temporary folder first, so the rest of the command reads a file.
 * The command line is the user's own machine: any host may be named here (the server checks
 * hosts, setting import.allowHosts).
 */
final class SourceInputs {
    private static final Duration STALL = Duration.ofSeconds(20);

    private SourceInputs() {
    }

    /** The file to read for {@code given}: itself, or where its address was pulled to. */
    static Path local(String given, Path tempDir, PrintWriter err) throws IOException, InterruptedException {
        if (!SourceAddress.looksLikeOne(given)) {
            return Path.of(given);
        }
        SourceAddress src = SourceAddress.parse(given);
        Path folder = Files.createTempDirectory(Files.createDirectories(tempDir), "pull-");
        folder.toFile().deleteOnExit();
        Path out = folder.resolve(src.fileName() + ".mkv");
        out.toFile().deleteOnExit();
        err.println("pulling " + src.shown() + " …");
        err.flush();
        // The command line is the machine owner's: the address is opened as typed, with no policy or proxy.
        StreamPull.Result r = StreamPull.pull(src, SourceInput.of(src, null, null), out, new StreamPull.Options(
                MediaLimits.DEFAULT_MAX_DURATION_SECONDS, MediaLimits.DEFAULT_MAX_FILE_BYTES, STALL), (s, b) -> { },
                () -> false);
        err.printf(Locale.ROOT, "pulled %.1f s (%d KiB) from %s%n", r.seconds(), r.bytes() >> 10, src.shown());
        err.flush();
        return out;
    }
}
