package com.heygem.engine.render;

/** An axis-aligned pixel rectangle with even origin and size, so chroma planes split it exactly. */
record Rect(int x, int y, int width, int height) {

    /** The even-aligned box around {@code points} grown by {@code margin}, clipped to the image. */
    static Rect around(float[] points, int count, float marginX, float marginTop, float marginBottom,
            int imageWidth, int imageHeight) {
        float minX = Float.MAX_VALUE;
        float minY = Float.MAX_VALUE;
        float maxX = -Float.MAX_VALUE;
        float maxY = -Float.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            minX = Math.min(minX, points[2 * i]);
            maxX = Math.max(maxX, points[2 * i]);
            minY = Math.min(minY, points[2 * i + 1]);
            maxY = Math.max(maxY, points[2 * i + 1]);
        }
        int x0 = Math.max(0, (int) Math.floor(minX - marginX)) & ~1;
        int y0 = Math.max(0, (int) Math.floor(minY - marginTop)) & ~1;
        int x1 = Math.min(imageWidth & ~1, ((int) Math.ceil(maxX + marginX) + 1) & ~1);
        int y1 = Math.min(imageHeight & ~1, ((int) Math.ceil(maxY + marginBottom) + 1) & ~1);
        return new Rect(x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0));
    }

    boolean isEmpty() {
        return width < 4 || height < 4;
    }
}
