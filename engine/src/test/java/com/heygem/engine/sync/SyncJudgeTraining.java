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

    /**
     * Every natural clip with its sound moved by −4…+4 frames (re-cut with FFmpeg), read by the
     * judge learned without its speaker: the reading moves by the shift (within ±1 frame).
     */
    @Test
    void findsKnownShifts() throws IOException {
        List<SyncJudge.Clip> all = clips();
        Path dir = Files.createDirectories(Path.of("target", "judge-shifts"));
        int tried = 0;
        int found = 0;
        int[] exact = new int[9];
        for (int i = 0; i < all.size(); i++) {
            SyncJudge.Clip c = all.get(i);
            if (LEFT_OUT.contains(c.name())) {
                continue;
            }
            List<SyncJudge.Clip> others = new ArrayList<>();
            for (SyncJudge.Clip o : all) {
                if (!o.speaker().equals(c.speaker()) && !LEFT_OUT.contains(o.name())) {
                    others.add(o);
                }
            }
            SyncJudge judge = SyncJudge.learn(others, 3, 0, 0);
            int base = judge.read(c.opening(), c.use(), c.speech(), c.fps()).offsetFrames();
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-40s %+3d:", c.name(), base));
            for (int k = -4; k <= 4; k++) {
                if (k == 0) {
                    continue;
                }
                Path shifted = dir.resolve(c.name().replace(".mp4", "") + "_" + k + ".m4a");
                if (!Files.exists(shifted)) {
                    double seconds = Math.abs(k) / c.fps();
                    // Sound later by k frames (k > 0): the mouth now moves k frames before its sound.
                    String filter = k > 0 ? "adelay=" + Math.round(seconds * 1000) + ":all=1"
                            : String.format(Locale.ROOT, "atrim=start=%.4f,asetpts=PTS-STARTPTS", seconds);
                    com.heygem.engine.testing.TestMedia.ffmpeg(shifted, "-i", SharedMedia.dir().resolve("talking")
                            .resolve(c.name()).toString(), "-vn", "-af", filter, "-c:a", "aac", "-b:a", "128k");
                }
                int read = judge.read(c.opening(), c.use(), Speech.load(shifted, MediaLimits.DEFAULT).features(), c.fps())
                        .offsetFrames();
                int moved = read - base;
                tried++;
                if (Math.abs(moved + k) <= 1) {
                    found++;
                }
                if (moved == -k) {
                    exact[k + 4]++;
                }
                line.append(String.format(Locale.ROOT, " %+d→%+d", k, moved));
            }
            System.out.println(line);
        }
        System.out.printf(Locale.ROOT, "known shifts found within ±1 frame: %d of %d (%.0f%%); exactly, per shift: %s%n",
                found, tried, 100.0 * found / tried, Arrays.toString(exact));
        assertThat(found).isGreaterThanOrEqualTo((int) Math.ceil(0.9 * tried));
    }

    /**
     * Two judges from two disjoint halves of the speakers (one to time the renderer, one to grade
     * it): how each reads the other half's natural clips and the shared templates.
     */
    @Test
    void twoHalvesAgree() throws Exception {
        List<SyncJudge.Clip> all = clips().stream().filter(c -> !LEFT_OUT.contains(c.name())).toList();
        List<String> speakers = all.stream().map(SyncJudge.Clip::speaker).distinct().sorted().toList();
        List<SyncJudge.Clip> a = new ArrayList<>();
        List<SyncJudge.Clip> b = new ArrayList<>();
        for (SyncJudge.Clip c : all) {
            (speakers.indexOf(c.speaker()) % 2 == 0 ? a : b).add(c);
        }
        SyncJudge ja = SyncJudge.learn(a, 3, 0, 0);
        SyncJudge jb = SyncJudge.learn(b, 3, 0, 0);
        System.out.println("half A (" + a.size() + " clips) read by the judge of half B, and B by A:");
        int agree = 0;
        for (SyncJudge.Clip c : all) {
            SyncJudge other = a.contains(c) ? jb : ja;
            SyncJudge.Reading r = other.read(c.opening(), c.use(), c.speech(), c.fps());
            System.out.printf(Locale.ROOT, "  %-40s %s %+d (%.2f)%n", c.name(), a.contains(c) ? "A" : "B", r.offsetFrames(),
                    r.confidence());
        }
        TemplateAnalyzer analyzer = new TemplateAnalyzer(new TemplateAnalyzer.Settings(SharedMedia.landmarkModel(),
                Files.createDirectories(Path.of("target", "judge-cache")), MediaLimits.DEFAULT,
                TemplateAnalyzer.Settings.DEFAULT_MIN_FACE_SIDE));
        System.out.println("templates: judge A, judge B, all");
        SyncJudge shipped = SyncJudge.shipped();
        for (Path t : SharedMedia.templates()) {
            TemplateProfile p = analyzer.analyze(t, x -> { }, () -> false).profile();
            if (!p.summary().hasSpeech()) {
                continue;
            }
            var speech = Speech.load(t, MediaLimits.DEFAULT).features();
            SyncJudge.Reading ra = ja.read(p, speech);
            SyncJudge.Reading rb = jb.read(p, speech);
            SyncJudge.Reading rs = shipped.read(p, speech);
            agree += Math.abs(ra.offsetFrames() - rb.offsetFrames()) <= 1 ? 1 : 0;
            System.out.printf(Locale.ROOT, "  %-32s %+d (%.2f)  %+d (%.2f)  %+d (%.2f)%n", t.getFileName(), ra.offsetFrames(),
                    ra.confidence(), rb.offsetFrames(), rb.confidence(), rs.offsetFrames(), rs.confidence());
        }
        System.out.println("templates where the halves agree within a frame: " + agree);
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

    /**
     * For a few clips and templates: the judge's correlation at each lag, and how well the clip's own
     * sound predicts its own mouth (cross-validated) with the sound context centred s frames ahead.
     */
    @Test
    void timingCurves() throws Exception {
        TemplateAnalyzer analyzer = new TemplateAnalyzer(new TemplateAnalyzer.Settings(SharedMedia.landmarkModel(),
                Files.createDirectories(Path.of("target", "judge-cache")), MediaLimits.DEFAULT,
                TemplateAnalyzer.Settings.DEFAULT_MIN_FACE_SIDE));
        List<Path> files = new ArrayList<>();
        files.add(SharedMedia.template("woman_blue_700.mp4"));
        files.add(SharedMedia.template("woman_may_512.mp4"));
        for (String n : new String[] {"en_f_vox2pcavs_00373_5s.mp4", "en_m_vox2pcavs_00086_5s.mp4", "en_f_mead_w015_5s.mp4",
                "en_m_vox2pcavs_00098_10s.mp4", "en_f_skyreelsa1_drv2_22s.mp4", "en_man_edtalk_tedlieu_30s.mp4"}) {
            files.add(SharedMedia.dir().resolve("talking").resolve(n));
        }
        SyncJudge judge = SyncJudge.shipped();
        for (Path f : files) {
            TemplateProfile p = analyzer.analyze(f, x -> { }, () -> false).profile();
            SpeechFeatures speech = Speech.load(f, MediaLimits.DEFAULT).features();
            MouthSpace space = new MouthSpace(p);
            int n = p.frames();
            boolean[] use = new boolean[n];
            for (int t = 0; t < n; t++) {
                use[t] = p.facePresent()[t];
            }
            double fps = p.summary().fps();
            SyncJudge.Reading r = judge.read(p, speech);
            StringBuilder j = new StringBuilder();
            for (int k = -6; k <= 6; k++) {
                j.append(String.format(Locale.ROOT, " %+.2f", r.correlations()[k + SyncJudge.MAX_LAG]));
            }
            StringBuilder cv = new StringBuilder();
            for (int s = -6; s <= 6; s++) {
                cv.append(String.format(Locale.ROOT, " %+.2f", cvScore(space, speech, use, fps, s / fps)));
            }
            System.out.printf(Locale.ROOT, "%s judge %+d%n  judge k=-6..6:%s%n  own CV, context at t+s, s=-6..6 frames:%s%n",
                    f.getFileName(), r.offsetFrames(), j, cv);
        }
    }

    static double cvScore(MouthSpace space, SpeechFeatures speech, boolean[] use, double fps, double contextAhead) {
        int n = use.length;
        int usable = 0;
        for (boolean u : use) {
            usable += u ? 1 : 0;
        }
        int[] fold = new int[n];
        int seen = 0;
        for (int f = 0; f < n; f++) {
            fold[f] = use[f] ? Math.min(4, seen++ * 5 / Math.max(1, usable)) : -1;
        }
        int d = MouthSpace.D;
        AudioContext context = AudioContext.of(speech, n, fps, contextAhead);
        float[] predicted = new float[n * d];
        for (int k = 0; k < 5; k++) {
            boolean[] train = new boolean[n];
            for (int f = 0; f < n; f++) {
                train[f] = use[f] && fold[f] != k;
            }
            Ridge model = new Ridge.Gram(context.values, AudioContext.DIM, space.z, d, train).solve(1);
            for (int f = 0; f < n; f++) {
                if (fold[f] == k) {
                    model.predict(context.values, f, predicted, f * d);
                }
            }
        }
        return Calibration.correlation(predicted, space.z, use, MouthDescriptor.INNER_OPEN);
    }
}
