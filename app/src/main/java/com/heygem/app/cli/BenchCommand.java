package com.heygem.app.cli;

import com.heygem.engine.media.LoopMode;
import com.heygem.engine.render.LipSyncRenderer;
import com.heygem.engine.render.Speech;
import com.heygem.engine.template.TemplateAnalyzer;
import com.heygem.engine.template.TemplateProfile;
import com.heygem.engine.media.EncoderSettings;
import com.heygem.engine.media.Ffmpeg;
import com.heygem.engine.media.MediaInfo;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.media.MediaProbe;
import com.heygem.engine.media.Transcoder;
import com.heygem.engine.media.VideoStreamInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code heygem bench ...}: speed measured against the plain ffmpeg CLI in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure HeyGem's speed as a ratio to the bundled ffmpeg CLI on the same input.",
        subcommands = {BenchCommand.Transcode.class, BenchCommand.Render.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "transcode", mixinStandardHelpOptions = true,
            description = {"Decode and re-encode a video through HeyGem's pipeline and through the bundled ffmpeg CLI,",
                "alternating, and print both frame rates and 'ratio: X.XX' (HeyGem / ffmpeg, medians)."})
    static final class Transcode implements Callable<Integer> {
        @Option(names = "--video", required = true, description = "Input video.")
        Path video;

        @CommandLine.Mixin
        Options options;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            EncoderSettings settings = options.settings(spec);
            PrintWriter out = spec.commandLine().getOut();
            MediaInfo info = MediaProbe.probe(video, MediaLimits.DEFAULT);
            VideoStreamInfo v = info.video().orElseThrow(
                    () -> new com.heygem.engine.error.HeyGemException(com.heygem.engine.error.ErrorCode.NO_VIDEO_STREAM, video));
            out.printf(Locale.ROOT, "input: %s, %d x %d, %.3f fps, %.1f s, %s%n", video, v.width(), v.height(),
                    v.timelineFps(), info.durationSeconds(), info.hasAudio() ? "with audio" : "no audio");
            out.printf(Locale.ROOT, "settings: libx264 %s crf %d, AAC 48 kHz stereo, faststart%n", settings.preset(),
                    settings.crf());
            out.flush();
            Path dir = Files.createTempDirectory("heygem-bench");
            try {
                // A short warm-up so the JIT and native libraries are loaded before timing.
                try {
                    Transcoder.transcode(video, dir.resolve("warmup.mp4"), settings, MediaLimits.DEFAULT, null,
                            new TimeBudget(500));
                } catch (java.util.concurrent.CancellationException expected) {
                    // The warm-up is cut short on purpose.
                }
                compare(out, options.runs, video, dir, settings, "heygem", () -> {
                    Transcoder.Result result = Transcoder.transcode(video, dir.resolve("heygem.mp4"), settings,
                            MediaLimits.DEFAULT, null, null);
                    return new Measure(result.framesPerSecond(), "");
                });
                return ExitCodes.OK;
            } finally {
                deleteTree(dir);
            }
        }
    }

    /** Options every benchmark takes. */
    static final class Options {
        @Option(names = "--runs", defaultValue = "3", description = "Runs of each (median is reported). Default: ${DEFAULT-VALUE}.")
        int runs;

        @Option(names = "--preset", defaultValue = EncoderSettings.DEFAULT_PRESET, description = "x264 preset. Default: ${DEFAULT-VALUE}.")
        String preset;

        @Option(names = "--crf", defaultValue = "" + EncoderSettings.DEFAULT_CRF, description = "x264 CRF. Default: ${DEFAULT-VALUE}.")
        int crf;

        EncoderSettings settings(CommandLine.Model.CommandSpec spec) {
            if (runs < 1 || runs > 20) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--runs must be 1 to 20");
            }
            return EncoderSettings.DEFAULT.withPreset(preset).withCrf(crf);
        }
    }

    /** One timed run of HeyGem: frames per second and what else is worth printing. */
    record Measure(double fps, String detail) {
    }

    @FunctionalInterface
    interface Measured {
        Measure run() throws Exception;
    }

    /**
     * Alternates the ffmpeg CLI transcode of {@code input} and HeyGem's {@code ours}, {@code runs}
     * times each, printing each run, both medians and last the line {@code ratio: X.XX}.
     */
    static void compare(PrintWriter out, int runs, Path input, Path dir, EncoderSettings settings, String label,
            Measured ours) throws Exception {
        double[] heygem = new double[runs];
        double[] ffmpeg = new double[runs];
        for (int r = 0; r < runs; r++) {
            ffmpeg[r] = ffmpegFps(input, dir.resolve("ffmpeg.mp4"), settings);
            Measure m = ours.run();
            heygem[r] = m.fps();
            out.printf(Locale.ROOT, "run %d: heygem %.1f fps%s, ffmpeg %.1f fps%n", r + 1, heygem[r], m.detail(),
                    ffmpeg[r]);
            out.flush();
        }
        double a = median(heygem);
        double b = median(ffmpeg);
        out.printf(Locale.ROOT, "%s: %.1f fps (median of %d)%n", label, a, runs);
        out.printf(Locale.ROOT, "ffmpeg transcode: %.1f fps (median of %d)%n", b, runs);
        out.printf(Locale.ROOT, "ratio: %.2f%n", a / b);
        out.flush();
    }

    static double ffmpegFps(Path input, Path output, EncoderSettings s) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin",
                "-loglevel", "error", "-y", "-i", input.toString(),
                "-c:v", "libx264", "-preset", s.preset(), "-crf", Integer.toString(s.crf()), "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", Integer.toString(s.audioBitrate()), "-ar", "48000", "-ac", "2",
                "-movflags", "+faststart", output.toString()));
        long start = System.nanoTime();
        Process p = Ffmpeg.process(Ffmpeg.executable(), args).redirectErrorStream(true).start();
        byte[] log = p.getInputStream().readAllBytes();
        if (!p.waitFor(1, TimeUnit.HOURS) || p.exitValue() != 0) {
            throw new IOException("ffmpeg failed: " + new String(log, java.nio.charset.StandardCharsets.UTF_8));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        MediaInfo result = MediaProbe.probe(output, MediaLimits.DEFAULT);
        return result.video().orElseThrow().frameCount() / seconds;
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    @Command(name = "render", mixinStandardHelpOptions = true,
            description = {"Render a template (profile cached) speaking an audio and transcode the same template with the",
                "bundled ffmpeg CLI, alternating; print both frame rates and 'ratio: X.XX' (HeyGem / ffmpeg, medians)."})
    static final class Render implements Callable<Integer> {
        @Option(names = "--video", required = true, description = "Template video.")
        Path video;

        @Option(names = "--audio", description = "Speech to render; default: the template's own sound.")
        Path audio;

        @CommandLine.Mixin
        Options options;

        @CommandLine.Mixin
        TemplateOptions templateOptions;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            EncoderSettings settings = options.settings(spec);
            PrintWriter out = spec.commandLine().getOut();
            TemplateAnalyzer analyzer = templateOptions.analyzer(true);
            TemplateAnalyzer.Result analysed = analyzer.analyze(video, f -> { }, () -> false);
            TemplateProfile.Summary s = analysed.profile().summary();
            Speech speech = Speech.load(audio == null ? video : audio, MediaLimits.DEFAULT);
            out.printf(Locale.ROOT, "template: %s, %d x %d, %.3f fps, %d frames; profile %s, mouth crops %s%n", video,
                    s.width(), s.height(), s.fps(), s.frames(),
                    analysed.fromCache() ? "cached" : "computed now (cached for the runs)",
                    analyzer.mouthCrops(analysed.profile()).map(c -> {
                        c.close();
                        return "cached";
                    }).orElse("cut by each render"));
            out.printf(Locale.ROOT, "audio: %s, %.1f s; settings: libx264 %s crf %d%n", speech.path(), speech.seconds(),
                    settings.preset(), settings.crf());
            out.flush();
            Path dir = Files.createTempDirectory("heygem-bench");
            try {
                LipSyncRenderer renderer = new LipSyncRenderer(new LipSyncRenderer.Settings(settings,
                        MediaLimits.DEFAULT, dir, LipSyncRenderer.Settings.DEFAULT_LEAD_SECONDS, LoopMode.PING_PONG));
                compare(out, options.runs, video, dir, settings, "heygem render", () -> {
                    long start = System.nanoTime();
                    LipSyncRenderer.Result result = renderer.render(analysed.profile(), video, speech,
                            dir.resolve("heygem.mp4"), analyzer.mouthCrops(analysed.profile()).orElse(null),
                            (stage, f) -> { }, null);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    return new Measure(result.frames() / seconds, String.format(Locale.ROOT,
                            " (prepare %.2f s, render %.2f s)", result.prepareSeconds(), result.renderSeconds()));
                });
                return ExitCodes.OK;
            } finally {
                deleteTree(dir);
            }
        }
    }

    /** Turns true after a time budget (cuts the warm-up short). */
    private static final class TimeBudget implements java.util.function.BooleanSupplier {
        private final long start = System.nanoTime();
        private final long limitNanos;

        TimeBudget(long millis) {
            this.limitNanos = TimeUnit.MILLISECONDS.toNanos(millis);
        }

        @Override
        public boolean getAsBoolean() {
            return System.nanoTime() - start > limitNanos;
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
