package com.heygem.engine.quality;

import static org.assertj.core.api.Assertions.assertThat;

import com.heygem.engine.face.Landmarks;
import com.heygem.engine.face.ShapePredictor;
import com.heygem.engine.image.YuvImage;
import com.heygem.engine.testing.SharedMedia;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JawBandTest {
    private static final int W = 320;
    private static final int H = 260;

    private static float[] face() {
        float[] mean = ShapePredictor.shared(SharedMedia.landmarkModel()).meanShape();
        float[] p = new float[Landmarks.VALUES];
        for (int i = 0; i < Landmarks.POINTS; i++) {
            p[2 * i] = 90 + 140 * mean[2 * i];
            p[2 * i + 1] = 40 + 140 * mean[2 * i + 1];
        }
        return p;
    }

    private static YuvImage texture() {
        YuvImage img = new YuvImage(W, H);
        Random r = new Random(3);
        for (int i = 0; i < img.byteCount(); i++) {
            img.data[i] = (byte) (90 + r.nextInt(60));
        }
        return img;
    }

    /** Paints a disc of level 250 of radius {@code radius} at (x, y). */
    private static void paint(YuvImage img, float x, float y, float radius) {
        for (int yy = 0; yy < H; yy++) {
            for (int xx = 0; xx < W; xx++) {
                if (Math.hypot(xx - x, yy - y) < radius) {
                    img.data[yy * W + xx] = (byte) 250;
                }
            }
        }
    }

    @Test
    void anUntouchedFrameHasNoGhost() {
        YuvImage t = texture();
        YuvImage o = new YuvImage();
        o.copyFrom(t);
        assertThat(JawBand.ghost(o, t, face())).isZero();
    }

    @Test
    void somethingPastedJustOutsideTheJawIsGhost() {
        float[] p = face();
        YuvImage t = texture();
        YuvImage o = new YuvImage();
        o.copyFrom(t);
        // Just outside jaw point 3, away from the face's middle.
        float mx = (Landmarks.x(p, 27) + Landmarks.x(p, 8)) / 2;
        float x = Landmarks.x(p, 3) + (Landmarks.x(p, 3) - mx) * 0.08f;
        paint(o, x, Landmarks.y(p, 3), 6);
        double ghost = JawBand.ghost(o, t, p);
        assertThat(ghost).isBetween(0.02, 0.5);
    }

    @Test
    void changesInsideTheFaceAreNotGhost() {
        float[] p = face();
        YuvImage t = texture();
        YuvImage o = new YuvImage();
        o.copyFrom(t);
        // The whole mouth and chin area may change: it is the lip sync's to change.
        paint(o, Landmarks.x(p, 62), Landmarks.y(p, 62), (float) Landmarks.distance(p, 62, 8) * 0.9f);
        assertThat(JawBand.ghost(o, t, p)).isZero();
    }
}
