package com.heygem.engine.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.engine.image.YuvImage;
import org.junit.jupiter.api.Test;

class CutDetectorTest {
    private static final int W = 160;
    private static final int H = 90;

    /** A soft blob on a gradient at (cx, cy): something like a head in front of a wall. */
    private static YuvImage scene(double cx, double cy, int wall) {
        YuvImage img = new YuvImage(W, H);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double d = Math.hypot(x - cx, y - cy);
                double v = wall + x * 0.3 + (d < 25 ? 90 * (1 - d / 25) : 0);
                img.data[y * W + x] = (byte) Math.min(255, (int) v);
            }
        }
        return img;
    }

    @Test
    void aJumpCutInSmoothMotionIsFoundThereOnly() {
        CutDetector d = new CutDetector();
        for (int f = 0; f < 60; f++) {
            // Slow sway; at frame 30 the head jumps 12 px, as when 1.5 s are cut out.
            double x = 70 + 3 * Math.sin(f / 6.0) + (f >= 30 ? 12 : 0);
            assertThat(d.next(scene(x, 45, 60))).as("hard cut at %d", f).isNotEqualTo(CutDetector.Verdict.CUT);
        }
        boolean[] cuts = d.cuts();
        for (int f = 0; f < 60; f++) {
            assertThat(cuts[f]).as("frame %d", f).isEqualTo(f == 30);
        }
    }

    @Test
    void motionStartingAfterAStillMomentIsNoCut() {
        CutDetector d = new CutDetector();
        for (int f = 0; f < 60; f++) {
            double x = f < 30 ? 60 : 60 + 2.5 * (f - 30); // still, then walking
            d.next(scene(x, 45, 60));
        }
        for (boolean c : d.cuts()) {
            assertThat(c).isFalse();
        }
    }

    @Test
    void anotherShotIsKnownAtOnce() {
        CutDetector d = new CutDetector();
        for (int f = 0; f < 10; f++) {
            assertThat(d.next(scene(60, 45, 40))).isEqualTo(CutDetector.Verdict.SAME_SHOT);
        }
        assertThat(d.next(scene(110, 30, 140))).isEqualTo(CutDetector.Verdict.CUT);
        assertThat(d.cuts()[10]).isTrue();
    }
}
