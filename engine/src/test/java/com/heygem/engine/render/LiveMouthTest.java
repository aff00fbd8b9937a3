package com.heygem.engine.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.engine.image.YuvImage;
import com.heygem.engine.media.AudioClip;
import com.heygem.engine.media.AudioReader;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.sync.MouthSpace;
import com.heygem.engine.sync.PlanReading;
import com.heygem.engine.sync.RenderPlan;
import com.heygem.engine.sync.SyncJudge;
import com.heygem.engine.sync.UnitSelector;
import com.heygem.engine.template.TemplateAnalyzer;
import com.heygem.engine.template.TemplateProfile;
import com.heygem.engine.testing.SharedMedia;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live render plans a third of a second at a time, yet its mouths follow the speech as a render
 * of the whole recording does: read by the sync judge, on time and about as close a match.
 */
class LiveMouthTest {
    @TempDir
    Path temp;

    @Test
    void blockByBlockTheMouthFollowsTheSpeechAsAWholeRenderDoes() throws Exception {
        Path template = SharedMedia.template("woman_blue_700.mp4");
        Path speechFile = SharedMedia.audio("en_jfk_11s.flac");
        TemplateAnalyzer analyzer = new TemplateAnalyzer(new TemplateAnalyzer.Settings(SharedMedia.landmarkModel(),
                temp.resolve("data"), MediaLimits.DEFAULT, TemplateAnalyzer.Settings.DEFAULT_MIN_FACE_SIDE));
        TemplateProfile profile = analyzer.analyze(template, f -> { }, () -> false).profile();
        LipSyncRenderer.Settings settings = LipSyncRenderer.Settings.defaults(temp.resolve("tmp"));
        LipSyncRenderer whole = new LipSyncRenderer(settings);
        Speech speech = Speech.load(speechFile, MediaLimits.DEFAULT);
        SyncJudge judge = SyncJudge.shipped();

        MouthSpace space = new MouthSpace(profile);
        var calibration = com.heygem.engine.sync.Calibration.of(profile, space, whole.templateSpeech(profile, template), null);
        RenderPlan plan = whole.plan(profile, space, calibration, speech, UnitSelector.allFaces(profile),
                settings.leadSeconds());
        SyncJudge.Reading batch = PlanReading.of(judge, profile, plan, speech.features());

        AudioClip clip = AudioReader.readForAnalysis(speechFile, MediaLimits.DEFAULT);
        int frames = plan.length();
        int[] background = new int[frames];
        int[] source = new int[frames];
        int done = 0;
        try (LiveRenderer live = new LiveRenderer(profile, template, whole.templateSpeech(profile, template), settings)) {
            int block = live.blockFrames();
            YuvImage[] out = new YuvImage[block];
            for (int i = 0; i < block; i++) {
                out[i] = new YuvImage(live.width(), live.height());
            }
            for (int first = 0; first + block <= frames; first += block) {
                RenderPlan b = live.render(clip.samples(), clip.frames(), clip.sampleRate(), 0, first, block, out);
                System.arraycopy(b.source(), 0, source, first, block);
                System.arraycopy(b.background(), 0, background, first, block);
                done = first + block;
            }
        }
        RenderPlan blocks = new RenderPlan(Arrays.copyOf(background, done), Arrays.copyOf(source, done), profile.summary().fps(),
                0, 0);
        SyncJudge.Reading liveReading = PlanReading.of(judge, profile, blocks, speech.features());
        assertThat(Math.abs(liveReading.offsetFrames() - batch.offsetFrames())).as("live " + liveReading.offsetFrames()
                + " against the whole render " + batch.offsetFrames()).isLessThanOrEqualTo(1);
        assertThat(liveReading.confidence()).as("live match against the whole render's " + batch.confidence())
                .isGreaterThan(batch.confidence() - 0.1);
    }
}
