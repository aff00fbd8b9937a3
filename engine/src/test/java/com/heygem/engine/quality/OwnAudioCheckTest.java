package com.heygem.engine.quality;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.engine.face.Landmarks;
import com.heygem.engine.template.MouthDescriptor;
import com.heygem.engine.template.TemplateProfile;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OwnAudioCheckTest {
    static final int N = 300;

    /** A face whose inner opening is {@code opening}, one value per frame. */
    private static TemplateProfile profile(float[] opening) {
        int d = MouthDescriptor.SIZE;
        boolean[] present = new boolean[N];
        Arrays.fill(present, true);
        float[] mouth = new float[N * d];
        for (int f = 0; f < N; f++) {
            mouth[f * d + MouthDescriptor.INNER_OPEN] = opening[f];
        }
        TemplateProfile.Summary summary = new TemplateProfile.Summary("t.mp4", 400, 400, 25, N, N / 25.0, true, 0.8, 1,
                200, 1, new float[d], new float[d], 0, 0, 0, 0, List.of());
        return new TemplateProfile("h", present, new float[N * Landmarks.VALUES], new float[N * 4], mouth, new float[N],
                new float[N], new boolean[N], new boolean[N], summary, null);
    }

    /** Syllable-like openings: smoothed random bursts. */
    private static float[] speechLike(long seed) {
        Random r = new Random(seed);
        float[] raw = new float[N + 20];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = r.nextFloat() < 0.3f ? 10 * r.nextFloat() : 0;
        }
        float[] out = new float[N + 20];
        for (int i = 2; i < raw.length - 2; i++) {
            out[i] = (raw[i - 2] + 2 * raw[i - 1] + 3 * raw[i] + 2 * raw[i + 1] + raw[i + 2]) / 9;
        }
        return out;
    }

    @Test
    void aRenderedMouthTwoFramesAheadOfTheRealOneReadsPlusTwo() {
        float[] signal = speechLike(11);
        float[] real = Arrays.copyOfRange(signal, 5, 5 + N);
        float[] early = Arrays.copyOfRange(signal, 7, 7 + N); // frame t shows what the real mouth does at t + 2
        OwnAudioCheck.Result r = OwnAudioCheck.compare(profile(early), profile(real));
        assertThat(r.offsetFrames()).isEqualTo(2);
        assertThat(r.correlation()).isGreaterThan(0.95);
        assertThat(r.frames()).isEqualTo(N);
    }

    @Test
    void slowPhraseLevelOpeningDoesNotOutweighTheSyllables() {
        float[] signal = speechLike(13);
        float[] real = Arrays.copyOfRange(signal, 5, 5 + N);
        float[] early = Arrays.copyOfRange(signal, 7, 7 + N);
        // Both mouths also open and close slowly with the phrases (larger than the syllables), the
        // rendered one 5 frames behind: the timing of the syllables is what is read.
        for (int t = 0; t < N; t++) {
            real[t] += 12 * (float) Math.sin(2 * Math.PI * t / 60.0);
            early[t] += 12 * (float) Math.sin(2 * Math.PI * (t - 5) / 60.0);
        }
        assertThat(OwnAudioCheck.compare(profile(early), profile(real)).offsetFrames()).isEqualTo(2);
    }

    @Test
    void aLateMouthReadsNegative() {
        float[] signal = speechLike(12);
        float[] real = Arrays.copyOfRange(signal, 8, 8 + N);
        float[] late = Arrays.copyOfRange(signal, 5, 5 + N);
        assertThat(OwnAudioCheck.compare(profile(late), profile(real)).offsetFrames()).isEqualTo(-3);
    }
}
