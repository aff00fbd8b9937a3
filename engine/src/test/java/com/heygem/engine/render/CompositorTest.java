package com.heygem.engine.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.engine.face.Landmarks;
import com.heygem.engine.face.ShapePredictor;
import com.heygem.engine.image.YuvImage;
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

    @Test
    void pixelsOutsideTheMaskStayExactlyTheBackground() {
        float[] mean = ShapePredictor.shared(SharedMedia.landmarkModel()).meanShape();
        // Two frames of a synthetic face: the source is shifted, scaled and tilted a little.
        float[] landmarks = new float[2 * Landmarks.VALUES];
        for (int i = 0; i < Landmarks.POINTS; i++) {
            landmarks[2 * i] = 100 + 120 * mean[2 * i];
            landmarks[2 * i + 1] = 40 + 120 * mean[2 * i + 1];
            double x = 120 * mean[2 * i] - 60;
            double y = 120 * mean[2 * i + 1] - 60;
            double a = 0.05;
            landmarks[Landmarks.VALUES + 2 * i] = (float) (165 + 1.05 * (x * Math.cos(a) - y * Math.sin(a)));
            landmarks[Landmarks.VALUES + 2 * i + 1] = (float) (103 + 1.05 * (x * Math.sin(a) + y * Math.cos(a)));
        }
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
            float[] mask = compositor.lastMask();
            int changedInside = 0;
            int inside = 0;
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    boolean in = x >= region.x() && x < region.x() + region.width() && y >= region.y()
                            && y < region.y() + region.height()
                            && mask[(y - region.y()) * region.width() + x - region.x()] > 0;
                    int i = y * W + x;
                    if (!in) {
                        assertThat(frame.data[i]).as("luma at %d,%d outside the mask", x, y).isEqualTo(background.data[i]);
                    } else {
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
                        && cy < region.y() + region.height();
                if (!inRegion) {
                    assertThat(frame.data[i]).isEqualTo(background.data[i]);
                }
            }
            assertThat(inside).isGreaterThan(1000);
            assertThat(changedInside).isGreaterThan(inside / 2);
        }
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
        YuvImage img = new YuvImage(w, h);
        Random r = new Random(seed);
        for (int i = 0; i < img.byteCount(); i++) {
            img.data[i] = (byte) (60 + r.nextInt(140));
        }
        return img;
    }
}
