package com.heygem.engine.image;

/** Quarter-turn rotations of packed BGR pictures (display rotation of phone videos). */
public final class Rotate {
    private Rotate() {
    }

    /**
     * Rotates {@code src} clockwise by {@code degrees} (0, 90, 180 or 270) into {@code dst}, which
     * is reshaped to the rotated size. {@code src} and {@code dst} must be different images.
     */
    public static void clockwise(BgrImage src, int degrees, BgrImage dst) {
        if (src == dst) {
            throw new IllegalArgumentException("rotation cannot run in place");
        }
        switch (degrees) {
            case 0 -> dst.setTo(src);
            case 90 -> quarter(src, dst, true);
            case 180 -> half(src, dst);
            case 270 -> quarter(src, dst, false);
            default -> throw new IllegalArgumentException("rotation must be 0, 90, 180 or 270: " + degrees);
        }
    }

    private static void quarter(BgrImage src, BgrImage dst, boolean clockwise) {
        int w = src.width;
        int h = src.height;
        dst.reshape(h, w);
        byte[] s = src.data;
        byte[] d = dst.data;
        int dstStride = dst.stride;
        for (int y = 0; y < h; y++) {
            int si = y * src.stride;
            // Clockwise: source row y becomes destination column h-1-y, top to bottom.
            int dx = clockwise ? h - 1 - y : y;
            for (int x = 0; x < w; x++, si += 3) {
                int dy = clockwise ? x : w - 1 - x;
                int di = dy * dstStride + dx * 3;
                d[di] = s[si];
                d[di + 1] = s[si + 1];
                d[di + 2] = s[si + 2];
            }
        }
    }

    private static void half(BgrImage src, BgrImage dst) {
        int w = src.width;
        int h = src.height;
        dst.reshape(w, h);
        byte[] s = src.data;
        byte[] d = dst.data;
        for (int y = 0; y < h; y++) {
            int si = y * src.stride;
            int di = (h - 1 - y) * dst.stride + (w - 1) * 3;
            for (int x = 0; x < w; x++, si += 3, di -= 3) {
                d[di] = s[si];
                d[di + 1] = s[si + 1];
                d[di + 2] = s[si + 2];
            }
        }
    }
}
