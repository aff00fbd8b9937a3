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
 * The sync judge's figures for {@code docs/quality.md}: known shifts found, the two halves of the
 * speakers compared, the timing curves of a few clips and templates. Learning the judge itself is
 * {@link SyncJudgeTraining}. Not part of {@code ./heygem test}; run it with
 * {@code mvn -pl engine test -Dtest=SyncJudgeFigures -Dheygem.train.judge=true}.
 */
@EnabledIfSystemProperty(named = "heygem.train.judge", matches = "true")
class SyncJudgeFigures {
    /**
     * Every natural clip with its sound moved by −4…+4 frames (re-cut with FFmpeg), read by the
     * judge learned without its speaker: the reading moves by the shift (within ±1 frame).
     */
    @Test
    void findsKnownShifts() throws IOException {
        List<SyncJudge.Clip> all = SyncJudgeTraining.clips();
        Path dir = Files.createDirectories(Path.of("target", "judge-shifts"));
        int tried = 0;
        int found = 0;
        int[] exact = new int[9];
        for (int i = 0; i < all.size(); i++) {
            SyncJudge.Clip c = all.get(i);
            if (SyncJudgeTraining.LEFT_OUT.contains(c.name())) {
                continue;
            }
            List<SyncJudge.Clip> others = new ArrayList<>();
            for (SyncJudge.Clip o : all) {
                if (!o.speaker().equals(c.speaker()) && !SyncJudgeTraining.LEFT_OUT.contains(o.name())) {
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
        List<SyncJudge.Clip> all = SyncJudgeTraining.clips().stream().filter(c -> !SyncJudgeTraining.LEFT_OUT.contains(c.name())).toList();
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
