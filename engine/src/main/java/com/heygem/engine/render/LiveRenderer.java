package com.heygem.engine.render;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.image.YuvImage;
import com.heygem.engine.media.LoopMode;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.media.Timeline;
import com.heygem.engine.media.VideoReader;
import com.heygem.engine.speech.SpeechAnalyzer;
import com.heygem.engine.speech.SpeechFeatures;
import com.heygem.engine.sync.AudioContext;
import com.heygem.engine.sync.Calibration;
import com.heygem.engine.sync.MouthSpace;
import com.heygem.engine.sync.RenderPlan;
import com.heygem.engine.sync.UnitSelector;
import com.heygem.engine.template.TemplateProfile;
import com.heygem.engine.template.TurnPoints;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Lip-syncs a template to sound that arrives while it is spoken: the output is made block after
 * block ({@link #BLOCK_SECONDS} of frames), each planned as soon as the sound it needs is in,
 * that is the block's own sound and {@link #LOOKAHEAD_SECONDS} after it (the audio context the
 * mouth model reads). Each block's mouth choice goes on from where the last one left it
 * ({@link UnitSelector.Carry}): no jump and no run cut short at a block's start. This fixed-lag
 * selection replaces the whole-utterance search of {@link LipSyncRenderer}, which needs the end
 * of the sound before it can show its first frame.
 *
 * <p>The template is decoded once at the start: every frame is kept on disk (any frame can be
 * the background as the template loops) with the mouths the plan can use. The background
 * follows the template's own timeline (turning at still moments) for an hour, then starts over.
 * Not thread-safe: one caller renders block after block.
 */
public final class LiveRenderer implements AutoCloseable {
    /** Output made at once: 8 frames at 25 fps. Shorter blocks lower the latency and cost more planning. */
    public static final double BLOCK_SECONDS = 0.32;
    /** Sound the plan of a frame reads after its instant (the mouth model's context, and the lead). */
    public static final double LOOKAHEAD_SECONDS = AudioContext.CONTEXT_SECONDS + AudioContext.TAP_SECONDS
            + LipSyncRenderer.Settings.DEFAULT_LEAD_SECONDS;
    /** Sound analysed for each block: its levels are judged against the last few seconds. */
    static final double WINDOW_SECONDS = 6;
    /** The background timeline made in advance; it starts over after this. */
    static final double TIMELINE_SECONDS = 3600;

    private final TemplateProfile profile;
    private final MouthSpace space;
    private final Calibration calibration;
    private final UnitSelector selector;
    private final SlotFile frames;
    private final MouthCrops crops;
    private final Compositor compositor;
    private final Timeline timeline;
    private final double fps;
    private final int width;
    private final int height;
    private final double lead;
    private UnitSelector.Carry carry;

    /**
     * Decodes the template once, keeping every frame and the mouths of the frames with a face.
     *
     * @param templateSpeech the template's own speech (its calibration), or null
     */
    public LiveRenderer(TemplateProfile profile, Path template, SpeechFeatures templateSpeech,
            LipSyncRenderer.Settings settings) {
        this.profile = profile;
        TemplateProfile.Summary summary = profile.summary();
        this.fps = summary.fps();
        this.width = summary.width();
        this.height = summary.height();
        this.lead = settings.leadSeconds();
        this.space = new MouthSpace(profile);
        this.calibration = Calibration.of(profile, space, templateSpeech, null);
        boolean[] library = UnitSelector.allFaces(profile);
        this.selector = new UnitSelector(profile, space, library);
        this.timeline = TurnPoints.timeline(profile, TIMELINE_SECONDS, settings.loop() == null ? LoopMode.PING_PONG
                : settings.loop());
        int n = profile.frames();
        SlotFile slots = new SlotFile(settings.tempDir(), "heygem-live-", new YuvImage(width, height).byteCount());
        MouthCrops mouths = null;
        try {
            mouths = new MouthCrops(library, profile.landmarks(), width, height, settings.tempDir());
            decodeAll(template, settings.limits(), slots, mouths, library, n);
        } catch (RuntimeException e) {
            slots.close();
            if (mouths != null) {
                mouths.close();
            }
            throw e;
        }
        this.frames = slots;
        this.crops = mouths;
        this.compositor = new Compositor(profile.landmarks(), crops);
    }

    private static void decodeAll(Path template, MediaLimits limits, SlotFile slots, MouthCrops mouths, boolean[] library,
            int n) {
        YuvImage frame = new YuvImage();
        int f = 0;
        try (VideoReader reader = VideoReader.open(template, limits, 0)) {
            while (f < n && reader.read(frame)) {
                slots.write(f, frame.data, frame.byteCount());
                if (library[f]) {
                    mouths.store(f, frame);
                }
                f++;
            }
        }
        if (f < n) {
            throw new HeyGemException(ErrorCode.CORRUPT_MEDIA, template.getFileName(),
                    "it has fewer frames (" + f + ") than when it was analysed");
        }
    }

    public double fps() {
        return fps;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Output frames in one block. */
    public int blockFrames() {
        return Math.max(1, (int) Math.round(BLOCK_SECONDS * fps));
    }

    /**
     * The sound (mono, {@code rate} Hz) up to which block {@code first} .. {@code first + count}
     * can be planned: its last frame's instant plus the lookahead, in seconds of output time.
     */
    public double soundNeeded(int first, int count) {
        return (first + count) / fps + LOOKAHEAD_SECONDS;
    }

    /**
     * Renders output frames {@code first} .. {@code first + count - 1}.
     *
     * @param sound      mono samples; {@code sound[0]} is at output time {@code soundStart} seconds
     * @param length     samples in {@code sound}, reaching at least {@link #soundNeeded}
     * @param out        receives the frames, {@code count} of them (reshaped as needed)
     * @return the block's plan (for statistics)
     */
    public RenderPlan render(float[] sound, int length, int rate, double soundStart, int first, int count,
            YuvImage[] out) {
        double end = Math.min(soundStart + length / (double) rate, soundNeeded(first, count));
        double from = Math.max(soundStart, end - WINDOW_SECONDS);
        int offset = (int) Math.round((from - soundStart) * rate);
        int samples = Math.max(0, Math.min(length - offset, (int) Math.round((end - from) * rate)));
        // The caller usually hands exactly the window (offset 0): no copy then.
        SpeechFeatures features = SpeechAnalyzer.analyze(offset == 0 ? sound
                : Arrays.copyOfRange(sound, offset, offset + samples), samples, rate);
        // The mouth model ranks each frame's expected opening among the speech it is given: given the
        // block alone (a third of a second), every block would span the whole range, a murmur as wide
        // open as a shout. It is given every frame whose sound the window holds, and the block is the end.
        int since = Math.max(0, Math.min(first, (int) Math.ceil((from - lead) * fps)));
        int span = first + count - since;
        AudioContext audio = AudioContext.of(features, span, fps, since / fps + lead - from);
        int skip = span - count;
        float[] targets = Arrays.copyOfRange(calibration.targets(audio, space), skip * MouthSpace.D, span * MouthSpace.D);
        boolean[] silent = new boolean[count];
        int[] background = new int[count];
        for (int t = 0; t < count; t++) {
            silent[t] = audio.silent(skip + t);
            background[t] = timeline.sourceFrame((first + t) % timeline.length());
        }
        RenderPlan plan = selector.select(targets, calibration.model().weights(), silent, background, fps, carry);
        carry = UnitSelector.Carry.after(plan, carry);
        ChinPath chin = ChinPath.of(plan, profile.landmarks(), profile.cutBefore());
        for (int t = 0; t < count; t++) {
            YuvImage frame = out[t];
            frame.reshape(width, height);
            frames.read(plan.background()[t], frame.data, frame.byteCount());
            compositor.compose(frame, plan.background()[t], plan.source()[t], plan.fade()[t], plan.fadeWeight()[t],
                    chin, t);
        }
        return plan;
    }

    @Override
    public void close() {
        try {
            frames.close();
        } finally {
            crops.close();
        }
    }
}
