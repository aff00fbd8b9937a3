package com.heygem.engine.render;

/**
 * The feathered {@link LowerFace} mask of one frame over its bounding region: 1 inside, easing to
 * exactly 0 at a distance of about {@link LowerFace#FEATHER} face widths outside. Built at chroma
 * resolution (a quarter of the work; it is smooth anyway) and expanded for luma. Shared by the
 * compositor and the evaluator so both look at the same pixels. Buffers are reused.
 */
public final class FeatherMask {
    private final float[] poly = new float[2 * LowerFace.POINTS];
    private Rect region;
    private float[] mask = new float[0];
    private float[] chroma = new float[0];
    private float[] tmp = new float[0];
    private float[] row = new float[0];
    /** Edge crossings of one scan line: at most one per polygon edge. */
    private final float[] crossings = new float[LowerFace.POINTS];

    /**
     * @param background landmarks of the frame
     * @param chin       where the chin will be after the frame's {@link JawWarp} (jaw points 6-10), or null
     * @return false when the region is empty (face outside the picture)
     */
    public boolean build(float[] background, float[] chin, int width, int height) {
        LowerFace.polygon(background, chin, poly);
        float feather = Math.max(1.5f, LowerFace.FEATHER * LowerFace.faceWidth(background));
        int pad = (int) Math.ceil(2 * feather) + 2;
        region = Rect.around(poly, LowerFace.POINTS, pad, pad, pad, width, height);
        if (region.isEmpty()) {
            return false;
        }
        int w = region.width();
        int h = region.height();
        int cw = w / 2;
        int ch = h / 2;
        chroma = Pyramid.ensure(chroma, cw * ch);
        rasterise(poly, region, chroma, 1, crossings);
        tmp = Pyramid.ensure(tmp, cw * ch);
        int radius = Math.max(1, Math.round(feather / 4));
        boxBlur(chroma, tmp, cw, ch, radius);
        boxBlur(chroma, tmp, cw, ch, radius);
        mask = Pyramid.ensure(mask, w * h);
        expand(chroma, cw, ch, mask, w, h);
        return true;
    }

    Rect region() {
        return region;
    }

    public int x() {
        return region.x();
    }

    public int y() {
        return region.y();
    }

    public int width() {
        return region.width();
    }

    public int height() {
        return region.height();
    }

    /** Luma-resolution weights over the region, row-major. */
    public float[] mask() {
        return mask;
    }

    /** Chroma-resolution weights over the region, row-major. */
    public float[] chromaMask() {
        return chroma;
    }

    /**
     * Fills the polygon (pixel centres inside, even-odd rule) with 1, the rest with 0, on the
     * region's grid subsampled by {@code 2^shift}.
     */
    private static void rasterise(float[] poly, Rect region, float[] out, int shift, float[] xs) {
        int w = region.width() >> shift;
        int h = region.height() >> shift;
        float cell = 1 << shift;
        int points = poly.length / 2;
        java.util.Arrays.fill(out, 0, w * h, 0f);
        for (int y = 0; y < h; y++) {
            float py = region.y() + (y + 0.5f) * cell;
            int k = 0;
            for (int i = 0, j = points - 1; i < points; j = i++) {
                float yi = poly[2 * i + 1];
                float yj = poly[2 * j + 1];
                if ((yi > py) != (yj > py)) {
                    float xi = poly[2 * i];
                    float xj = poly[2 * j];
                    xs[k++] = xi + (py - yi) * (xj - xi) / (yj - yi);
                }
            }
            java.util.Arrays.sort(xs, 0, k);
            for (int e = 0; e + 1 < k; e += 2) {
                int from = Math.max(0, (int) Math.ceil((xs[e] - region.x()) / cell - 0.5f));
                int to = Math.min(w - 1, (int) Math.floor((xs[e + 1] - region.x()) / cell - 0.5f));
                for (int x = from; x <= to; x++) {
                    out[y * w + x] = 1;
                }
            }
        }
    }

    /**
     * Bilinear expansion of the half-resolution mask to full resolution; exact zeros stay zero.
     * A full-resolution pixel centre sits a quarter of a half-resolution step from its nearest
     * sample, so every weight is 1/4 or 3/4: each row is the vertical mix of two half rows, then
     * each half sample gives two outputs.
     */
    private void expand(float[] half, int hw, int hh, float[] out, int w, int h) {
        row = Pyramid.ensure(row, hw);
        for (int y = 0; y < h; y++) {
            // Rows 2k and 2k+1 lie a quarter above and below half row k.
            int k = y >> 1;
            int other = (y & 1) == 0 ? Math.max(0, k - 1) : Math.min(hh - 1, k + 1);
            int a = Math.min(hh - 1, k) * hw;
            int b = other * hw;
            for (int x = 0; x < hw; x++) {
                row[x] = 0.75f * half[a + x] + 0.25f * half[b + x];
            }
            int o = y * w;
            for (int x = 0; x < hw; x++) {
                float c = row[x];
                out[o + 2 * x] = 0.75f * c + 0.25f * row[Math.max(0, x - 1)];
                out[o + 2 * x + 1] = 0.75f * c + 0.25f * row[Math.min(hw - 1, x + 1)];
            }
            if (w > 2 * hw) {
                out[o + w - 1] = row[hw - 1];
            }
        }
    }

    /** Separable box blur of radius {@code r}, in place; twice gives a smooth, tent-shaped feather. */
    private static void boxBlur(float[] img, float[] tmp, int w, int h, int r) {
        float norm = 1f / (2 * r + 1);
        for (int y = 0; y < h; y++) {
            int row = y * w;
            float acc = 0;
            for (int x = -r; x <= r; x++) {
                acc += img[row + Math.max(0, Math.min(w - 1, x))];
            }
            for (int x = 0; x < w; x++) {
                tmp[row + x] = acc * norm;
                acc += img[row + Math.min(w - 1, x + r + 1)] - img[row + Math.max(0, x - r)];
            }
        }
        for (int x = 0; x < w; x++) {
            float acc = 0;
            for (int y = -r; y <= r; y++) {
                acc += tmp[Math.max(0, Math.min(h - 1, y)) * w + x];
            }
            for (int y = 0; y < h; y++) {
                float v = acc * norm;
                // Round-off from the running sum must not leave a faint non-zero far outside.
                img[y * w + x] = v < 1e-4f ? 0 : v > 1 - 1e-4f ? 1 : v;
                acc += tmp[Math.min(h - 1, y + r + 1) * w + x] - tmp[Math.max(0, y - r) * w + x];
            }
        }
    }

}
