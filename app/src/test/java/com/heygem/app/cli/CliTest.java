package com.heygem.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.heygem.app.testing.MediaSources;
import com.heygem.engine.testing.SharedMedia;
import com.heygem.engine.testing.TestMedia;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {
    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = HeyGem.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void probePrintsEveryField() {
        Path vfr = SharedMedia.template("man_suit_vfr.mp4");
        Run r = run("probe", vfr.toString(), SharedMedia.audio("ja_speech_9s.wav").toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains("container:  mov,mp4")
                .contains("duration:   6.1")
                .contains("video:      h264 yuv420p, 700 x 700")
                .contains("rotation:   0°")
                .contains("nominal 30.000, average 22.1")
                .contains("variable")
                .contains("audio:      aac, 44100 Hz, 2 channels")
                .contains("audio:      pcm_s24le, 48000 Hz, 2 channels");
    }

    @Test
    void probeJsonIsMachineReadable() throws IOException {
        List<Path> files = SharedMedia.templates();
        String[] args = new String[files.size() + 2];
        args[0] = "probe";
        args[1] = "--json";
        for (int i = 0; i < files.size(); i++) {
            args[i + 2] = files.get(i).toString();
        }
        Run r = run(args);
        assertThat(r.exit()).isZero();
        JsonNode array = new ObjectMapper().readTree(r.out());
        assertThat(array.size()).isEqualTo(files.size());
        for (JsonNode node : array) {
            assertThat(node.get("video").get("width").asInt()).isPositive();
            assertThat(node.get("video").get("timelineFps").asDouble()).isPositive();
            assertThat(node.get("durationSeconds").asDouble()).isPositive();
        }
    }

    @Test
    void badFileExitsWithItsCodeAndHint() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.mp4"), "not a video\n".repeat(50));
        Run r = run("probe", text.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(r.out()).contains("error [NOT_MEDIA]").contains("notes.mp4");

        Run json = run("probe", "--json", text.toString());
        assertThat(json.out()).contains("\"code\" : \"NOT_MEDIA\"").contains("messageZh");
    }

    @Test
    void benchTranscodeEndsWithTheRatio() {
        Path clip = TestMedia.clip(dir.resolve("clip.mp4"), 640, 360, 25, 2);
        Run r = run("bench", "transcode", "--video", clip.toString(), "--runs", "1", "--preset", "ultrafast");
        assertThat(r.exit()).as(r.err()).isZero();
        String[] lines = r.out().trim().split("\n");
        assertThat(lines[lines.length - 1]).matches("ratio: \\d+\\.\\d\\d");
        double ratio = Double.parseDouble(lines[lines.length - 1].substring("ratio: ".length()));
        assertThat(ratio).isBetween(0.2, 5.0);
    }

    @Test
    void serveRefusesToStartWithoutTheModel() {
        Run r = run("serve", "--port", "0", "--model-path", dir.resolve("missing.dat").toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(r.err()).contains("MODEL_MISSING").contains("libdlib-data").contains("face.modelPath");
    }

    @Test
    void serveSaysWhenItsPortIsTaken() throws IOException {
        // Another web server on the port (a plain socket is not enough: Jetty binds with SO_REUSEADDR).
        io.javalin.Javalin other = io.javalin.Javalin.create(c -> c.showJavalinBanner = false).start("127.0.0.1", 0);
        try {
            Run r = run("serve", "--bind", "127.0.0.1", "--port", Integer.toString(other.port()), "--data-dir",
                    dir.resolve("a").toString(), "--workers", "0");
            assertThat(r.exit()).isEqualTo(ExitCodes.USER_ERROR);
            assertThat(r.err()).contains("server.port").contains("already in use").contains("--port");
        } finally {
            other.stop();
        }
    }

    @Test
    void aWorkerNeedsTheSharedDatabase() {
        Run r = run("worker", "--data-dir", dir.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(r.err()).contains("INVALID_ARGUMENT").contains("db.url").contains("PostgreSQL");
        Run zero = run("worker", "--data-dir", dir.toString(), "--db-url", "jdbc:postgresql://127.0.0.1:1/x", "--workers", "0");
        assertThat(zero.exit()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(zero.err()).contains("workers.count");
    }

    @Test
    void serveRefusesABadConfigurationNamingTheSettingAndTheFile() throws IOException {
        Path file = dir.resolve("heygem.properties");
        Files.writeString(file, "workers.count = many\n");
        Run r = run("serve", "--config", file.toString(), "--port", "0");
        assertThat(r.exit()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(r.err()).contains("INVALID_ARGUMENT").contains("workers.count").contains(file.toString())
                .contains("many");
        Run missing = run("serve", "--config", dir.resolve("nowhere.properties").toString());
        assertThat(missing.exit()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(missing.err()).contains("FILE_NOT_FOUND").contains("nowhere.properties");
    }

    @Test
    void analyzePrintsFaceCoverageWarningsAndAPreview() throws IOException {
        String model = SharedMedia.landmarkModel().toString();
        Path template = SharedMedia.template("woman_smile_mpeg4.mp4");
        Path sheet = dir.resolve("sheet.png");
        Path data = dir.resolve("data");
        Run r = run("analyze", template.toString(), "--preview", sheet.toString(), "--data-dir", data.toString(),
                "--model-path", model);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("face: 100\\.0% of frames").contains("speech: yes").contains("warning");
        assertThat(Files.size(sheet)).isGreaterThan(10_000);

        Run again = run("analyze", template.toString(), "--json", "--data-dir", data.toString(), "--model-path", model);
        assertThat(again.exit()).as(again.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(again.out());
        assertThat(json.get(0).get("fromCache").asBoolean()).isTrue();
        assertThat(json.get(0).get("faceFraction").asDouble()).isGreaterThanOrEqualTo(0.99);
        assertThat(json.get(0).get("frames").asInt()).isEqualTo(200);
    }

    @Test
    void analyzeReportsEachFailureAndGoesOn() {
        Path noVideo = SharedMedia.audio("en_short_5s.mp3");
        Path good = SharedMedia.template("woman_may_512.mp4");
        Run r = run("analyze", noVideo.toString(), good.toString(), "--no-cache",
                "--model-path", SharedMedia.landmarkModel().toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(r.err()).contains("NO_VIDEO_STREAM");
        assertThat(r.out()).contains("woman_may_512.mp4").containsPattern("face: \\d+\\.\\d% of frames");
    }

    @Test
    void analyzeWithoutTheModelNamesPackageAndSetting() {
        Run r = run("analyze", SharedMedia.template("woman_may_512.mp4").toString(),
                "--model-path", dir.resolve("missing.dat").toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(r.err()).contains("MODEL_MISSING").contains("libdlib-data").contains("face.modelPath");
    }

    @Test
    void renderWritesOneVideoPerTemplateWithAPreviewAndReportsBadOnes() throws IOException {
        String model = SharedMedia.landmarkModel().toString();
        Path out = dir.resolve("results");
        Path notAVideo = SharedMedia.audio("zh_poem_5s.wav");
        Run r = run("render", "--audio", SharedMedia.audio("en_short_5s.mp3").toString(),
                "--video", SharedMedia.template("obama_256_silent.mp4").toString(), notAVideo.toString(),
                "--out", out.toString(), "--preview", "--preset", "ultrafast",
                "--data-dir", dir.resolve("data").toString(), "--model-path", model);
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(r.err()).contains("zh_poem_5s.wav").contains("NO_VIDEO_STREAM");
        assertThat(r.out()).contains("obama_256_silent.mp4 ->").contains("mouth model: natural")
                .containsPattern("sync judge: [^\\n]*confidence [-0-9.]+[^\\n]*, on the mouths placed");
        assertThat(Files.size(out.resolve("obama_256_silent.mp4"))).isGreaterThan(10_000);
        assertThat(Files.size(out.resolve("obama_256_silent.preview.png"))).isGreaterThan(10_000);

        Run evaluate = run("evaluate", out.resolve("obama_256_silent.mp4").toString(), "--template",
                SharedMedia.template("obama_256_silent.mp4").toString(), "--data-dir", dir.resolve("data").toString(),
                "--model-path", model);
        assertThat(evaluate.exit()).as(evaluate.err()).isZero();
        assertThat(evaluate.out()).contains("audio-visual offset").contains("PSNR");
    }

    @Test
    void renderTakesAddressesAndABadOneFailsAlone() throws IOException {
        Path served = Files.createDirectories(dir.resolve("served"));
        Files.copy(SharedMedia.audio("en_short_5s.mp3"), served.resolve("speech.mp3"));
        Files.copy(SharedMedia.template("obama_256_silent.mp4"), served.resolve("presenter.mp4"));
        Path out = dir.resolve("by-address");
        try (MediaSources sources = new MediaSources(served)) {
            Run r = run("render", "--audio", sources.url("speech.mp3"), "--video", sources.url("presenter.mp4"),
                    sources.url("absent.mp4"), "--out", out.toString(), "--preset", "ultrafast",
                    "--data-dir", dir.resolve("data").toString(), "--model-path", SharedMedia.landmarkModel().toString());
            assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.USER_ERROR);
            assertThat(r.err()).contains("pulled").contains("absent.mp4").contains("SOURCE_NOT_FOUND");
            assertThat(Files.size(out.resolve("presenter.mp4"))).isGreaterThan(10_000);
        }
    }

    @Test
    void liveMakesAnHlsStreamAndARecordingAndRefusesATooShortDelay() throws IOException {
        Path hls = dir.resolve("live");
        Path record = dir.resolve("live.mp4");
        String model = SharedMedia.landmarkModel().toString();
        Run tooShort = run("live", "--audio", SharedMedia.audio("en_short_5s.mp3").toString(), "--video",
                SharedMedia.template("obama_256_silent.mp4").toString(), "--out", hls.toString(), "--latency", "0.2",
                "--data-dir", dir.resolve("data").toString(), "--model-path", model);
        assertThat(tooShort.exit()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(tooShort.err()).contains("--latency").contains("0.2");

        Run r = run("live", "--audio", SharedMedia.audio("en_short_5s.mp3").toString(), "--video",
                SharedMedia.template("obama_256_silent.mp4").toString(), "--out", hls.toString(), "--record",
                record.toString(), "--seconds", "3", "--data-dir", dir.resolve("data").toString(), "--model-path", model);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("out to " + hls).containsPattern("live: 9\\d frames \\(3\\.\\d s at 30\\.00 fps\\)");
        assertThat(Files.readString(hls.resolve("live.m3u8"))).contains("#EXT-X-ENDLIST");
        assertThat(Files.size(record)).isGreaterThan(10_000);

        // Published to RTMP: FFmpeg listens as the server would and keeps what arrives.
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path got = dir.resolve("got.flv");
        Process listener = com.heygem.engine.media.Ffmpeg.process(com.heygem.engine.media.Ffmpeg.executable(), java.util.List.of(
                "-hide_banner", "-loglevel", "error", "-listen", "1", "-i", "rtmp://127.0.0.1:" + port + "/live/out", "-c", "copy",
                "-y", got.toString())).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            com.heygem.app.testing.MediaSources.awaitListening(port, listener);
            Run rtmp = run("live", "--audio", SharedMedia.audio("en_short_5s.mp3").toString(), "--video",
                    SharedMedia.template("obama_256_silent.mp4").toString(), "--out", "rtmp://127.0.0.1:" + port + "/live/out",
                    "--seconds", "3", "--data-dir", dir.resolve("data").toString(), "--model-path", model);
            assertThat(rtmp.exit()).as(rtmp.err()).isZero();
            assertThat(listener.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            listener.destroyForcibly();
        }
        com.heygem.engine.media.MediaInfo flv = com.heygem.engine.media.MediaProbe.probe(got,
                com.heygem.engine.media.MediaLimits.DEFAULT);
        assertThat(flv.durationSeconds()).isBetween(2.9, 3.5);
        assertThat(flv.audio()).isPresent();
    }

    @Test
    void renderWithAMissingAudioSaysSo() {
        Run r = run("render", "--audio", dir.resolve("nothing.wav").toString(),
                "--video", SharedMedia.template("woman_may_512.mp4").toString(), "--out", dir.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.USER_ERROR);
        assertThat(r.err()).contains("FILE_NOT_FOUND");
    }
}
