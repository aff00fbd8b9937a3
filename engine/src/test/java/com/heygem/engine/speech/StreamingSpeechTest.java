package com.heygem.engine.speech;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.engine.media.AudioClip;
import com.heygem.engine.media.AudioReader;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.render.Speech;
import com.heygem.engine.testing.SharedMedia;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Speech is analysed as it is read: the features of a recording read a few samples at a time are
 * those of it read whole, and two hours are analysed in a 100 MB heap (whole, they would take
 * 460 MB of samples alone).
 */
class StreamingSpeechTest {
    @TempDir
    Path dir;

    @Test
    void readingAFewSamplesAtATimeChangesNoFeature() {
        AudioClip clip = AudioReader.readForAnalysis(SharedMedia.audio("en_short_5s.mp3"), MediaLimits.DEFAULT);
        SpeechFeatures whole = SpeechAnalyzer.analyze(clip);
        int[] at = {0};
        SpeechFeatures trickled = SpeechAnalyzer.analyze((into, offset, max) -> {
            int n = Math.min(Math.min(max, 7), clip.frames() - at[0]);
            System.arraycopy(clip.samples(), at[0], into, offset, n);
            at[0] += n;
            return n;
        }, clip.sampleRate(), 1000); // announced far too short: the arrays grow
        assertThat(trickled.frames()).isEqualTo(whole.frames()).isEqualTo((clip.frames() + 159) / 160);
        int n = whole.frames();
        assertThat(Arrays.copyOf(trickled.mfcc, n * SpeechFeatures.MFCC)).isEqualTo(Arrays.copyOf(whole.mfcc,
                n * SpeechFeatures.MFCC));
        assertThat(Arrays.copyOf(trickled.level, n)).isEqualTo(Arrays.copyOf(whole.level, n));
        assertThat(Arrays.copyOf(trickled.f2, n)).isEqualTo(Arrays.copyOf(whole.f2, n));
        assertThat(Arrays.copyOf(trickled.speech, n)).isEqualTo(Arrays.copyOf(whole.speech, n));
        assertThat(Arrays.copyOf(trickled.closure, n)).isEqualTo(Arrays.copyOf(whole.closure, n));
        assertThat(trickled.speechFraction()).isEqualTo(whole.speechFraction()).isBetween(0.3, 1.0);
    }

    @Test
    void twoHoursAreAnalysedInA100MbHeap() throws Exception {
        Path wav = bursts(dir.resolve("two-hours.wav"), 7200);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx100m", "-cp", System.getProperty("java.class.path"),
                Child.class.getName(), wav.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        System.out.println("2-hour speech analysis under -Xmx100m: " + log.trim());
        String[] f = log.trim().split("\\s+");
        assertThat(Double.parseDouble(f[f.length - 3])).as("seconds").isBetween(7199.9, 7200.1);
        assertThat(Double.parseDouble(f[f.length - 2])).as("speech: 1 s in every 5").isBetween(0.17, 0.23);
        assertThat(Long.parseLong(f[f.length - 1])).as("peak heap MiB").isLessThanOrEqualTo(100);
    }

    /** {@code seconds} of 8 kHz mono sound: a 1 s vowel-like buzz every 5 s, silence between. */
    private static Path bursts(Path file, int seconds) throws IOException {
        int rate = 8000;
        long samples = (long) seconds * rate;
        ByteBuffer head = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        head.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) (36 + samples * 2))
                .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(rate).putInt(rate * 2).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) (samples * 2));
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(head.array());
            byte[] second = new byte[rate * 2];
            byte[] quiet = new byte[rate * 2];
            for (int i = 0; i < rate; i++) {
                double t = i / (double) rate;
                double v = 0;
                for (int h = 1; h <= 12; h++) { // 150 Hz voice, formant-ish weights
                    v += Math.sin(2 * Math.PI * 150 * h * t) / h * (h == 5 || h == 10 ? 3 : 1);
                }
                short s = (short) (v * 3000);
                second[2 * i] = (byte) s;
                second[2 * i + 1] = (byte) (s >> 8);
            }
            for (int k = 0; k < seconds; k++) {
                out.write(k % 5 == 0 ? second : quiet);
            }
        }
        return file;
    }

    /** Runs in the capped JVM: prints seconds, speech fraction and peak heap in MiB. */
    public static final class Child {
        public static void main(String[] args) {
            Speech s = Speech.load(Path.of(args[0]), MediaLimits.DEFAULT);
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            System.out.printf(java.util.Locale.ROOT, "%.2f %.3f %d%n", s.seconds(), s.features().speechFraction(),
                    peak >> 20);
        }
    }
}
