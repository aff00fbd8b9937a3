package com.heygem.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RotateTest {
    private static final Random RANDOM = new Random(7);

    @Test
    void quarterTurnMatchesTheDefinition() {
        BgrImage src = random(5, 3);
        BgrImage dst = new BgrImage();
        Rotate.clockwise(src, 90, dst);
        assertThat(dst.width).isEqualTo(3);
        assertThat(dst.height).isEqualTo(5);
        // Clockwise: the bottom-left source pixel lands top-left.
        for (int y = 0; y < src.height; y++) {
            for (int x = 0; x < src.width; x++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(dst.get(src.height - 1 - y, x, c)).isEqualTo(src.get(x, y, c));
                }
            }
        }
    }

    @Test
    void fourQuarterTurnsAndTwoHalfTurnsAreIdentity() {
        BgrImage src = random(7, 4);
        BgrImage a = new BgrImage();
        BgrImage b = new BgrImage();
        Rotate.clockwise(src, 90, a);
        Rotate.clockwise(a, 90, b);
        Rotate.clockwise(b, 90, a);
        Rotate.clockwise(a, 90, b);
        assertThat(b.data).startsWith(java.util.Arrays.copyOf(src.data, src.byteCount()));
        Rotate.clockwise(src, 180, a);
        Rotate.clockwise(a, 180, b);
        assertThat(b.data).startsWith(java.util.Arrays.copyOf(src.data, src.byteCount()));
        Rotate.clockwise(src, 90, a);
        Rotate.clockwise(a, 270, b);
        assertThat(b.data).startsWith(java.util.Arrays.copyOf(src.data, src.byteCount()));
    }

    @Test
    void yuvOddSizesKeepChromaInStep() {
        YuvImage src = new YuvImage(5, 3);
        RANDOM.nextBytes(src.data);
        YuvImage a = new YuvImage();
        YuvImage b = new YuvImage();
        Rotate.clockwise(src, 270, a);
        assertThat(a.width).isEqualTo(3);
        assertThat(a.height).isEqualTo(5);
        assertThat(a.chromaWidth()).isEqualTo(src.chromaHeight());
        Rotate.clockwise(a, 90, b);
        assertThat(java.util.Arrays.copyOf(b.data, b.byteCount())).isEqualTo(java.util.Arrays.copyOf(src.data, src.byteCount()));
    }

    private static BgrImage random(int w, int h) {
        BgrImage img = new BgrImage(w, h);
        RANDOM.nextBytes(img.data);
        return img;
    }
}
