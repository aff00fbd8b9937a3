package com.heygem.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.template.ContactSheet;
import com.heygem.engine.template.MouthDescriptor;
import com.heygem.engine.template.TemplateAnalyzer;
import com.heygem.engine.template.TemplateProfile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code heygem analyze TEMPLATE...}: find the face in every frame and report what the lip sync will work with. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Analyse template videos: face and landmarks in every frame, mouth shapes, warnings. "
                + "Results are cached in the data directory by file content.")
final class AnalyzeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "TEMPLATE", description = "Template videos.")
    List<Path> templates;

    @Option(names = "--json", description = "Print one JSON array for machines.")
    boolean json;

    @Option(names = "--preview", paramLabel = "SHEET.png",
            description = "Also write a contact sheet: frames of each template with the landmarks drawn.")
    Path preview;

    @Option(names = "--no-cache", description = "Analyse again even when a cached profile exists (and do not store one).")
    boolean noCache;

    @CommandLine.Mixin
    TemplateOptions templateOptions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (preview != null) {
            Path parent = preview.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new HeyGemException(ErrorCode.WRITE_FAILED, preview, "folder does not exist");
            }
        }
        TemplateAnalyzer analyzer = templateOptions.analyzer(!noCache);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode array = mapper.createArrayNode();
        List<ContactSheet.Row> rows = new ArrayList<>();
        int failures = 0;
        for (Path template : templates) {
            try {
                TemplateAnalyzer.Result result = analyzer.analyze(template, f -> { }, () -> false);
                rows.add(new ContactSheet.Row(template, result.profile()));
                if (json) {
                    array.add(toJson(mapper, template, result));
                } else {
                    printText(out, template, result);
                }
            } catch (HeyGemException e) {
                failures++;
                if (json) {
                    FileErrors.addJson(array, template, e);
                } else {
                    FileErrors.print(err, template, e);
                }
            }
            out.flush();
            err.flush();
        }
        if (json) {
            try {
                out.println(mapper.writeValueAsString(array));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        if (preview != null && !rows.isEmpty()) {
            try {
                ContactSheet.write(rows, preview, MediaLimits.DEFAULT);
                if (!json) {
                    out.println("preview: " + preview);
                }
            } catch (IOException e) {
                throw new HeyGemException(ErrorCode.WRITE_FAILED, e, preview, e.getMessage());
            }
        }
        out.flush();
        return failures == 0 ? ExitCodes.OK : ExitCodes.USER_ERROR;
    }

    private static void printText(PrintWriter out, Path template, TemplateAnalyzer.Result r) {
        TemplateProfile.Summary s = r.profile().summary();
        out.println(template);
        out.printf(Locale.ROOT, "  video: %dx%d, %.2f fps, %d frames (%.1f s)%n", s.width(), s.height(), s.fps(),
                s.frames(), s.durationSeconds());
        out.printf(Locale.ROOT, "  speech: %s%n", !s.hasAudio() ? "no sound track"
                : s.hasSpeech() ? String.format(Locale.ROOT, "yes (voice in %.0f%% of the sound)", 100 * s.voicedFraction())
                : String.format(Locale.ROOT, "no (voice in %.0f%% of the sound)", 100 * s.voicedFraction()));
        out.printf(Locale.ROOT, "  face: %.1f%% of frames%n", 100 * s.faceFraction());
        out.printf(Locale.ROOT, "  face size: %.0f px; faces in view: %d%n", s.faceSidePixels(), s.maxFaces());
        float[] lo = s.mouthLow();
        float[] hi = s.mouthHigh();
        out.printf(Locale.ROOT, "  mouth (5th-95th percentile, face box = 200): opening %.1f-%.1f, width %.1f-%.1f, "
                + "rounding %.2f-%.2f, teeth %.2f-%.2f%n",
                lo[MouthDescriptor.INNER_OPEN], hi[MouthDescriptor.INNER_OPEN], lo[MouthDescriptor.WIDTH],
                hi[MouthDescriptor.WIDTH], lo[MouthDescriptor.ROUNDING], hi[MouthDescriptor.ROUNDING],
                lo[MouthDescriptor.TEETH], hi[MouthDescriptor.TEETH]);
        out.printf(Locale.ROOT, "  head turned far: %.1f%% of face frames%n", 100 * s.largeTurnFraction());
        out.printf(Locale.ROOT, "  cuts: %s%n", cutTimes(r.profile()));
        out.printf(Locale.ROOT, "  landmark jitter (rigid points): %.4f raw, %.4f smoothed%n", s.rigidJitterRaw(),
                s.rigidJitterSmoothed());
        if (r.fromCache()) {
            out.printf(Locale.ROOT, "  analysis: cached (%.3f s; first analysis took %.1f s)%n", r.seconds(),
                    s.analysisSeconds());
        } else {
            out.printf(Locale.ROOT, "  analysis: %.1f s (%.1fx real time)%n", r.seconds(), s.durationSeconds() / r.seconds());
        }
        if (s.warnings().isEmpty()) {
            out.println("  warnings: none");
        }
        for (TemplateProfile.Warning w : s.warnings()) {
            out.println("  warning [" + w.code() + "]: " + w.messageEn());
            out.println("           " + w.messageZh());
        }
    }

    /** "none", or the count and the times of the first few cuts. */
    static String cutTimes(TemplateProfile p) {
        int n = p.cuts();
        if (n == 0) {
            return "none";
        }
        StringBuilder b = new StringBuilder().append(n).append(" (at");
        int shown = 0;
        for (int f = 0; f < p.frames() && shown < 8; f++) {
            if (p.cutBefore()[f]) {
                b.append(shown++ == 0 ? " " : ", ").append(String.format(Locale.ROOT, "%.2f s", f / p.summary().fps()));
            }
        }
        return b.append(n > shown ? ", …)" : ")").toString();
    }

    private static ObjectNode toJson(ObjectMapper mapper, Path template, TemplateAnalyzer.Result r) {
        TemplateProfile.Summary s = r.profile().summary();
        ObjectNode n = mapper.createObjectNode();
        n.put("path", template.toString());
        n.put("contentHash", r.profile().contentHash());
        n.put("width", s.width());
        n.put("height", s.height());
        n.put("fps", s.fps());
        n.put("frames", s.frames());
        n.put("durationSeconds", s.durationSeconds());
        n.put("hasAudio", s.hasAudio());
        n.put("hasSpeech", s.hasSpeech());
        n.put("voicedFraction", s.voicedFraction());
        n.put("faceFraction", s.faceFraction());
        n.put("faceSidePixels", s.faceSidePixels());
        n.put("maxFaces", s.maxFaces());
        ObjectNode mouth = n.putObject("mouthRange");
        for (int m = 0; m < MouthDescriptor.SIZE; m++) {
            ArrayNode range = mouth.putArray(MouthDescriptor.NAMES[m]);
            range.add(s.mouthLow()[m]);
            range.add(s.mouthHigh()[m]);
        }
        n.put("largeTurnFraction", s.largeTurnFraction());
        n.put("cuts", r.profile().cuts());
        n.put("rigidJitterRaw", s.rigidJitterRaw());
        n.put("rigidJitterSmoothed", s.rigidJitterSmoothed());
        n.put("fromCache", r.fromCache());
        n.put("seconds", r.seconds());
        ArrayNode warnings = n.putArray("warnings");
        for (TemplateProfile.Warning w : s.warnings()) {
            ObjectNode wn = warnings.addObject();
            wn.put("code", w.code().name());
            wn.put("message", w.messageEn());
            wn.put("messageZh", w.messageZh());
        }
        return n;
    }
}
