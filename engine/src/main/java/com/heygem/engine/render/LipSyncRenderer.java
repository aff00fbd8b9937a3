package com.heygem.engine.render;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.image.YuvImage;
import com.heygem.engine.media.AudioClip;
import com.heygem.engine.media.AudioDecoder;
import com.heygem.engine.media.AudioReader;
import com.heygem.engine.media.AudioTrackFeed;
import com.heygem.engine.media.EncoderSettings;
import com.heygem.engine.media.FramePipeline;
import com.heygem.engine.media.LoopMode;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.media.Timeline;
import com.heygem.engine.media.VideoReader;
import com.heygem.engine.media.VideoWriter;
import com.heygem.engine.speech.SpeechAnalyzer;
import com.heygem.engine.speech.SpeechFeatures;
import com.heygem.engine.sync.AudioContext;
import com.heygem.engine.sync.Calibration;
import com.heygem.engine.sync.MouthSpace;
import com.heygem.engine.sync.PlanReading;
import com.heygem.engine.sync.RenderPlan;
import com.heygem.engine.sync.SyncJudge;
import com.heygem.engine.sync.UnitSelector;
import com.heygem.engine.template.MouthCropFile;
import com.heygem.engine.template.TemplateProfile;
import com.heygem.engine.template.TurnPoints;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * Renders one template speaking one sound: calibrate on the template's own speech, plan which
 * mouth to show at every frame, cut those mouths out of the template (one decoding pass), then
 * decode, composite and encode the output on three threads.
 */
public final class LipSyncRenderer {
    /**
     * @param leadSeconds how far ahead of its sound the mouth moves beyond natural timing (0: as people's own
     *                    footage does; the mouth model already follows natural timing, docs/quality.md)
     * @param tempDir     where decoded mouths (and frames for backward playback) wait during a render
     */
    public record Settings(EncoderSettings encoder, MediaLimits limits, Path tempDir, double leadSeconds, LoopMode loop) {
        /**
         * No extra lead. The 20 ms used before made up for a loudness-driven model; on top of a
         * model learned from people's own footage it reads early (the sync judge on the plans of the
         * 6 shared templates × 4 speeches: 23 of 24 within a frame of natural timing with no lead,
         * 21 of 24 with 20 ms; docs/quality.md).
         */
        public static final double DEFAULT_LEAD_SECONDS = 0;

        public static Settings defaults(Path tempDir) {
            return new Settings(EncoderSettings.DEFAULT, MediaLimits.DEFAULT, tempDir, DEFAULT_LEAD_SECONDS,
                    LoopMode.PING_PONG);
        }
    }

    /** Reports the stage ("calibrate", "prepare", "render", "finish") and its progress 0..1. */
    @FunctionalInterface
    public interface Progress {
        void update(String stage, double fraction);
    }

    /** What a render did. */
    /**
     * @param sync the sync judge's reading of the mouths the plan placed against the speech
     *             ({@link PlanReading}): positive offsets, the mouth is late
     */
    public record Result(Path output, int frames, double fps, RenderPlan plan, Calibration calibration,
            double prepareSeconds, double renderSeconds, SyncJudge.Reading sync) {
    }

    private final Settings settings;

    public LipSyncRenderer(Settings settings) {
        this.settings = settings;
    }

    /** The same renderer encoding with other settings (a batch's own quality). */
    public LipSyncRenderer withEncoder(EncoderSettings encoder) {
        return encoder.equals(settings.encoder()) ? this : new LipSyncRenderer(new Settings(encoder, settings.limits(),
                settings.tempDir(), settings.leadSeconds(), settings.loop()));
    }

    public Settings settings() {
        return settings;
    }

    /** The template's own speech, or null when it has no sound to learn from. */
    public SpeechFeatures templateSpeech(TemplateProfile profile, Path template) {
        if (!profile.summary().hasAudio()) {
            return null;
        }
        if (profile.ownSpeech() != null) {
            return profile.ownSpeech(); // analysed with the profile, once per template
        }
        AudioClip clip = AudioReader.readForAnalysis(template, settings.limits());
        return SpeechAnalyzer.analyze(clip);
    }

