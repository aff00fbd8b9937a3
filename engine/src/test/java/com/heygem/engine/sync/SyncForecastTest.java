package com.heygem.engine.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.template.TemplateAnalyzer;
import com.heygem.engine.template.TemplateProfile;
import com.heygem.engine.testing.SharedMedia;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncForecastTest {
    @TempDir
    Path dir;

    @Test
    void aTemplateWhoseMouthMovesCanFollowSpeechAndOneWithAStillMouthCannot() {
        TemplateAnalyzer analyzer = new TemplateAnalyzer(new TemplateAnalyzer.Settings(SharedMedia.landmarkModel(), dir,
                MediaLimits.DEFAULT, TemplateAnalyzer.Settings.DEFAULT_MIN_FACE_SIDE));
        TemplateProfile p = analyzer.analyze(SharedMedia.template("woman_blue_700.mp4"), f -> { }, () -> false).profile();
        double fidelity = SyncForecast.fidelity(p);
        assertThat(fidelity).as("a talking presenter's mouths follow the speech asked for").isBetween(0.8, 1.0);
        assertThat(SyncForecast.fidelity(p)).as("the same every time").isEqualTo(fidelity);

        // The same template with one mouth shape in every frame: nothing it places follows the speech.
        float[] still = p.mouth().clone();
        int d = MouthSpace.D;
        for (int f = 1; f < p.frames(); f++) {
            System.arraycopy(still, 0, still, f * d, d);
        }
        TemplateProfile frozen = new TemplateProfile(p.contentHash(), p.facePresent(), p.landmarks(), p.transforms(),
                still, p.eyeAspect(), p.yaw(), p.cutBefore(), p.mouthCovered(), p.summary(), p.ownSpeech());
        assertThat(SyncForecast.fidelity(frozen)).isLessThan(0.1);
    }

    @Test
    void pseudoSpeechHasSyllablesAndPauses() {
        float[] opening = new float[30 * 25];
        boolean[] silent = new boolean[opening.length];
        SyncForecast.pseudoSpeech(opening, silent, 25);
        int quiet = 0;
        for (boolean s : silent) {
            quiet += s ? 1 : 0;
        }
        assertThat(quiet).as("pauses").isBetween(opening.length / 20, opening.length / 3);
        int peaks = 0;
        for (int t = 1; t + 1 < opening.length; t++) {
            peaks += opening[t] > opening[t - 1] && opening[t] >= opening[t + 1] ? 1 : 0;
        }
        assertThat(peaks).as("syllables in 30 s").isBetween(70, 160);
    }
}
