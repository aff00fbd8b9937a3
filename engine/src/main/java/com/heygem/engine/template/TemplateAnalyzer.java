package com.heygem.engine.template;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.face.CanonicalFace;
import com.heygem.engine.face.FaceTrack;
import com.heygem.engine.face.FaceTracker;
import com.heygem.engine.face.LandmarkSmoother;
import com.heygem.engine.face.Landmarks;
import com.heygem.engine.face.ShapePredictor;
import com.heygem.engine.face.Similarity;
import com.heygem.engine.image.GrayImage;
import com.heygem.engine.media.AudioClip;
import com.heygem.engine.media.AudioReader;
import com.heygem.engine.media.FramePipeline;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.media.VideoReader;
import com.heygem.engine.speech.VoiceActivity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a template video into its {@link TemplateProfile}: decode (on its own thread), track
 * the face, smooth the landmarks, measure mouth and eyes, summarise, and cache the result by
 * content hash. Safe to share; each call works on its own state.
 */
public final class TemplateAnalyzer {
    private static final Logger LOG = LoggerFactory.getLogger(TemplateAnalyzer.class);
    /** Heads turned further than this ({@code Landmarks.yaw}, roughly 30 degrees) count as large turns. */
    static final double LARGE_YAW = 0.3;
    /** Below this much free disk the analysis keeps no mouth crops. */
    static final long MIN_FREE_FOR_CROPS = 4L << 30;
    /** A template whose face is found in fewer of its frames than this is refused. */
    static final double MIN_FACE_FRACTION = 0.5;

    /**
     * @param modelPath   dlib landmark model
     * @param dataDir     where profiles are cached; null analyses every time
     * @param minFaceSide smallest face to look for, in pixels
     * @param cropCacheBytes how much disk the cached {@link MouthCropFile}s may take, least
     *                    recently used first out; 0 keeps none (every render then decodes its
     *                    template twice)
     */
    public record Settings(Path modelPath, Path dataDir, MediaLimits limits, double minFaceSide, long cropCacheBytes) {
        public static final double DEFAULT_MIN_FACE_SIDE = 40;
        /** 10 GiB: about 30 minutes of 720p templates. */
        public static final long DEFAULT_CROP_CACHE_BYTES = 10L << 30;

        public Settings(Path modelPath, Path dataDir, MediaLimits limits, double minFaceSide) {
            this(modelPath, dataDir, limits, minFaceSide, DEFAULT_CROP_CACHE_BYTES);
        }
    }

    /** A profile and how it was obtained: {@code fromCache} also when another caller's analysis made it. */
    public record Result(TemplateProfile profile, boolean fromCache, double seconds) {
    }

    private final Settings settings;
    private final ShapePredictor predictor;
    private final CanonicalFace canonical;
    private final String modelFingerprint;
    private final ProfileStore store;
    /**
     * Analyses under way in this process, by content: a second caller (a render starting while the
     * upload's face check still runs) waits for the first instead of doing the same work beside it.
     */
    private final ConcurrentHashMap<String, Flight> flights = new ConcurrentHashMap<>();

    /** How often a caller waiting for another's analysis looks at its progress and its own cancel. */
    private static final long FLIGHT_LOOK_MILLIS = 100;

    /** One analysis under way: what waiters see of it. */
    private static final class Flight {
        final CountDownLatch done = new CountDownLatch(1);
        volatile double progress;
        volatile TemplateProfile profile;
        volatile HeyGemException failure;
    }

    public TemplateAnalyzer(Settings settings) {
        this.settings = settings;
        this.predictor = ShapePredictor.shared(settings.modelPath());
        this.canonical = new CanonicalFace(predictor);
        this.modelFingerprint = fingerprint(settings.modelPath());
        this.store = settings.dataDir() == null ? null : new ProfileStore(settings.dataDir());
    }

