package com.heygem.engine.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PyramidTest {
    private static float[] noise(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * 40);
        }
        return a;
    }

    /** Full weight everywhere: every band passes whole, so the collapse rebuilds the input exactly. */
    @Test
    void fullWeightReconstructsTheDifferenceExactly() {
        for (int[] size : new int[][] {{64, 48}, {67, 45}, {120, 100}}) {
            int w = size[0];
            int h = size[1];
            float[] diff = noise(w * h, w);
            float[] expected = diff.clone();
            float[] ones = new float[w * h];
            java.util.Arrays.fill(ones, 1f);
            float[] half = new float[(w / 2) * (h / 2)];
            java.util.Arrays.fill(half, 1f);
            new Pyramid().blend(diff, ones, (w & 1) == 0 && (h & 1) == 0 ? half : null, w, h);
            for (int i = 0; i < w * h; i++) {
                assertThat(diff[i]).as("%dx%d pixel %d", w, h, i).isCloseTo(expected[i], within(1e-3f));
            }
        }
    }

    @Test
    void zeroWeightGivesNoChangeAndAStepMaskGivesASmoothTransition() {
        int w = 96;
        int h = 64;
        float[] diff = noise(w * h, 1);
        new Pyramid().blend(diff, new float[w * h], null, w, h);
        for (float v : diff) {
            assertThat(v).isZero();
        }
        // A constant difference under a left/right step: full on the right, none on the far left,
        // and no overshoot in between.
        float[] constant = new float[w * h];
        float[] step = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                constant[y * w + x] = 10;
                step[y * w + x] = x >= w / 2 ? 1 : 0;
            }
        }
        new Pyramid().blend(constant, step, null, w, h);
        int mid = (h / 2) * w;
        assertThat(constant[mid + w - 1]).isCloseTo(10f, within(0.5f));
        assertThat(constant[mid]).isCloseTo(0f, within(0.5f));
        for (int x = 1; x < w; x++) {
            assertThat(constant[mid + x]).isBetween(-0.01f, 10.01f);
            assertThat(constant[mid + x]).isGreaterThanOrEqualTo(constant[mid + x - 1] - 0.01f);
        }
    }
}
