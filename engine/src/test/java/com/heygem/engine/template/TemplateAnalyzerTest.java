package com.heygem.engine.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.testing.SharedMedia;
import com.heygem.engine.testing.TestMedia;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateAnalyzerTest {
    private static Path model;
    @TempDir
    Path temp;

    @BeforeAll
    static void model() {
        model = SharedMedia.landmarkModel();
    }

    private TemplateAnalyzer analyzer(Path dataDir) {
        return new TemplateAnalyzer(new TemplateAnalyzer.Settings(model, dataDir, MediaLimits.DEFAULT,
                TemplateAnalyzer.Settings.DEFAULT_MIN_FACE_SIDE));
    }

    /** Every shared template, the small-faced HEVC portrait and the 256x256 clip included. */
    @Test
    void findsTheFaceInNearlyEveryFrameOfEveryTemplate() {
        TemplateAnalyzer analyzer = analyzer(null);
        List<String> report = new ArrayList<>();
        for (Path template : SharedMedia.templates()) {
            TemplateProfile p = analyzer.analyze(template, f -> { }, () -> false).profile();
            TemplateProfile.Summary s = p.summary();
            report.add(String.format("%s face %.1f%% jitter %.4f -> %.4f", s.fileName(), 100 * s.faceFraction(),
                    s.rigidJitterRaw(), s.rigidJitterSmoothed()));
            assertThat(s.faceFraction()).as(s.fileName()).isGreaterThanOrEqualTo(0.99);
            assertThat(s.maxFaces()).as(s.fileName()).isEqualTo(1);
            // Smoothing at least halves the rigid points' jitter.
            assertThat(s.rigidJitterSmoothed()).as(s.fileName()).isLessThanOrEqualTo(s.rigidJitterRaw() / 2);
            assertThat(p.landmarks()).hasSize(s.frames() * 136);
            assertThat(s.faceSidePixels()).isGreaterThan(100);
        }
        System.out.println(String.join("\n", report));
    }

    @Test
    void templateSpeechIsDetected() {
        TemplateAnalyzer analyzer = analyzer(null);
        TemplateProfile.Summary talking = analyzer.analyze(SharedMedia.template("woman_may_512.mp4"), f -> { }, () -> false)
                .profile().summary();
        assertThat(talking.hasSpeech()).isTrue();
        TemplateProfile.Summary silent = analyzer.analyze(SharedMedia.template("obama_256_silent.mp4"), f -> { }, () -> false)
                .profile().summary();
        assertThat(silent.hasAudio()).isFalse();
        assertThat(silent.hasSpeech()).isFalse();
        assertThat(analyzer.analyze(SharedMedia.template("obama_256_silent.mp4"), f -> { }, () -> false).profile()
                .ownSpeech()).as("no sound, nothing kept of it").isNull();
    }

    @Test
    void twoPeopleAreCountedAndTheWarningSaysSo() throws Exception {
        Path two = temp.resolve("two.mp4");
        TestMedia.ffmpeg(two, "-i", SharedMedia.template("woman_may_512.mp4").toString(),
                "-i", SharedMedia.template("woman_smile_mpeg4.mp4").toString(), "-filter_complex",
                "[0:v]trim=0:3,setpts=PTS-STARTPTS[a];[1:v]trim=0:3,setpts=PTS-STARTPTS,fps=25[b];[a][b]hstack",
                "-an", "-c:v", "libx264", "-preset", "ultrafast");
        TemplateProfile.Summary s = analyzer(null).analyze(two, f -> { }, () -> false).profile().summary();
        assertThat(s.maxFaces()).isEqualTo(2);
        assertThat(s.faceFraction()).isGreaterThanOrEqualTo(0.99);
        assertThat(s.warnings()).extracting(TemplateProfile.Warning::code).contains(ProfileWarning.SEVERAL_FACES);
    }

    @Test
    void videoWithoutAFaceFailsWithNoFace() throws Exception {
        Path none = temp.resolve("noface.mp4");
        TestMedia.ffmpeg(none, "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=3", "-f", "lavfi",
                "-i", "mandelbrot=size=640x360:rate=25", "-filter_complex",
                "[1]trim=0:3,setpts=PTS-STARTPTS[m];[0][m]vstack", "-t", "3", "-c:v", "libx264", "-preset", "ultrafast");
        assertThatThrownBy(() -> analyzer(null).analyze(none, f -> { }, () -> false))
                .isInstanceOf(HeyGemException.class)
                .satisfies(e -> assertThat(((HeyGemException) e).code()).isEqualTo(ErrorCode.NO_FACE));
    }

    @Test
    void secondAnalysisIsACacheHitAndOtherVersionsAreRecomputed() throws Exception {
        Path data = temp.resolve("data");
        Path template = SharedMedia.template("woman_may_512.mp4");
        TemplateAnalyzer analyzer = analyzer(data);
        TemplateAnalyzer.Result first = analyzer.analyze(template, f -> { }, () -> false);
        TemplateAnalyzer.Result second = analyzer.analyze(template, f -> { }, () -> false);
        assertThat(first.fromCache()).isFalse();
        assertThat(second.fromCache()).isTrue();
        assertThat(second.profile().landmarks()).containsExactly(first.profile().landmarks());
        assertThat(second.profile().mouth()).containsExactly(first.profile().mouth());
        assertThat(second.profile().facePresent()).containsExactly(first.profile().facePresent());
        assertThat(second.profile().summary().warnings()).isEqualTo(first.profile().summary().warnings());
        // The template's own sound comes back analysed from the cache: no render decodes it again.
        com.heygem.engine.speech.SpeechFeatures own = first.profile().ownSpeech();
        com.heygem.engine.speech.SpeechFeatures kept = second.profile().ownSpeech();
        assertThat(own).isNotNull();
        assertThat(kept.frames()).isEqualTo(own.frames()).isGreaterThan(400);
        for (int i = 0; i < own.frames(); i += 7) {
            assertThat(kept.level(i)).isEqualTo(own.level(i));
            assertThat(kept.mfcc(i, 3)).isEqualTo(own.mfcc(i, 3));
            assertThat(kept.speech(i)).isEqualTo(own.speech(i));
            assertThat(kept.closure(i)).isEqualTo(own.closure(i));
        }
        System.out.printf("analysis %.3f s, cache hit %.4f s (%.0fx)%n", first.seconds(), second.seconds(),
                first.seconds() / second.seconds());
        // The analysis kept every face frame's lower face for the renders.
        try (MouthCropFile crops = analyzer.mouthCrops(second.profile()).orElseThrow()) {
            assertThat(crops.frames()).isEqualTo(first.profile().frames());
            for (int f = 0; f < crops.frames(); f++) {
                assertThat(crops.has(f)).isEqualTo(first.profile().facePresent()[f]);
            }
        }

        // A profile written by another format version is analysed again, not misread.
        Path file = new ProfileStore(data).fileFor(first.profile().contentHash());
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.writeUTF("HEYGEM-PROFILE");
            out.writeInt(ProfileStore.VERSION + 1);
            out.writeUTF("garbage that a reader of this version must not parse");
        }
        TemplateAnalyzer.Result third = analyzer.analyze(template, f -> { }, () -> false);
        assertThat(third.fromCache()).isFalse();
        assertThat(third.profile().landmarks()).containsExactly(first.profile().landmarks());
        // ...and the fresh result replaced the old file.
        assertThat(analyzer.analyze(template, f -> { }, () -> false).fromCache()).isTrue();

        // A truncated file is also recomputed.
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThat(analyzer.analyze(template, f -> { }, () -> false).fromCache()).isFalse();
    }

    /** Issue 29: a stop part-way keeps nothing; an interrupt at the end costs nothing it made. */
    @Test
    void aStopPartWayKeepsNothingAndAnInterruptDoesNotThrowTheCacheAway() throws Exception {
        Path data = temp.resolve("data");
        Path template = SharedMedia.template("woman_may_512.mp4");
        TemplateAnalyzer analyzer = analyzer(data);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        assertThatThrownBy(() -> analyzer.analyze(template, f -> stop.compareAndSet(false, f > 0.3), stop::get))
                .isInstanceOf(java.util.concurrent.CancellationException.class);
        try (java.util.stream.Stream<Path> files = Files.list(data.resolve("profiles"))) {
            assertThat(files.toList()).as("a stopped analysis leaves no file, whole or partial").isEmpty();
        }

        // The thread is interrupted as the analysis ends (a pool shut down under it): the crops
        // and the profile are still written whole (a FileChannel would have been closed by it).
        TemplateAnalyzer.Result r;
        try {
            r = analyzer.analyze(template, f -> {
                if (f >= 1.0) {
                    Thread.currentThread().interrupt();
                }
            }, () -> false);
        } finally {
            assertThat(Thread.interrupted()).as("the interrupt is left for the caller").isTrue();
        }
        assertThat(r.fromCache()).isFalse();
        try (MouthCropFile crops = analyzer.mouthCrops(r.profile()).orElseThrow()) {
            assertThat(crops.frames()).isEqualTo(r.profile().frames());
        }
        assertThat(analyzer.analyze(template, f -> { }, () -> false).fromCache()).isTrue();
        try (java.util.stream.Stream<Path> files = Files.list(data.resolve("profiles"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("."))).isEmpty();
        }
    }

    /** The upload's face check and a render of the same template analyse it once, not twice side by side. */
    @Test
    void twoCallersOfOneTemplateShareOneAnalysis() throws Exception {
        Path template = SharedMedia.template("woman_may_512.mp4");
        TemplateAnalyzer analyzer = analyzer(temp.resolve("data"));
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            java.util.concurrent.Future<TemplateAnalyzer.Result> first = pool.submit(
                    () -> analyzer.analyze(template, f -> started.countDown(), () -> false));
            assertThat(started.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            java.util.List<Double> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.concurrent.Future<TemplateAnalyzer.Result> second = pool.submit(
                    () -> analyzer.analyze(template, seen::add, () -> false));
            // A third caller that gives up while it waits leaves at once, the analysis going on.
            java.util.concurrent.atomic.AtomicBoolean giveUp = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.Future<TemplateAnalyzer.Result> third = pool.submit(
                    () -> analyzer.analyze(template, f -> giveUp.set(true), giveUp::get));
            assertThatThrownBy(() -> third.get(60, java.util.concurrent.TimeUnit.SECONDS))
                    .hasCauseInstanceOf(java.util.concurrent.CancellationException.class);
            TemplateAnalyzer.Result a = first.get(60, java.util.concurrent.TimeUnit.SECONDS);
            TemplateAnalyzer.Result b = second.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(a.fromCache()).isFalse();
            assertThat(b.fromCache()).as("the second caller waited for the first").isTrue();
            assertThat(b.profile().landmarks()).containsExactly(a.profile().landmarks());
            assertThat(seen).as("the waiter was told the analysis' progress").isNotEmpty();
            assertThat(seen.get(seen.size() - 1)).isEqualTo(1.0);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void missingModelNamesThePackageAndTheSetting() {
        Path missing = temp.resolve("nowhere/shape_predictor_68_face_landmarks.dat");
        assertThatThrownBy(() -> new TemplateAnalyzer(new TemplateAnalyzer.Settings(missing, null, MediaLimits.DEFAULT, 40)))
                .isInstanceOf(HeyGemException.class)
                .satisfies(e -> {
                    HeyGemException he = (HeyGemException) e;
                    assertThat(he.code()).isEqualTo(ErrorCode.MODEL_MISSING);
                    assertThat(he.getMessage()).contains("libdlib-data").contains("face.modelPath");
                });
    }

    @Test
    void contactSheetIsWritten() throws Exception {
        Path template = SharedMedia.template("woman_may_512.mp4");
        TemplateProfile p = analyzer(null).analyze(template, f -> { }, () -> false).profile();
        Path png = temp.resolve("sheet.png");
        ContactSheet.write(List.of(new ContactSheet.Row(template, p)), png, MediaLimits.DEFAULT);
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(ContactSheet.COLUMNS * ContactSheet.CELL_SIZE);
        // Landmarks are drawn in red on the lips: some strongly red pixels exist.
        int red = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                if ((rgb >> 16 & 0xFF) > 240 && (rgb >> 8 & 0xFF) < 90 && (rgb & 0xFF) < 90) {
                    red++;
                }
            }
        }
        assertThat(red).isGreaterThan(100);
    }
}
