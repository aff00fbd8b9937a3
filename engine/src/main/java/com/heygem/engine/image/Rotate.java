package com.heygem.engine.image;

/** Quarter-turn rotations (display rotation of phone videos). */
public final class Rotate {
    private Rotate() {
    }

    /**
     * Rotates {@code src} clockwise by {@code degrees} (0, 90, 180 or 270) into {@code dst}, which
     * is reshaped to the rotated size. {@code src} and {@code dst} must be different images.
     */
    public static void clockwise(BgrImage src, int degrees, BgrImage dst) {
        check(src, dst, degrees);
        boolean swap = degrees == 90 || degrees == 270;
        dst.reshape(swap ? src.height : src.width, swap ? src.width : src.height);
        plane(src.data, 0, src.stride, src.width, src.height, 3, dst.data, 0, dst.stride, degrees);
    }

    /** The same for I420: each plane turns on its own. */
    public static void clockwise(YuvImage src, int degrees, YuvImage dst) {
        check(src, dst, degrees);
        boolean swap = degrees == 90 || degrees == 270;
        dst.reshape(swap ? src.height : src.width, swap ? src.width : src.height);
        plane(src.data, 0, src.width, src.width, src.height, 1, dst.data, 0, dst.width, degrees);
        int cw = src.chromaWidth();
        int ch = src.chromaHeight();
        plane(src.data, src.uOffset(), cw, cw, ch, 1, dst.data, dst.uOffset(), dst.chromaWidth(), degrees);
        plane(src.data, src.vOffset(), cw, cw, ch, 1, dst.data, dst.vOffset(), dst.chromaWidth(), degrees);
    }

    private static void check(Picture src, Picture dst, int degrees) {
        if (src == dst) {
            throw new IllegalArgumentException("rotation cannot run in place");
        }
        if (degrees != 0 && degrees != 90 && degrees != 180 && degrees != 270) {
            throw new IllegalArgumentException("rotation must be 0, 90, 180 or 270: " + degrees);
        }
    }

    /**
     * Rotates one plane of {@code w x h} pixels of {@code bpp} bytes each. Destination pixel
     * (dx, dy) for source (x, y): 90° gives (h-1-y, x), 180° gives (w-1-x, h-1-y), 270° gives (y, w-1-x).
     */
    static void plane(byte[] s, int sOff, int sStride, int w, int h, int bpp,
            byte[] d, int dOff, int dStride, int degrees) {
        for (int y = 0; y < h; y++) {
            int si = sOff + y * sStride;
            for (int x = 0; x < w; x++, si += bpp) {
                int dx;
                int dy;
                switch (degrees) {
                    case 90 -> {
                        dx = h - 1 - y;
                        dy = x;
                    }
                    case 180 -> {
                        dx = w - 1 - x;
                        dy = h - 1 - y;
                    }
                    case 270 -> {
                        dx = y;
                        dy = w - 1 - x;
                    }
                    default -> {
                        dx = x;
                        dy = y;
                    }
                }
                int di = dOff + dy * dStride + dx * bpp;
                for (int c = 0; c < bpp; c++) {
                    d[di + c] = s[si + c];
                }
            }
        }
    }
}
