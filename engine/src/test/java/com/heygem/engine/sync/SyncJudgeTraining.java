package com.heygem.engine.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.render.Speech;
import com.heygem.engine.template.MouthDescriptor;
import com.heygem.engine.template.TemplateAnalyzer;
import com.heygem.engine.template.TemplateProfile;
import com.heygem.engine.testing.SharedMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Retrains the shipped {@link SyncJudge} from the real speakers in {@code shared/media/talking}
 * and prints its leave-one-speaker-out figures (for {@code docs/quality.md}). Not part of
 * {@code ./heygem test}; run it with
 * {@code mvn -pl engine test -Dtest=SyncJudgeTraining -Dheygem.train.judge=true}.
 */
@EnabledIfSystemProperty(named = "heygem.train.judge", matches = "true")
class SyncJudgeTraining {
    static final double[] LAMBDAS = {1, 3, 10, 30, 100};

    /** Every talking clip, its mouth and its sound (analyses are kept in target/judge-cache between runs). */
    static List<SyncJudge.Clip> clips() throws IOException {
        Path cache = Files.createDirectories(Path.of("target", "judge-cache"));
        TemplateAnalyzer analyzer = new TemplateAnalyzer(new TemplateAnalyzer.Settings(SharedMedia.landmarkModel(), cache,
                MediaLimits.DEFAULT, TemplateAnalyzer.Settings.DEFAULT_MIN_FACE_SIDE));
        List<SyncJudge.Clip> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(SharedMedia.dir().resolve("talking"))) {
            files = s.filter(f -> f.toString().endsWith(".mp4")).sorted().toList();
        }
        for (Path f : files) {
            TemplateProfile p = analyzer.analyze(f, x -> { }, () -> false).profile();
            int frames = p.frames();
            float[] opening = new float[frames];
            boolean[] use = new boolean[frames];
            for (int t = 0; t < frames; t++) {
                opening[t] = p.mouth()[t * MouthDescriptor.SIZE + MouthDescriptor.INNER_OPEN];
                use[t] = p.facePresent()[t] && !p.mouthCovered()[t];
            }
            out.add(new SyncJudge.Clip(f.getFileName().toString(), speaker(f.getFileName().toString()), opening, use,
                    Speech.load(f, MediaLimits.DEFAULT).features(), p.summary().fps()));
        }
        return out;
    }

    /** Who speaks: the name without its length; the PC-AVS numbers of one video share their first six digits. */
    static String speaker(String file) {
        String s = file.replaceAll("_[0-9]+s\\.mp4$", "");
        return s.replaceAll("(vox2pcavs_[0-9]{6})[0-9]{3}$", "$1");
    }

    @Test
    void learnFromTheTalkingClips() throws IOException {
        List<SyncJudge.Clip> all = clips();
        assertThat(all).hasSizeGreaterThan(20);
        // First pass: clips that read far from the others on every ridge have a shifted track (or too
        // little speech to tell); they are left out of the judge.
        List<SyncJudge.Reading> first = SyncJudge.leaveOneSpeakerOut(all, 10);
        int median = medianOffset(first);
        List<SyncJudge.Clip> natural = new ArrayList<>();
        System.out.println("first pass (lambda 10), median offset " + median + ":");
        for (int i = 0; i < all.size(); i++) {
            SyncJudge.Reading r = first.get(i);
            boolean off = Math.abs(r.offsetFrames() - median) > 3 || !(r.confidence() > 0.15);
            System.out.printf(Locale.ROOT, "  %-40s %+3d  %.3f%s%n", all.get(i).name(), r.offsetFrames(), r.confidence(),
                    off ? "  left out" : "");
            if (!off) {
                natural.add(all.get(i));
            }
        }
        double bestScore = -1;
        double bestLambda = 0;
        List<SyncJudge.Reading> best = null;
        for (double lambda : LAMBDAS) {
            List<SyncJudge.Reading> loso = SyncJudge.leaveOneSpeakerOut(natural, lambda);
            double score = medianConfidence(loso) - 0.05 * spread(loso);
            System.out.printf(Locale.ROOT, "lambda %5.1f: median offset %+d, within ±1 of it %d/%d, median confidence %.3f%n",
                    lambda, medianOffset(loso), within(loso, medianOffset(loso), 1), loso.size(), medianConfidence(loso));
            if (score > bestScore) {
                bestScore = score;
                bestLambda = lambda;
                best = loso;
            }
        }
        System.out.printf(Locale.ROOT, "%nleave-one-speaker-out, lambda %.1f:%n| clip | offset | confidence |%n|---|---|---|%n",
                bestLambda);
        for (int i = 0; i < natural.size(); i++) {
            System.out.printf(Locale.ROOT, "| %s | %+d | %.2f |%n", natural.get(i).name(), best.get(i).offsetFrames(),
                    best.get(i).confidence());
        }
        int naturalOffset = medianOffset(best);
        SyncJudge judge = SyncJudge.learn(natural, bestLambda, naturalOffset, medianConfidence(best));
        Path file = Path.of("src", "main", "resources", "com", "heygem", "engine", "sync", "sync-judge.txt");
        Files.createDirectories(file.getParent());
        judge.save(file);
        System.out.println("written " + file.toAbsolutePath() + " (" + Files.size(file) + " bytes)");
    }

    static int medianOffset(List<SyncJudge.Reading> r) {
        int[] v = r.stream().mapToInt(SyncJudge.Reading::offsetFrames).sorted().toArray();
        return v[v.length / 2];
    }

    static double medianConfidence(List<SyncJudge.Reading> r) {
        double[] v = r.stream().mapToDouble(SyncJudge.Reading::confidence).filter(d -> !Double.isNaN(d)).sorted().toArray();
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }

    /** Mean distance of the offsets from their median. */
    static double spread(List<SyncJudge.Reading> r) {
        int m = medianOffset(r);
        return r.stream().mapToInt(x -> Math.abs(x.offsetFrames() - m)).average().orElse(0);
    }

    static int within(List<SyncJudge.Reading> r, int centre, int tolerance) {
        return (int) r.stream().filter(x -> Math.abs(x.offsetFrames() - centre) <= tolerance).count();
    }

    static String offsets(List<SyncJudge.Reading> r) {
        return Arrays.toString(r.stream().mapToInt(SyncJudge.Reading::offsetFrames).toArray());
    }
}