    /**
     * The profile of {@code template}, from the cache when this content was analysed before, or
     * from the analysis of the same content another caller has under way (this one then waits
     * for it, telling its progress).
     *
     * @throws HeyGemException NO_FACE when no frame has a face, or the media errors of decoding
     */
    public Result analyze(Path template, DoubleConsumer progress, BooleanSupplier cancelled) {
        long start = System.nanoTime();
        String hash;
        try {
            hash = ProfileStore.contentHash(template);
        } catch (NoSuchFileException e) {
            throw new HeyGemException(ErrorCode.FILE_NOT_FOUND, template);
        } catch (IOException e) {
            throw new HeyGemException(ErrorCode.FILE_NOT_FOUND, e, template);
        }
        while (true) {
            if (store != null) {
                Optional<TemplateProfile> cached = store.load(hash, modelFingerprint);
                if (cached.isPresent()) {
                    progress.accept(1.0);
                    return new Result(cached.get(), true, (System.nanoTime() - start) / 1e9);
                }
            }
            Flight mine = new Flight();
            Flight running = flights.putIfAbsent(hash, mine);
            if (running == null) {
                try {
                    TemplateProfile profile = analyseNow(template, hash, f -> {
                        mine.progress = f;
                        progress.accept(f);
                    }, cancelled, start);
                    mine.profile = profile;
                    return new Result(profile, false, (System.nanoTime() - start) / 1e9);
                } catch (HeyGemException e) {
                    mine.failure = e;
                    throw e;
                } finally {
                    flights.remove(hash, mine);
                    mine.done.countDown();
                }
            }
            TemplateProfile theirs = await(running, progress, cancelled);
            if (theirs != null) {
                progress.accept(1.0);
                return new Result(theirs, true, (System.nanoTime() - start) / 1e9);
            }
            // That analysis was stopped before it finished: look again, and do it here if nobody else is.
        }
    }

