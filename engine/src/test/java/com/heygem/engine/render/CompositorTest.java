package com.heygem.engine.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.engine.face.Landmarks;
import com.heygem.engine.face.ShapePredictor;
import com.heygem.engine.image.YuvImage;
import com.heygem.engine.quality.JawBand;
import com.heygem.engine.testing.SharedMedia;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompositorTest {
    private static final int W = 320;
    private static final int H = 240;

    @TempDir
    Path temp;

    /**
     * Two frames of a synthetic face: frame 1 is frame 0 shifted, scaled and tilted a little, its
     * chin lowered by {@code chinDrop} of the face height (an opener mouth).
     */
    private static float[] twoFaces(float chinDrop) {
        float[] mean = ShapePredictor.shared(SharedMedia.landmarkModel()).meanShape();
        float[] landmarks = new float[2 * Landmarks.VALUES];
        for (int i = 0; i < Landmarks.POINTS; i++) {
            landmarks[2 * i] = 100 + 120 * mean[2 * i];
            landmarks[2 * i + 1] = 40 + 120 * mean[2 * i + 1];
            double x = 120 * mean[2 * i] - 60;
            double y = 120 * mean[2 * i + 1] - 60;
            if (i >= 6 && i <= 10 || i >= 55 && i <= 59) {
                y += 120 * chinDrop;
            }
            double a = 0.05;
            landmarks[Landmarks.VALUES + 2 * i] = (float) (165 + 1.05 * (x * Math.cos(a) - y * Math.sin(a)));
            landmarks[Landmarks.VALUES + 2 * i + 1] = (float) (103 + 1.05 * (x * Math.sin(a) + y * Math.cos(a)));
        }
        return landmarks;
    }

    @Test
    void pixelsNeitherTheMaskNorTheChinReachStayExactlyTheBackground() {
        float[] landmarks = twoFaces(0.03f);
        YuvImage background = texture(W, H, 1);
        YuvImage source = texture(W, H, 2);
        YuvImage frame = new YuvImage();
        frame.copyFrom(background);
        try (MouthCrops crops = new MouthCrops(new boolean[] {false, true}, landmarks, W, H, temp)) {
            crops.store(1, source);
            Compositor compositor = new Compositor(landmarks, crops);
            compositor.compose(frame, 0, 1);
            Rect region = compositor.lastRegion();
            assertThat(region).isNotNull();
            Rect jaw = compositor.lastJawRegion();
            assertThat(jaw).as("a lower chin moves the background's own chin").isNotNull();
            float[] mask = compositor.lastMask();
            int changedInside = 0;
            int inside = 0;
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    boolean in = x >= region.x() && x < region.x() + region.width() && y >= region.y()
                            && y < region.y() + region.height()
                            && mask[(y - region.y()) * region.width() + x - region.x()] > 0;
                    int i = y * W + x;
                    boolean moved = x >= jaw.x() && x < jaw.x() + jaw.width() && y >= jaw.y() && y < jaw.y() + jaw.height();
                    if (!in && !moved) {
                        assertThat(frame.data[i]).as("luma at %d,%d outside the mask", x, y).isEqualTo(background.data[i]);
                    } else if (in && mask[(y - region.y()) * region.width() + x - region.x()] >= 0.5f) {
                        inside++;
                        if (frame.data[i] != background.data[i]) {
                            changedInside++;
                        }
                    }
                }
            }
            // Chroma outside the region is untouched too.
            for (int i = W * H; i < frame.byteCount(); i++) {
                int c = (i - W * H) % (W / 2 * H / 2);
                int cx = c % (W / 2) * 2;
                int cy = c / (W / 2) * 2;
                boolean inRegion = cx >= region.x() && cx < region.x() + region.width() && cy >= region.y()
                        && cy < region.y() + region.height()
                        || cx >= jaw.x() && cx < jaw.x() + jaw.width() && cy >= jaw.y() && cy < jaw.y() + jaw.height();
                if (!inRegion) {
                    assertThat(frame.data[i]).isEqualTo(background.data[i]);
                }
            }
            assertThat(inside).isGreaterThan(1000);
            assertThat(changedInside).isGreaterThan(inside * 9 / 10);
        }
    }

    /**
     * The artefact viewers noticed first: the source frame's jaw and the wall beside it pasted
     * into the background. Here the source frame is a flat wall of level 250 that the background
     * (60..200) never shows, its chin lower: the band beside the background's jaw must stay the
     * background's, and nothing of the source may appear outside the background's face.
     */
    @Test
    void theJawLineAndWhatLiesBeyondItStayTheBackgroundsOwn() {
        float[] landmarks = twoFaces(0.05f);
        // Background levels 80..160: even resampling overshoot stays far from the wall's 250.
        YuvImage background = texture(W, H, 4, 80, 80);
        YuvImage source = new YuvImage(W, H);
        java.util.Arrays.fill(source.data, 0, source.byteCount(), (byte) 250);
        YuvImage frame = new YuvImage();
        frame.copyFrom(background);
        float[] bg = java.util.Arrays.copyOf(landmarks, Landmarks.VALUES);
        try (MouthCrops crops = new MouthCrops(new boolean[] {false, true}, landmarks, W, H, temp)) {
            crops.store(1, source);
            new Compositor(landmarks, crops).compose(frame, 0, 1);
        }
        assertThat(JawBand.ghost(frame, background, bg)).isEqualTo(0.0);
        // Outside the face outline (jaw 0-16 closed over the brows), no pixel of the wall.
        java.awt.geom.Path2D.Float face = new java.awt.geom.Path2D.Float();
        face.moveTo(bg[0], bg[1]);
        for (int i = 1; i <= 26; i++) {
            int p = i <= 16 ? i : 43 - i; // jaw 0..16, then brows 26..17 back
            face.lineTo(bg[2 * p], bg[2 * p + 1]);
        }
        face.closePath();
        int changedInside = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int v = frame.data[y * W + x] & 0xFF;
                if (!face.contains(x + 0.5, y + 0.5)) {
                    assertThat(v).as("luma at %d,%d outside the face", x, y).isLessThan(205);
                } else if (v >= 205) {
                    changedInside++;
                }
            }
        }
        assertThat(changedInside).as("the mouth did come from the source").isGreaterThan(300);
    }

    @Test
    void aDissolveMixesTheOtherMouthsShapeButKeepsThePrimarysDetail() {
        float[] landmarks = twoFaces(0);
        landmarks = java.util.Arrays.copyOf(landmarks, 3 * Landmarks.VALUES);
        System.arraycopy(landmarks, Landmarks.VALUES, landmarks, 2 * Landmarks.VALUES, Landmarks.VALUES);
        YuvImage background = texture(W, H, 5);
        YuvImage detailed = texture(W, H, 6);
        // The other mouth: the same kind of texture, with a dark open mouth the colour match cannot explain away.
        YuvImage open = texture(W, H, 7);
        float mx = (landmarks[2 * 62] + landmarks[2 * 66]) / 2;
        float my = (landmarks[2 * 62 + 1] + landmarks[2 * 66 + 1]) / 2;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                if (Math.hypot(x - mx, y - my) < 12) {
                    open.data[y * W + x] = 10;
                }
            }
        }
        YuvImage plain = new YuvImage();
        YuvImage mixed = new YuvImage();
        plain.copyFrom(background);
        mixed.copyFrom(background);
        try (MouthCrops crops = new MouthCrops(new boolean[] {false, true, true}, landmarks, W, H, temp)) {
            crops.store(1, detailed);
            crops.store(2, open);
            new Compositor(landmarks, crops).compose(plain, 0, 1);
            Compositor c = new Compositor(landmarks, crops);
            c.compose(mixed, 0, 1, 2, 1f / 3, null, 0);
            Rect r = c.lastRegion();
            float[] mask = c.lastMask();
            double meanPlain = 0;
            double meanMixed = 0;
            double detailPlain = 0;
            double detailMixed = 0;
            int n = 0;
            for (int y = 1; y < r.height() - 1; y++) {
                for (int x = 1; x < r.width() - 1; x++) {
                    if (mask[y * r.width() + x] < 0.99f || Math.hypot(r.x() + x - mx, r.y() + y - my) >= 10) {
                        continue;
                    }
                    int i = (r.y() + y) * W + r.x() + x;
                    meanPlain += plain.data[i] & 0xFF;
                    meanMixed += mixed.data[i] & 0xFF;
                    detailPlain += Math.abs(laplacian(plain, i));
                    detailMixed += Math.abs(laplacian(mixed, i));
                    n++;
                }
            }
            assertThat(n).isGreaterThan(200);
            // The dark mouth pulls the level down by about a third of the way (130 -> 10)...
            assertThat((meanPlain - meanMixed) / n).isBetween(20.0, 50.0);
            // ...but a plain cross-dissolve would have cut the detail to 2/3; the coarse mix keeps it.
            assertThat(detailMixed / detailPlain).isGreaterThan(0.9);
        }
    }

    private static int laplacian(YuvImage img, int i) {
        return 4 * (img.data[i] & 0xFF) - (img.data[i - 1] & 0xFF) - (img.data[i + 1] & 0xFF)
                - (img.data[i - img.width] & 0xFF) - (img.data[i + img.width] & 0xFF);
    }

    @Test
    void theBackgroundsOwnMouthLeavesTheFrameUntouched() {
        float[] landmarks = new float[Landmarks.VALUES];
        YuvImage background = texture(W, H, 3);
        YuvImage frame = new YuvImage();
        frame.copyFrom(background);
        try (MouthCrops crops = new MouthCrops(new boolean[] {false}, landmarks, W, H, temp)) {
            new Compositor(landmarks, crops).compose(frame, 0, 0);
            new Compositor(landmarks, crops).compose(frame, 0, -1);
        }
        assertThat(frame.data).isEqualTo(background.data);
    }

    private static YuvImage texture(int w, int h, long seed) {
        return texture(w, h, seed, 60, 140);
    }

    private static YuvImage texture(int w, int h, long seed, int low, int range) {
        YuvImage img = new YuvImage(w, h);
        Random r = new Random(seed);
        for (int i = 0; i < img.byteCount(); i++) {
            img.data[i] = (byte) (low + r.nextInt(range));
        }
        return img;
    }
}
