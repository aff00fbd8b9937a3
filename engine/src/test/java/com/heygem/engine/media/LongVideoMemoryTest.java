package com.heygem.engine.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.engine.testing.TestMedia;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 5-minute 720p template streams through decode and encode in a JVM capped at 512 MB of
 * heap: nothing holds the whole video (its 7,500 frames would take 10 GB), and audio is
 * interleaved as it goes. (It was 10 minutes, 3.5 minutes of the suite's 20; 5 minutes is
 * twenty times the heap already.)
 */
class LongVideoMemoryTest {
    @TempDir
    Path dir;

    @Test
    void fiveMinutes720pTranscodeInA512MbHeap() throws IOException, InterruptedException {
        Path input = TestMedia.ffmpeg(dir.resolve("five-minutes.mp4"),
                "-f", "lavfi", "-i", "testsrc=size=1280x720:rate=25:duration=300",
                "-f", "lavfi", "-i", "sine=frequency=300:sample_rate=48000:duration=300",
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "stillimage", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest");
        Path output = dir.resolve("out.mp4");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), input.toString(), output.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(log).contains("frames=7500");
        System.out.println("5-minute 720p transcode under -Xmx512m: " + log.trim());

        VideoStreamInfo v = MediaProbe.probe(output, MediaLimits.DEFAULT).video().orElseThrow();
        assertThat(v.frameCount()).isBetween(7499L, 7501L);
    }

    /** Runs in the capped JVM. */
    public static final class Child {
        public static void main(String[] args) {
            Transcoder.Result r = Transcoder.transcode(Path.of(args[0]), Path.of(args[1]),
                    EncoderSettings.DEFAULT.withPreset("ultrafast"), MediaLimits.DEFAULT, null, null);
            long peak = 0;
            List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
            for (MemoryPoolMXBean pool : pools) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            System.out.printf("frames=%d fps=%.1f peakHeapMiB=%d%n", r.frames(), r.framesPerSecond(), peak >> 20);
        }
    }
}
