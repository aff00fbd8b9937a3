package com.heygem.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.engine.media.Ffmpeg;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Generates test media with the bundled ffmpeg: no media files in the repository. */
public final class TestMedia {
    private TestMedia() {
    }

    /** Runs {@code ffmpeg -y ARGS OUT} and returns {@code out}. */
    public static Path ffmpeg(Path out, String... args) {
        List<String> all = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-loglevel", "error", "-y"));
        all.addAll(List.of(args));
        all.add(out.toString());
        try {
            Process p = Ffmpeg.process(Ffmpeg.executable(), all).redirectErrorStream(true).start();
            byte[] log = p.getInputStream().readAllBytes();
            boolean done = p.waitFor(10, TimeUnit.MINUTES);
            assertThat(done).as("ffmpeg finished").isTrue();
            assertThat(p.exitValue()).as("ffmpeg %s: %s", all, new String(log, StandardCharsets.UTF_8)).isZero();
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Lavfi inputs: a moving test pattern and a 440 Hz tone, {@code seconds} long. */
    public static String[] testInputs(int width, int height, int fps, double seconds, int sampleRate) {
        return new String[] {
            "-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate=" + fps + ":duration=" + seconds,
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=" + sampleRate + ":duration=" + seconds,
        };
    }

    /** A short H.264/AAC MP4 clip. */
    public static Path clip(Path out, int width, int height, int fps, double seconds) {
        List<String> args = new ArrayList<>(List.of(testInputs(width, height, fps, seconds, 48000)));
        args.addAll(List.of("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
                "-shortest"));
        return ffmpeg(out, args.toArray(String[]::new));
    }
}