    /**
     * Waits for another caller's analysis of the same content, telling its progress as ours.
     *
     * @return its profile, or null when it stopped without one (cancelled)
     * @throws HeyGemException the content's own failure (no face…), which would only happen again
     * @throws CancellationException when {@code cancelled} turns true meanwhile
     */
    private static TemplateProfile await(Flight running, DoubleConsumer progress, BooleanSupplier cancelled) {
        try {
            while (!running.done.await(FLIGHT_LOOK_MILLIS, TimeUnit.MILLISECONDS)) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("cancelled while the same template was being analysed");
                }
                progress.accept(running.progress);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        }
        if (running.failure != null) {
            throw running.failure;
        }
        return running.profile;
    }

    /**
     * Analyses the frames and keeps the profile and the mouth crops. Stopped part-way (cancelled,
     * or any failure), it keeps nothing: the crops are written under a temporary name and only
     * renamed into place once whole, and the profile is written after them.
     */
    private TemplateProfile analyseNow(Path template, String hash, DoubleConsumer progress, BooleanSupplier cancelled,
            long start) {
        MouthCropFile.Writer crops = openCropWriter(hash);
        try {
            TemplateProfile profile = compute(template, hash, progress, cancelled, start, crops);
            if (store != null) {
                if (crops != null) {
                    try {
                        crops.finish(store.cropsFor(hash));
                    } catch (IOException e) {
                        LOG.warn("could not keep the mouth crops of {} (its renders decode it twice): {}", template,
                                e.toString());
                    }
                    store.evictCrops(settings.cropCacheBytes());
                }
                try {
                    store.save(profile, modelFingerprint);
                } catch (IOException e) {
                    // The analysis itself succeeded; a full disk only costs a re-analysis next time.
                    LOG.warn("could not cache the profile of {}: {}", template, e.toString());
                }
            }
            return profile;
        } finally {
            closeQuietly(crops);
        }
    }

    /**
     * The template's cached mouth crops, when the analysis that is cached kept them and they are
     * still there; the caller closes it.
     */
    public Optional<MouthCropFile> mouthCrops(TemplateProfile profile) {
        return store == null ? Optional.empty() : MouthCropFile.open(store.cropsFor(profile.contentHash()),
                profile.frames());
    }

    private MouthCropFile.Writer openCropWriter(String hash) {
        if (store == null || settings.cropCacheBytes() <= 0) {
            return null;
        }
        try {
            Files.createDirectories(store.dir());
            long free = Files.getFileStore(store.dir()).getUsableSpace();
            if (free < MIN_FREE_FOR_CROPS) {
                // Results and uploads need the disk more than a speed-up does.
                LOG.info("only {} MiB free under {}: not keeping mouth crops", free >> 20, store.dir());
                return null;
            }
            return new MouthCropFile.Writer(store.dir(), hash);
        } catch (IOException e) {
            LOG.warn("could not start the mouth crop cache for {}: {}", hash, e.toString());
            return null;
        }
    }

    private static void closeQuietly(MouthCropFile.Writer crops) {
        if (crops == null) {
            return;
        }
        try {
            crops.close();
        } catch (IOException e) {
            LOG.warn("could not remove an unfinished mouth crop file: {}", e.toString());
        }
    }

    private TemplateProfile compute(Path template, String hash, DoubleConsumer progress, BooleanSupplier cancelled,
            long start, MouthCropFile.Writer crops) {
        FaceTrack raw = new FaceTrack();
        // Teeth and darkness need the frame's pixels, so they are measured now, on the raw
        // landmarks; frame f's pair sits at [2f, 2f + 1].
        float[][] appearance = {new float[2 * 1024]};
        CutDetector cutDetector = new CutDetector();
        float[][] cover = {new float[2 * 1024]};
        int width;
        int height;
        double fps;
        boolean hasAudio;
        int maxFaces;
        try (VideoReader reader = VideoReader.open(template, settings.limits(), 0);
                FaceTracker tracker = new FaceTracker(predictor, settings.minFaceSide())) {
            width = reader.width();
            height = reader.height();
            fps = reader.fps();
            hasAudio = reader.mediaInfo().hasAudio();
            long expected = Math.max(1, reader.expectedFrames());
            float[] points = new float[Landmarks.VALUES];
            float[] measured = new float[MouthDescriptor.SIZE];
            GrayImage gray = new GrayImage();
            int[] mouthBox = new int[4];
            FramePipeline.consume(reader::read, (index, frame) -> {
                switch (cutDetector.next(frame)) {
                    case CUT -> tracker.cut(); // plainly another shot: look for the face afresh
                    case MAYBE_CUT -> tracker.recheck(); // a jump cut, or just motion: check where the face is
                    case SAME_SHOT -> { }
                }
                tracker.next(gray.wrapLuma(frame), raw);
                int f = raw.frames() - 1;
                if (2 * f + 1 >= appearance[0].length) {
                    appearance[0] = Arrays.copyOf(appearance[0], appearance[0].length * 2);
                }
                if (2 * f + 1 >= cover[0].length) {
                    cover[0] = Arrays.copyOf(cover[0], cover[0].length * 2);
                }
                if (raw.present(f)) {
                    raw.landmarks(f, points);
                    MouthCover.measure(frame, points, cover[0], 2 * f, mouthBox);
                    MouthDescriptor.appearance(frame, points, measured, 0);
                    appearance[0][2 * f] = measured[MouthDescriptor.TEETH];
                    appearance[0][2 * f + 1] = measured[MouthDescriptor.DARKNESS];
                }
                if (crops != null) {
                    crops.add(frame, raw.present(f) ? points : null);
                }
                if ((f & 15) == 0) {
                    progress.accept(Math.min(0.99, (f + 1) / (double) expected));
                }
            }, cancelled);
            tracker.finish(raw);
            maxFaces = tracker.maxFaces();
        }
        int frames = raw.frames();
        if (raw.presentCount() == 0) {
            throw new HeyGemException(ErrorCode.NO_FACE, template.getFileName());
        }
        if (raw.presentCount() < MIN_FACE_FRACTION * frames) {
            // Stray patterns (a map, a test card) pass the face checks now and then; a presenter
            // is there nearly all the time. Rendering the rest untouched would look like success.
            throw new HeyGemException(ErrorCode.FACE_TOO_RARE, template.getFileName(),
                    String.format(java.util.Locale.ROOT, "%.0f", 100.0 * raw.presentCount() / frames));
        }
        double voiced = 0;
        com.heygem.engine.speech.SpeechFeatures own = null;
        if (hasAudio) {
            AudioClip sound = AudioReader.readForAnalysis(template, settings.limits());
            voiced = VoiceActivity.voicedFraction(sound.samples(), sound.frames(), sound.sampleRate());
            // Analysed once here and kept with the profile: no render decodes the template's sound again.
            own = com.heygem.engine.speech.SpeechAnalyzer.analyze(sound);
        }

        boolean[] cutBefore = Arrays.copyOf(cutDetector.cuts(), frames);
        FaceTrack smooth = new LandmarkSmoother(fps).smooth(raw, cutBefore);
        boolean[] present = new boolean[frames];
        float[] landmarks = Arrays.copyOf(smooth.points(), frames * Landmarks.VALUES);
        float[] transforms = new float[frames * 4];
        float[] mouth = new float[frames * MouthDescriptor.SIZE];
        float[] eyes = new float[frames];
        float[] yaw = new float[frames];
        float[] points = new float[Landmarks.VALUES];
        float[] aligned = new float[Landmarks.VALUES];
        float[] sides = new float[frames];
        int faces = 0;
        int turned = 0;
        for (int f = 0; f < frames; f++) {
            present[f] = smooth.present(f);
            if (!present[f]) {
                continue;
            }
            smooth.landmarks(f, points);
            canonical.align(points, transforms, 4 * f);
            Similarity.apply(transforms, 4 * f, points, aligned);
            MouthDescriptor.shape(aligned, mouth, f * MouthDescriptor.SIZE);
            mouth[f * MouthDescriptor.SIZE + MouthDescriptor.TEETH] = appearance[0][2 * f];
            mouth[f * MouthDescriptor.SIZE + MouthDescriptor.DARKNESS] = appearance[0][2 * f + 1];
            eyes[f] = (float) Landmarks.eyeAspectRatio(points);
            yaw[f] = (float) Landmarks.yaw(points);
            if (Math.abs(yaw[f]) > LARGE_YAW) {
                turned++;
            }
            sides[faces++] = (float) Landmarks.box(points).width();
        }
        boolean[] covered = MouthCover.covered(Arrays.copyOf(cover[0], 2 * frames), present);
        float[] low = new float[MouthDescriptor.SIZE];
        float[] high = new float[MouthDescriptor.SIZE];
        float[] values = new float[faces];
        for (int m = 0; m < MouthDescriptor.SIZE; m++) {
            int n = 0;
            for (int f = 0; f < frames; f++) {
                if (present[f]) {
                    values[n++] = mouth[f * MouthDescriptor.SIZE + m];
                }
            }
            Arrays.sort(values, 0, n);
            low[m] = values[(int) (0.05 * (n - 1))];
            high[m] = values[(int) Math.ceil(0.95 * (n - 1))];
        }
        Arrays.sort(sides, 0, faces);
        double faceSide = sides[faces / 2];
        double faceFraction = faces / (double) frames;
        double turnFraction = turned / (double) faces;
        double seconds = (System.nanoTime() - start) / 1e9;
        TemplateProfile.Summary summary = new TemplateProfile.Summary(template.getFileName().toString(), width, height,
                fps, frames, frames / fps, hasAudio, voiced, faceFraction, faceSide, maxFaces, low, high, turnFraction,
                LandmarkSmoother.rigidJitter(raw), LandmarkSmoother.rigidJitter(smooth), seconds,
                ProfileWarnings.of(faceFraction, faceSide, maxFaces, turnFraction, low, high, covered, fps));
        progress.accept(1.0);
        return new TemplateProfile(hash, present, landmarks, transforms, mouth, eyes, yaw, cutBefore, covered, summary,
                own);
    }

    /** Identifies the landmark model: its size and the hash of its first 64 KiB. */
    static String fingerprint(Path model) {
        try (InputStream in = Files.newInputStream(model)) {
            byte[] head = in.readNBytes(1 << 16);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return Files.size(model) + ":" + HexFormat.of().formatHex(sha.digest(head));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
