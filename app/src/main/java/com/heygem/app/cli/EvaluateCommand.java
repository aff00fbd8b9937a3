package com.heygem.app.cli;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.quality.HeldOutEvaluation;
import com.heygem.engine.quality.JawStrip;
import com.heygem.engine.quality.OwnAudioCheck;
import com.heygem.engine.quality.OutputEvaluator;
import com.heygem.engine.render.LipSyncRenderer;
import com.heygem.engine.render.Speech;
import com.heygem.engine.sync.SyncJudge;
import com.heygem.engine.template.TemplateAnalyzer;
import com.heygem.engine.template.TemplateProfile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code heygem evaluate}: objective quality of a result, or of a template's audio-to-mouth model. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Measure a rendered video against its template: audio-visual offset and sync confidence,",
            "mouth opening in pauses vs speech, mouth sharpness, seam and flicker, PSNR outside the mask.",
            "With --held-out: hide 20%% of a talking template's frames, re-synthesise them from their own sound",
            "and compare the chosen mouths with the real ones. With --sync: how far any talking video's mouth",
            "runs from its sound, read by a judge learned from real speakers."})
final class EvaluateCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "OUTPUT", description = "A video made by 'heygem render'.")
    Path output;

    @Option(names = "--template", paramLabel = "TEMPLATE", description = "The template OUTPUT was rendered from.")
    Path template;

    @Option(names = "--strip", paramLabel = "PNG", description = {"Write 8 consecutive frames zoomed on the jaw, result above",
        "template, starting at the frame with the most ghost (or --strip-at)."})
    Path strip;

    @Option(names = "--strip-at", paramLabel = "FRAME", description = "First output frame of the --strip.")
    Integer stripAt;

    @Option(names = "--own-audio", arity = "1..*", paramLabel = "TEMPLATE", description = {
        "Talking templates to re-render from their own sound with that sound taken off (so nothing is learnt",
        "from it); the offset of the rendered mouth against the real one (positive: early)."})
    List<Path> ownAudio;

    @Option(names = "--held-out", arity = "1..*", paramLabel = "TEMPLATE", description = "Talking templates to test.")
    List<Path> heldOut;

    @Option(names = "--sync", arity = "1..*", paramLabel = "VIDEO", description = {
        "Any talking videos (no template needed): how far each mouth runs from its own sound, read by the sync",
        "judge learned from real speakers, with its confidence."})
    List<Path> sync;

    @CommandLine.Mixin
    TemplateOptions templateOptions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The judge's reading in words, beside what it reads on natural footage. */
    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (heldOut == null && ownAudio == null && sync == null && (output == null || template == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give OUTPUT with --template TEMPLATE,"
                    + " --sync VIDEO..., --held-out TEMPLATE... or --own-audio TEMPLATE...");
        }
        SyncJudge judge = SyncJudge.shipped();
        TemplateAnalyzer cached = templateOptions.analyzer(true);
        int failures = 0;
        if (output != null) {
            if (template == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "OUTPUT needs --template TEMPLATE");
            }
            OutputEvaluator.Report r = OutputEvaluator.evaluate(output, template, cached,
                    templateOptions.analyzer(false), MediaLimits.DEFAULT);
            out.println(output + " (template " + template.getFileName() + ")");
            out.printf(Locale.ROOT, "  audio-visual offset: %+.0f frames (positive: mouth early), sync confidence %.2f%n",
                    r.offsetFrames(), r.syncConfidence());
            out.println("  " + judge.says(r.judged()));
            out.printf(Locale.ROOT, "  mouth opening: %.1f in pauses of 300 ms+ (%d frames; template closed level %.1f), "
                    + "%.1f while speaking%n", r.silenceOpening(), r.silenceFrames(), r.closedLevel(), r.speechOpening());
            out.printf(Locale.ROOT, "  mouth sharpness: %.2f of the template's%n", r.sharpnessRatio());
            out.printf(Locale.ROOT, "  seam: gradient %.2f of the template's at the same place; flicker %.2f of the template's%n",
                    r.seamRatio(), r.flickerRatio());
            out.printf(Locale.ROOT, "  outside the mask: PSNR %.1f dB over %d frames; face found in %.1f%% of frames%n",
                    r.psnrOutside(), r.framesCompared(), 100 * r.faceFraction());
            out.printf(Locale.ROOT, "  ghost beside the jaw: median %.2f%%, 95th percentile %.2f%%, worst %.2f%% (frame %d)%n",
                    100 * r.ghostMedian(), 100 * r.ghost95(), 100 * r.ghostWorst(), r.worstGhostFrame());
            out.printf(Locale.ROOT, "  jaw outline jump %.2f of the template's, mouth speed %.2f of the template's "
                    + "(95th percentiles)%n", r.outlineJumpRatio(), r.mouthSpeedRatio());
            out.printf(Locale.ROOT, "  mouth centre: at most %.3f inter-ocular distances from the background frame's own "
                    + "(frame %d)%n", r.mouthDrift(), r.mouthDriftFrame());
            if (strip != null) {
                int at = stripAt != null ? stripAt : Math.max(0, r.worstGhostFrame() - JawStrip.FRAMES / 2);
                try {
                    JawStrip.write(output, template, cached.analyze(template, f -> { }, () -> false).profile(),
                            r.frames(), at, strip, MediaLimits.DEFAULT);
                } catch (java.io.IOException e) {
                    throw new HeyGemException(ErrorCode.WRITE_FAILED, strip, e.getMessage());
                }
                out.println("  strip: " + strip);
            }
        }
        if (sync != null) {
            TemplateAnalyzer analyzer = templateOptions.analyzer(false);
            for (Path v : sync) {
                try {
                    TemplateProfile profile = analyzer.analyze(v, f -> { }, () -> false).profile();
                    out.println(v);
                    out.println("  " + judge.says(judge.read(profile, Speech.load(v, MediaLimits.DEFAULT).features())));
                } catch (HeyGemException e) {
                    failures++;
                    FileErrors.print(spec.commandLine().getErr(), v, e);
                }
                out.flush();
            }
        }
        if (ownAudio != null) {
            LipSyncRenderer renderer = new LipSyncRenderer(LipSyncRenderer.Settings.defaults(templateOptions.tempDir()));
            for (Path t : ownAudio) {
                try {
                    OwnAudioCheck.Result e = OwnAudioCheck.run(t, cached, templateOptions.analyzer(false), renderer,
                            templateOptions.tempDir().resolve("own-audio"), MediaLimits.DEFAULT);
                    out.println(t + " (re-rendered from its own sound, taken off first)");
                    out.printf(Locale.ROOT, "  own-audio offset: %+d frames (positive: the rendered mouth is early), "
                            + "correlation with the real mouth %.2f over %d frames%n", e.offsetFrames(), e.correlation(),
                            e.frames());
                    out.println("  the footage: " + judge.says(e.realJudged()));
                    out.println("  the render:  " + judge.says(e.renderJudged()));
                    if (e.realJudged().confidence() >= SyncJudge.CANNOT_TELL) {
                        out.printf(Locale.ROOT, "  against natural timing (the footage's own offset taken out): %+d frames "
                                + "(positive: the rendered mouth is early)%n", e.offsetFromNatural(judge));
                    }
                } catch (HeyGemException e) {
                    failures++;
                    FileErrors.print(spec.commandLine().getErr(), t, e);
                }
                out.flush();
            }
        }
        if (heldOut != null) {
            LipSyncRenderer renderer = new LipSyncRenderer(LipSyncRenderer.Settings.defaults(templateOptions.tempDir()));
            for (Path t : heldOut) {
                try {
                    TemplateProfile profile = cached.analyze(t, f -> { }, () -> false).profile();
                    if (!profile.summary().hasSpeech()) {
                        throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, "template",
                                t.getFileName() + " has no speech to re-synthesise from");
                    }
                    HeldOutEvaluation e = HeldOutEvaluation.run(profile, t, renderer,
                            renderer.templateSpeech(profile, t), Speech.load(t, MediaLimits.DEFAULT));
                    out.println(t + " (held out: 20% of frames)");
                    out.printf(Locale.ROOT, "  mouth-opening correlation %.2f; mouth-landmark error %.3f of the inter-ocular "
                            + "distance; %d frames; model %s (usability %.2f, lag %+.0f ms)%n", e.openingCorrelation(),
                            e.landmarkError(), e.hiddenFrames(), e.method(), e.usability(), 1000 * e.lagSeconds());
                } catch (HeyGemException e) {
                    failures++;
                    FileErrors.print(spec.commandLine().getErr(), t, e);
                }
                out.flush();
            }
        }
        out.flush();
        return failures == 0 ? ExitCodes.OK : ExitCodes.USER_ERROR;
    }
}
