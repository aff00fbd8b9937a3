package com.heygem.engine.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.render.Speech;
import com.heygem.engine.speech.SpeechFeatures;
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
 * and prints its leave-one-speaker-out figures (for {@code docs/quality.md}; the other figures there are
 * {@link SyncJudgeFigures}). Not part of
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
        // Two models from two disjoint halves of the speakers: the judge grades renders, the timing
        // prior times them; neither has seen a speaker of the other, so the renderer never grades itself.
        List<String> speakers = natural.stream().map(SyncJudge.Clip::speaker).distinct().sorted().toList();
        List<SyncJudge.Clip> priorClips = new ArrayList<>();
        List<SyncJudge.Clip> judgeClips = new ArrayList<>();
        for (SyncJudge.Clip c : natural) {
            (speakers.indexOf(c.speaker()) % 2 == 0 ? priorClips : judgeClips).add(c);
        }
        for (boolean judgeHalf : new boolean[] {true, false}) {
            List<SyncJudge.Clip> own = judgeHalf ? judgeClips : priorClips;
            List<SyncJudge.Clip> other = judgeHalf ? priorClips : judgeClips;
            SyncJudge m = SyncJudge.learn(own, bestLambda, 0, 0);
            List<SyncJudge.Reading> onOther = new ArrayList<>();
            for (SyncJudge.Clip c : other) {
                onOther.add(m.read(c.opening(), c.use(), c.speech(), c.fps()));
            }
            SyncJudge model = SyncJudge.learn(own, bestLambda, medianOffset(onOther), medianConfidence(onOther));
            String name = judgeHalf ? "sync-judge.txt" : "timing-prior.txt";
            System.out.printf(Locale.ROOT, "%s: %d clips of %d speakers; on the other half's %d clips: median offset %+d,"
                    + " within ±1 of it %d, median confidence %.2f, offsets %s%n", name, own.size(),
                    own.stream().map(SyncJudge.Clip::speaker).distinct().count(), other.size(), medianOffset(onOther),
                    within(onOther, medianOffset(onOther), 1), medianConfidence(onOther), offsets(onOther));
            Path file = Path.of("src", "main", "resources", "com", "heygem", "engine", "sync", name);
            Files.createDirectories(file.getParent());
            model.save(file);
            System.out.println("written " + file.toAbsolutePath() + " (" + Files.size(file) + " bytes)");
        }
    }

    /** Clips whose tracks read shifted (see learnFromTheTalkingClips' first pass and docs/quality.md). */
    static final java.util.Set<String> LEFT_OUT = java.util.Set.of("en_m_lrs2deepavsr_00024_7s.mp4",
            "en_m_vox2pcavs_00473_6s.mp4", "zh_f_joygen_example_15s.mp4", "en_man_edtalk_obama_uncrop_20s.mp4");

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
