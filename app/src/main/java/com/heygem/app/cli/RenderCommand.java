package com.heygem.app.cli;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.media.EncoderSettings;
import com.heygem.engine.media.LoopMode;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.render.LipSyncRenderer;
import com.heygem.engine.sync.SyncJudge;
import com.heygem.engine.render.RenderPreview;
import com.heygem.engine.render.Speech;
import com.heygem.engine.template.TemplateAnalyzer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code heygem render --audio A --video V... --out DIR}: one lip-synced MP4 per template. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Make every template video speak the audio: one MP4 per template, named after it, in the output folder.")
final class RenderCommand implements Callable<Integer> {
    @Option(names = "--audio", required = true, paramLabel = "AUDIO", description = "The speech (any language; wav, mp3, m4a,"
            + " flac …): a file, or an http(s), HLS (.m3u8), DASH (.mpd) or rtmp(s) address to pull it from.")
    String audioGiven;

    @Option(names = "--video", required = true, arity = "1..*", paramLabel = "TEMPLATE",
            description = "Template videos of the presenter (repeat the option or list several): files or addresses.")
    List<String> videosGiven;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the results (created if missing).")
    Path out;

    @Option(names = "--preview", description = "Also write NAME.preview.png per result: template and result frames side by side.")
    boolean preview;

    @Option(names = "--preset", defaultValue = EncoderSettings.DEFAULT_PRESET,
            description = "x264 preset, setting render.preset. Default: ${DEFAULT-VALUE}.")
    String preset;

    @Option(names = "--crf", defaultValue = "" + EncoderSettings.DEFAULT_CRF,
            description = "x264 quality (lower is better and larger), setting render.crf. Default: ${DEFAULT-VALUE}.")
    int crf;

    @Option(names = "--loop", defaultValue = "PING_PONG",
            description = "How a template shorter than the audio is extended: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    LoopMode loop;

    @CommandLine.Mixin
    TemplateOptions templateOptions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EncoderSettings encoder = EncoderSettings.DEFAULT.withPreset(preset).withCrf(crf);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new HeyGemException(ErrorCode.WRITE_FAILED, e, out, e.getMessage());
        }
        if (!Files.isWritable(out)) {
            throw new HeyGemException(ErrorCode.WRITE_FAILED, out, "the folder is not writable");
        }
        Path audio = SourceInputs.local(audioGiven, templateOptions.tempDir(), err);
        long start = System.nanoTime();
        Speech speech = Speech.load(audio, MediaLimits.DEFAULT);
        o.printf(Locale.ROOT, "audio: %s, %.2f s, speech in %.0f%% (analysed in %.2f s)%n", audio, speech.seconds(),
                100 * speech.features().speechFraction(), (System.nanoTime() - start) / 1e9);
        TemplateAnalyzer analyzer = templateOptions.analyzer(true);
        LipSyncRenderer renderer = new LipSyncRenderer(new LipSyncRenderer.Settings(encoder, MediaLimits.DEFAULT,
                templateOptions.tempDir(), LipSyncRenderer.Settings.DEFAULT_LEAD_SECONDS, loop));
        Set<String> names = new HashSet<>();
        int failures = 0;
        for (String given : videosGiven) {
            Path video;
            try {
                video = SourceInputs.local(given, templateOptions.tempDir(), err);
            } catch (HeyGemException e) {
                failures++; // an address that cannot be pulled fails alone, as a bad file does
                FileErrors.print(err, given, e);
                continue;
            }
            Path target = out.resolve(uniqueName(video, names));
            TerminalProgress bar = new TerminalProgress(err, video.getFileName().toString());
            try {
                long t0 = System.nanoTime();
                TemplateAnalyzer.Result analysed = analyzer.analyze(video, f -> bar.update("analyse", f), () -> false);
                LipSyncRenderer.Result r = renderer.render(analysed.profile(), video, speech, target,
                        analyzer.mouthCrops(analysed.profile()).orElse(null), bar::update, () -> false);
                bar.done();
                double seconds = (System.nanoTime() - t0) / 1e9;
                o.printf(Locale.ROOT, "%s -> %s%n", video, target);
                o.printf(Locale.ROOT, "  %d frames, %.2f s of video; %.1f s in all (%.1fx real time: analysis %s, "
                        + "prepare %.1f s, render %.1f s)%n", r.frames(), r.frames() / r.fps(), seconds,
                        (r.frames() / r.fps()) / seconds,
                        analysed.fromCache() ? "cached" : String.format(Locale.ROOT, "%.1f s", analysed.seconds()),
                        r.prepareSeconds(), r.renderSeconds());
                o.printf(Locale.ROOT, "  mouth model: %s, fit to the template's own speech %.2f; in its recording "
                        + "the mouth runs %+.0f ms late (the render keeps natural timing); %d mouth frames used, %d cuts%n",
                        r.calibration().method(), r.calibration().usability(), 1000 * r.calibration().lagSeconds(),
                        r.plan().distinct(), r.plan().jumps());
                o.println("  " + SyncJudge.shipped().says(r.sync()) + ", on the mouths placed");
                if (preview) {
                    Path png = out.resolve(stem(target.getFileName().toString()) + ".preview.png");
                    RenderPreview.write(video, analysed.profile(), target, r.plan(), speech, png, MediaLimits.DEFAULT);
                    o.println("  preview: " + png);
                }
            } catch (HeyGemException e) {
                bar.done();
                failures++;
                FileErrors.print(err, video, e);
            } catch (IOException e) {
                bar.done();
                failures++;
                err.println(video + ": could not write the preview: " + e.getMessage());
            }
            o.flush();
            err.flush();
        }
        return failures == 0 ? ExitCodes.OK : ExitCodes.USER_ERROR;
    }

    /** The template's name with .mp4; a second template of the same name gets -2, and so on. */
    static String uniqueName(Path video, Set<String> taken) {
        String stem = stem(video.getFileName().toString());
        String name = stem + ".mp4";
        for (int i = 2; !taken.add(name); i++) {
            name = stem + "-" + i + ".mp4";
        }
        return name;
    }

    static String stem(String file) {
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }
}
