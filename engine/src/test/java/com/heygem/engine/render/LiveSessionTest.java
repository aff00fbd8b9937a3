package com.heygem.engine.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.engine.media.EncoderSettings;
import com.heygem.engine.media.LiveWriter;
import com.heygem.engine.media.MediaInfo;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.media.MediaProbe;
import com.heygem.engine.source.LiveSound;
import com.heygem.engine.template.TemplateAnalyzer;
import com.heygem.engine.template.TemplateProfile;
import com.heygem.engine.testing.SharedMedia;
import com.heygem.engine.testing.TestMedia;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live renders against the clock: a speech played at its own pace comes out as HLS and an MP4
 * recording at the template's frame rate, a fixed delay after the sound; a source that stalls
 * mid-way is bridged with silence and the output goes on without a gap.
 */
class LiveSessionTest {
    @TempDir
    Path temp;

    private LiveRenderer renderer(Path template) {
        TemplateAnalyzer analyzer = new TemplateAnalyzer(new TemplateAnalyzer.Settings(SharedMedia.landmarkModel(),
                temp.resolve("data"), MediaLimits.DEFAULT, TemplateAnalyzer.Settings.DEFAULT_MIN_FACE_SIDE));
        TemplateProfile profile = analyzer.analyze(template, f -> { }, () -> false).profile();
        LipSyncRenderer.Settings settings = LipSyncRenderer.Settings.defaults(temp.resolve("tmp"));
        return new LiveRenderer(profile, template, new LipSyncRenderer(settings).templateSpeech(profile, template),
                settings);
    }

    @Test
    void aSpeechAsItIsSpokenComesOutOnTimeAsHlsAndARecording() throws Exception {
        Path template = SharedMedia.template("obama_256_silent.mp4");
        Path speech = SharedMedia.audio("en_jfk_11s.flac");
        Path hls = temp.resolve("hls");
        Path record = temp.resolve("rec.mp4");
        LiveSession.Stats stats;
        try (LiveRenderer r = renderer(template); LiveSound sound = new LiveSound(speech.toString(), true, 0);
                LiveWriter w = new LiveWriter(hls.toString(), record, r.width(), r.height(), r.fps(),
                        EncoderSettings.DEFAULT.withCrf(23))) {
            stats = new LiveSession(r, sound, w, 1.0).run(0, () -> false, 5, s -> { });
        }
        double seconds = MediaProbe.probe(speech, MediaLimits.DEFAULT).durationSeconds();
        MediaInfo made = MediaProbe.probe(record, MediaLimits.DEFAULT);
        double fps = made.video().orElseThrow().averageFps();
        System.out.printf("live: %d frames for %.2f s of speech, latency median %.2f s max %.2f s, late %d%n",
                stats.frames(), seconds, stats.latencyMedian(), stats.latencyMax(), stats.lateFrames());
        // Every frame of the speech's time, made once (the last block runs up to a block past its end).
        assertThat(stats.frames()).isBetween((long) (seconds * fps) - 1, (long) Math.ceil((seconds + LiveRenderer.BLOCK_SECONDS) * fps) + 1);
        assertThat(made.durationSeconds()).isCloseTo(stats.frames() / fps, org.assertj.core.data.Offset.offset(0.1));
        assertThat(made.audio()).isPresent();
        assertThat(stats.latencyMedian()).as("median latency, s").isBetween(0.9, 1.5);
        assertThat(stats.latencyMax()).as("largest latency, s").isLessThan(2.5);
        assertThat(stats.bridgedSeconds()).isZero();
        List<String> playlist = Files.readAllLines(hls.resolve(LiveWriter.PLAYLIST));
        assertThat(playlist).contains("#EXT-X-ENDLIST");
        long segments = playlist.stream().filter(l -> l.endsWith(".ts")).count();
        assertThat(segments).isBetween((long) seconds - 2, (long) seconds + 2);
    }

    @Test
    void aStalledSourceIsBridgedAndTheOutputGoesOn() throws Exception {
        Path template = SharedMedia.template("obama_256_silent.mp4");
        Path pcm = TestMedia.ffmpeg(temp.resolve("speech.raw"), "-i", SharedMedia.audio("en_short_5s.mp3").toString(),
                "-ac", "1", "-ar", "48000", "-f", "s16le");
        byte[] samples = Files.readAllBytes(pcm);
        int tenth = 48000 * 2 / 10;
        // A source that sends in real time, 100 ms at a time, goes quiet for 3 s after 2 s (the connection
        // stays open), then sends the rest.
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread sender = new Thread(() -> {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    long start = System.nanoTime();
                    int sent = 0;
                    for (int k = 0; sent < samples.length; k++) {
                        long at = start + k * 100_000_000L + (k >= 20 ? 3_000_000_000L : 0);
                        long wait = at - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000);
                        }
                        int n = Math.min(tenth, samples.length - sent);
                        out.write(samples, sent, n);
                        out.flush();
                        sent += n;
                    }
                } catch (IOException | InterruptedException e) {
                    // the test ended
                }
            });
            sender.setDaemon(true);
            sender.start();
            String source = "tcp://127.0.0.1:" + server.getLocalPort();
            Path record = temp.resolve("stalled.mp4");
            LiveSession.Stats stats;
            double timeline;
            try (LiveRenderer r = renderer(template);
                    LiveSound sound = new LiveSound(source, false, 0, List.of("-f", "s16le", "-ar", "48000", "-ac", "1"));
                    LiveWriter w = new LiveWriter(temp.resolve("hls2").toString(), record, r.width(), r.height(), r.fps(),
                            EncoderSettings.DEFAULT.withCrf(23))) {
                stats = new LiveSession(r, sound, w, 1.0).run(0, () -> false, 5, s -> { });
                timeline = sound.available() / (double) LiveSound.RATE;
            }
            System.out.printf("stalled: %d frames, time line %.2f s, bridged %.2f s, dropped %.2f s, latency max %.2f s%n",
                    stats.frames(), timeline, stats.bridgedSeconds(), stats.droppedSeconds(), stats.latencyMax());
            // The 3 s stall less the time the sound was ahead of its frames (the delay and the start-up).
            assertThat(stats.bridgedSeconds()).as("silence put in for the stall").isBetween(1.2, 3.2);
            // The source went on at its own pace after the stall: none of its sound is lost.
            assertThat(stats.droppedSeconds()).isLessThan(0.3);
            assertThat(stats.latencyMax()).isLessThan(1.6);
            MediaInfo made = MediaProbe.probe(record, MediaLimits.DEFAULT);
            // The output ran through the stall: every word and the bridge, one after the other.
            double sound = samples.length / 96000.0;
            assertThat(timeline - stats.bridgedSeconds()).as("sound received, s").isGreaterThan(sound - 0.05);
            assertThat(made.durationSeconds()).isBetween(timeline - LiveRenderer.BLOCK_SECONDS - 0.05,
                    timeline + LiveRenderer.BLOCK_SECONDS + 0.05);
            assertThat(made.video().orElseThrow().frameCount()).isEqualTo(stats.frames());
        }
    }
}
