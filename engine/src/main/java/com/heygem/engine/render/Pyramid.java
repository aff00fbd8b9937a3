package com.heygem.engine.render;

/**
 * Multi-band (Laplacian-pyramid) blending of a difference image under a mask: fine detail
 * switches over a narrow band at the mask's edge, broad shading over a wide one, so neither a
 * sharp seam nor a blurry halo shows. Uses {@code blend(A, B, M) = B + multiband(M, A - B)},
 * which needs one pyramid instead of two. Buffers are reused between frames.
 */
final class Pyramid {
    static final int MAX_LEVELS = 4;
    private final float[][] laplace = new float[MAX_LEVELS + 1][];
    private final float[][] mask = new float[MAX_LEVELS + 1][];
    private final int[] w = new int[MAX_LEVELS + 1];
    private final int[] h = new int[MAX_LEVELS + 1];
    private float[] tmp = new float[0];
    private float[] up = new float[0];
    private float[] row = new float[0];

    /**
     * Blends {@code diff} (w x h) under {@code weights} in place: on return {@code diff} holds the
     * band-wise weighted difference to add to the background.
     *
     * @param halfWeights the weights at half resolution when the caller has them (the mask is
     *                    built there), saving the largest reduction; or null
     */
    void blend(float[] diff, float[] weights, float[] halfWeights, int width, int height) {
        int levels = 0;
        int lw = width;
        int lh = height;
        while (levels < MAX_LEVELS && Math.min(lw, lh) >= 16) {
            levels++;
            lw = (lw + 1) / 2;
            lh = (lh + 1) / 2;
        }
        w[0] = width;
        h[0] = height;
        laplace[0] = ensure(laplace[0], width * height);
        mask[0] = ensure(mask[0], width * height);
        System.arraycopy(diff, 0, laplace[0], 0, width * height);
        System.arraycopy(weights, 0, mask[0], 0, width * height);
        for (int l = 1; l <= levels; l++) {
            w[l] = (w[l - 1] + 1) / 2;
            h[l] = (h[l - 1] + 1) / 2;
            laplace[l] = ensure(laplace[l], w[l] * h[l]);
            mask[l] = ensure(mask[l], w[l] * h[l]);
            down(laplace[l - 1], w[l - 1], h[l - 1], laplace[l], w[l], h[l]);
            if (l == 1 && halfWeights != null && (width & 1) == 0 && (height & 1) == 0) {
                System.arraycopy(halfWeights, 0, mask[1], 0, w[1] * h[1]);
            } else {
                down(mask[l - 1], w[l - 1], h[l - 1], mask[l], w[l], h[l]);
            }
        }
        // Gaussian -> Laplacian, finest first (each level minus its coarser neighbour brought back up).
        for (int l = 0; l < levels; l++) {
            up = ensure(up, w[l] * h[l]);
            upsample(laplace[l + 1], w[l + 1], h[l + 1], up, w[l], h[l]);
            float[] g = laplace[l];
            for (int i = 0; i < w[l] * h[l]; i++) {
                g[i] -= up[i];
            }
        }
        // Weight every band by its own mask level, then collapse coarse to fine.
        float[] acc = laplace[levels];
        float[] m = mask[levels];
        for (int i = 0; i < w[levels] * h[levels]; i++) {
            acc[i] *= m[i];
        }
        for (int l = levels - 1; l >= 0; l--) {
            up = ensure(up, w[l] * h[l]);
            upsample(laplace[l + 1], w[l + 1], h[l + 1], up, w[l], h[l]);
            float[] g = laplace[l];
            float[] ml = mask[l];
            for (int i = 0; i < w[l] * h[l]; i++) {
                g[i] = g[i] * ml[i] + up[i];
            }
        }
        System.arraycopy(laplace[0], 0, diff, 0, width * height);
    }

    /** 1-4-6-4-1 binomial filter, then every second sample. */
    private void down(float[] src, int sw, int sh, float[] dst, int dw, int dh) {
        tmp = ensure(tmp, dw * sh);
        for (int y = 0; y < sh; y++) {
            int row = y * sw;
            for (int x = 0; x < dw; x++) {
                int c = 2 * x;
                float s = 6 * src[row + c]
                        + 4 * (src[row + clamp(c - 1, sw)] + src[row + clamp(c + 1, sw)])
                        + src[row + clamp(c - 2, sw)] + src[row + clamp(c + 2, sw)];
                tmp[y * dw + x] = s * (1f / 16);
            }
        }
        for (int y = 0; y < dh; y++) {
            int c = 2 * y;
            int r0 = clamp(c - 2, sh) * dw;
            int r1 = clamp(c - 1, sh) * dw;
            int r2 = c * dw;
            int r3 = clamp(c + 1, sh) * dw;
            int r4 = clamp(c + 2, sh) * dw;
            for (int x = 0; x < dw; x++) {
                dst[y * dw + x] = (6 * tmp[r2 + x] + 4 * (tmp[r1 + x] + tmp[r3 + x]) + tmp[r0 + x] + tmp[r4 + x])
                        * (1f / 16);
            }
        }
    }

    /**
     * Doubles the size: even samples copy the coarse sample below them, odd ones average the two
     * neighbours (linear interpolation at exactly half a step). Building and collapsing use the
     * same expansion, so reconstruction is exact. Each output row is first summed vertically from
     * its one or two coarse rows, then spread horizontally in pairs.
     */
    private void upsample(float[] src, int sw, int sh, float[] dst, int dw, int dh) {
        row = ensure(row, sw + 1);
        for (int y = 0; y < dh; y++) {
            int ya = Math.min(sh - 1, y >> 1);
            int yb = (y & 1) == 0 ? ya : Math.min(sh - 1, ya + 1);
            int ra = ya * sw;
            int rb = yb * sw;
            for (int x = 0; x < sw; x++) {
                row[x] = 0.5f * (src[ra + x] + src[rb + x]);
            }
            row[sw] = row[sw - 1]; // the clamped right neighbour of the last sample
            int o = y * dw;
            int pairs = dw >> 1;
            for (int x = 0; x < pairs; x++) {
                float v = row[x];
                dst[o + 2 * x] = v;
                dst[o + 2 * x + 1] = 0.5f * (v + row[x + 1]);
            }
            if ((dw & 1) != 0) {
                dst[o + dw - 1] = row[Math.min(sw - 1, dw >> 1)];
            }
        }
    }

    private static int clamp(int i, int n) {
        return i < 0 ? 0 : i >= n ? n - 1 : i;
    }

    static float[] ensure(float[] a, int n) {
        return a != null && a.length >= n ? a : new float[Math.max(n, 16)];
    }
}
