package com.heygem.engine.image;

/**
 * A packed 8-bit BGR picture in one flat array: pixel (x, y) channel c is at
 * {@code data[y * stride + x * 3 + c]}. Buffers are reused frame after frame; {@link #reshape}
 * only allocates when the picture grows.
 */
public final class BgrImage implements Picture {
    public byte[] data;
    public int width;
    public int height;
    /** Bytes per row; {@code width * 3} for images made here. */
    public int stride;

    public BgrImage() {
        this.data = new byte[0];
    }

    public BgrImage(int width, int height) {
        this();
        reshape(width, height);
    }

    @Override
    public BgrImage reshape(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        int needed = Math.multiplyExact(Math.multiplyExact(width, height), 3);
        if (data.length < needed) {
            data = new byte[needed];
        }
        this.width = width;
        this.height = height;
        this.stride = width * 3;
        return this;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public void copyFrom(Picture src) {
        setTo((BgrImage) src);
    }

    public int byteCount() {
        return height * stride;
    }

    /** Copies size and pixels from {@code src}. */
    public void setTo(BgrImage src) {
        reshape(src.width, src.height);
        if (src.stride == stride) {
            System.arraycopy(src.data, 0, data, 0, byteCount());
        } else {
            int row = width * 3;
            for (int y = 0; y < height; y++) {
                System.arraycopy(src.data, y * src.stride, data, y * stride, row);
            }
        }
    }

    /** Channel {@code c} (0 = blue, 1 = green, 2 = red) of pixel (x, y), 0..255. */
    public int get(int x, int y, int c) {
        return data[y * stride + x * 3 + c] & 0xFF;
    }
}
