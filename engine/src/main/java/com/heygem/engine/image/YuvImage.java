package com.heygem.engine.image;

/**
 * An 8-bit YUV 4:2:0 picture (I420) in one flat array: the full-resolution luma plane, then the
 * half-resolution U and V planes. This is what H.264 stores, so frames travel from decoder to
 * encoder without a colour conversion, and the luma plane is the grayscale image face
 * detection and landmarks work on.
 *
 * <p>Luma (x, y) is {@code data[y * width + x]}; chroma (x, y) of plane U is
 * {@code data[uOffset() + y * chromaWidth() + x]} for half-resolution coordinates.
 */
public final class YuvImage implements Picture {
    public byte[] data = new byte[0];
    public int width;
    public int height;

    public YuvImage() {
    }

    public YuvImage(int width, int height) {
        reshape(width, height);
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    public int chromaWidth() {
        return (width + 1) >> 1;
    }

    public int chromaHeight() {
        return (height + 1) >> 1;
    }

    public int uOffset() {
        return width * height;
    }

    public int vOffset() {
        return uOffset() + chromaWidth() * chromaHeight();
    }

    public int byteCount() {
        return vOffset() + chromaWidth() * chromaHeight();
    }

    @Override
    public YuvImage reshape(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        long needed = (long) width * height + 2L * ((width + 1) >> 1) * ((height + 1) >> 1);
        if (needed > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("image too large: " + width + "x" + height);
        }
        if (data.length < needed) {
            data = new byte[(int) needed];
        }
        return this;
    }

    @Override
    public void copyFrom(Picture src) {
        YuvImage s = (YuvImage) src;
        reshape(s.width, s.height);
        System.arraycopy(s.data, 0, data, 0, byteCount());
    }

    /** Luma 0..255 at (x, y). */
    public int luma(int x, int y) {
        return data[y * width + x] & 0xFF;
    }
}