    /**
     * Calibration and plan, without touching a pixel: what {@code evaluate --held-out} needs too.
     *
     * @param shiftSeconds where in the sound each frame's mouth is read: the lead for a render,
     *                     minus the template's own lag when replaying its own sound
     */
    public RenderPlan plan(TemplateProfile profile, MouthSpace space, Calibration calibration, Speech speech,
            boolean[] library, double shiftSeconds) {
        TemplateProfile.Summary summary = profile.summary();
        Timeline timeline = TurnPoints.timeline(profile, speech.seconds(), settings.loop());
        int frames = timeline.length();
        int[] background = new int[frames];
        for (int t = 0; t < frames; t++) {
            background[t] = timeline.sourceFrame(t);
        }
        AudioContext audio = AudioContext.of(speech.features(), frames, summary.fps(), shiftSeconds);
        float[] targets = calibration.targets(audio, space);
        boolean[] silent = new boolean[frames];
        for (int t = 0; t < frames; t++) {
            silent[t] = audio.silent(t);
        }
        return new UnitSelector(profile, space, library).select(targets, calibration.model().weights(), silent,
                background, summary.fps());
    }

    public Result render(TemplateProfile profile, Path template, Speech speech, Path output, Progress progress,
            BooleanSupplier cancelled) {
        return render(profile, template, speech, output, null, progress, cancelled);
    }

    /**
     * Renders {@code template} speaking {@code speech} into {@code output}.
     *
     * @param cachedCrops the mouth crops its analysis kept ({@link com.heygem.engine.template.TemplateAnalyzer#mouthCrops}),
     *                    or null: the template is then decoded once more to cut them. Closed here.
     */
    public Result render(TemplateProfile profile, Path template, Speech speech, Path output,
            MouthCropFile cachedCrops, Progress progress, BooleanSupplier cancelled) {
        try {
            return renderWith(profile, template, speech, output, cachedCrops, progress, cancelled);
        } finally {
            if (cachedCrops != null) {
                cachedCrops.close(); // closing twice is harmless
            }
        }
    }

