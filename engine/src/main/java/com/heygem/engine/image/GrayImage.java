package com.heygem.engine.image;

/**
 * An 8-bit single-channel view over a flat array: {@code data[offset + y * stride + x]}. A view
 * costs nothing, so the luma plane of a {@link YuvImage} is used as it is, without a copy.
 */
public final class GrayImage {
    public byte[] data;
    public int offset;
    public int stride;
    public int width;
    public int height;

    public GrayImage() {
        this(new byte[0], 0, 0, 0, 0);
    }

    public GrayImage(byte[] data, int offset, int stride, int width, int height) {
        this.data = data;
        this.offset = offset;
        this.stride = stride;
        this.width = width;
        this.height = height;
    }

    public GrayImage(int width, int height) {
        this(new byte[width * height], 0, width, width, height);
    }

    /** Points this view at the luma plane of {@code frame}. */
    public GrayImage wrapLuma(YuvImage frame) {
        this.data = frame.data;
        this.offset = 0;
        this.stride = frame.width;
        this.width = frame.width;
        this.height = frame.height;
        return this;
    }

    /** Intensity 0..255 at (x, y); no bounds check. */
    public int get(int x, int y) {
        return data[offset + y * stride + x] & 0xFF;
    }

    /** The intensity dlib's predictor reads from an RGB pixel: the plain mean of the three channels. */
    public static GrayImage fromBgrMean(BgrImage bgr) {
        GrayImage out = new GrayImage(bgr.width, bgr.height);
        for (int y = 0; y < bgr.height; y++) {
            int src = y * bgr.stride;
            int dst = y * bgr.width;
            for (int x = 0; x < bgr.width; x++, src += 3) {
                int sum = (bgr.data[src] & 0xFF) + (bgr.data[src + 1] & 0xFF) + (bgr.data[src + 2] & 0xFF);
                out.data[dst + x] = (byte) (sum / 3);
            }
        }
        return out;
    }
}