    private Result renderWith(TemplateProfile profile, Path template, Speech speech, Path output,
            MouthCropFile cachedCrops, Progress progress, BooleanSupplier cancelled) {
        long start = System.nanoTime();
        progress.update("calibrate", 0);
        MouthSpace space = new MouthSpace(profile);
        Calibration calibration = Calibration.of(profile, space, templateSpeech(profile, template), null);
        RenderPlan plan = plan(profile, space, calibration, speech, UnitSelector.allFaces(profile),
                settings.leadSeconds());
        progress.update("calibrate", 1);
        checkCancelled(cancelled);

        int n = profile.frames();
        int frames = plan.length();
        boolean[] needed = new boolean[n];
        int last = -1;
        for (int t = 0; t < frames; t++) {
            int s = plan.source()[t];
            int fade = plan.fade()[t];
            if (s >= 0) { // its own mouth too: the chin may still move
                needed[s] = true;
                last = Math.max(last, s);
            }
            if (fade >= 0) {
                needed[fade] = true;
                last = Math.max(last, fade);
            }
        }
        // A timeline that turns back reads the template a stretch at a time from the file (a small
        // ring of frames), never from a copy of all of it: temporary disk and memory stay flat.
        boolean backwards = TemplateFrames.needsRing(plan.background());
        TemplateProfile.Summary summary = profile.summary();
        boolean useCached = cachedCrops != null && MouthCrops.covers(cachedCrops, needed);
        try (MouthCrops crops = useCached ? new MouthCrops(cachedCrops)
                : new MouthCrops(needed, profile.landmarks(), summary.width(), summary.height(), settings.tempDir())) {
            if (!crops.isCached()) {
                prepare(template, crops, needed, last, progress, cancelled);
            } else {
                // Nothing to decode ahead: the stage is still passed through, so progress and stops see every stage.
                progress.update("prepare", 0);
                progress.update("prepare", 1);
            }
            double prepared = (System.nanoTime() - start) / 1e9;
            Compositor compositor = new Compositor(profile.landmarks(), crops);
            ChinPath chin = ChinPath.of(plan, profile.landmarks(), profile.cutBefore());
            try (VideoReader reader = backwards ? null : VideoReader.open(template, settings.limits(), 0);
                    TemplateFrames turning = backwards ? new TemplateFrames(template, settings.limits(), plan.background(),
                            summary.width(), summary.height(), settings.tempDir()) : null;
                    AudioTrackFeed audio = new AudioTrackFeed(
                            AudioDecoder.open(speech.path(), settings.limits(), AudioReader.OUTPUT_RATE, 2));
                    VideoWriter writer = new VideoWriter(output, summary.width(), summary.height(), summary.fps(),
                            settings.encoder(), true)) {
                FramePipeline.FrameSource source = backwards ? turning : live(reader, frames);
                long written = FramePipeline.run(source,
                        (t, frame) -> compositor.compose(frame, plan.background()[(int) t], plan.source()[(int) t],
                                plan.fade()[(int) t], plan.fadeWeight()[(int) t], chin, (int) t),
                        writer, summary.fps(), audio,
                        done -> progress.update("render", done / (double) frames), cancelled);
                if (written != frames) {
                    throw new IllegalStateException("rendered " + written + " of " + frames + " frames");
                }
                // Writing the index at the front and moving the file into place: seconds for a long video.
                progress.update("finish", 0);
                checkCancelled(cancelled); // stopped now, it still leaves nothing behind
                writer.finish();
                progress.update("finish", 1);
            }
            double total = (System.nanoTime() - start) / 1e9;
            return new Result(output, frames, summary.fps(), plan, calibration, prepared, total - prepared,
                    PlanReading.of(SyncJudge.shipped(), profile, plan, speech.features()));
        }
    }

    /** One decoding pass up to the last frame whose mouth the plan uses: keeps those mouths. */
    private void prepare(Path template, MouthCrops crops, boolean[] needed, int last,
            Progress progress, BooleanSupplier cancelled) {
        if (last < 0) {
            return;
        }
        progress.update("prepare", 0);
        try (VideoReader reader = VideoReader.open(template, settings.limits(), 0)) {
            int[] count = {0};
            int[] decoded = {0};
            FramePipeline.consume(out -> decoded[0]++ <= last && reader.read(out), (index, frame) -> {
                int f = (int) index;
                if (f < needed.length && needed[f]) {
                    crops.store(f, frame);
                }
                count[0] = f + 1;
                if ((f & 15) == 0) {
                    progress.update("prepare", Math.min(1, (f + 1) / (double) (last + 1)));
                }
                }, cancelled);
            if (count[0] <= last) {
                throw new HeyGemException(ErrorCode.CORRUPT_MEDIA, template.getFileName(),
                            "it has fewer frames (" + count[0] + ") than when it was analysed");
            }
        }
        progress.update("prepare", 1);
    }

    /** Frames in order from the decoder; if it ends a frame or two early, the last one is held. */
    private static FramePipeline.FrameSource live(VideoReader reader, int frames) {
        YuvImage last = new YuvImage();
        int[] next = {0};
        return out -> {
            if (next[0] >= frames) {
                return false;
            }
            if (reader.read(out)) {
                if (next[0] >= frames - 3) {
                    last.copyFrom(out);
                }
            } else if (last.width > 0) {
                out.copyFrom(last);
            } else {
                return false;
            }
            next[0]++;
            return true;
        };
    }

    private static void checkCancelled(BooleanSupplier cancelled) {
        if (cancelled != null && cancelled.getAsBoolean()) {
            throw new CancellationException("cancelled");
        }
    }
}
