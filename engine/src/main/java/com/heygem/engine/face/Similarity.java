package com.heygem.engine.face;

/**
 * Least-squares 2-D similarity transforms between landmark sets:
 * {@code (x, y) -> (a*x - b*y + tx, b*x + a*y + ty)}, scale {@code hypot(a, b)}, angle
 * {@code atan2(b, a)}. Stored as four values {@code {a, b, tx, ty}} so per-frame arrays stay flat.
 */
public final class Similarity {
    private Similarity() {
    }

    /**
     * Fits the transform taking landmarks {@code points} of {@code from} onto the same landmarks of
     * {@code to} and writes {@code {a, b, tx, ty}} into {@code out} at {@code at}.
     *
     * @return the RMS residual after the fit, in the units of {@code to}
     */
    public static double fit(float[] from, float[] to, int[] points, float[] out, int at) {
        int n = points.length;
        double fx = 0;
        double fy = 0;
        double tx = 0;
        double ty = 0;
        for (int i : points) {
            fx += from[2 * i];
            fy += from[2 * i + 1];
            tx += to[2 * i];
            ty += to[2 * i + 1];
        }
        fx /= n;
        fy /= n;
        tx /= n;
        ty /= n;
        double a = 0;
        double b = 0;
        double spread = 0;
        for (int i : points) {
            double px = from[2 * i] - fx;
            double py = from[2 * i + 1] - fy;
            double qx = to[2 * i] - tx;
            double qy = to[2 * i + 1] - ty;
            a += qx * px + qy * py;
            b += qy * px - qx * py;
            spread += px * px + py * py;
        }
        if (spread <= 0) {
            out[at] = 1;
            out[at + 1] = 0;
            out[at + 2] = 0;
            out[at + 3] = 0;
            return Double.POSITIVE_INFINITY;
        }
        a /= spread;
        b /= spread;
        double ox = tx - (a * fx - b * fy);
        double oy = ty - (b * fx + a * fy);
        out[at] = (float) a;
        out[at + 1] = (float) b;
        out[at + 2] = (float) ox;
        out[at + 3] = (float) oy;
        double residual = 0;
        for (int i : points) {
            double dx = a * from[2 * i] - b * from[2 * i + 1] + ox - to[2 * i];
            double dy = b * from[2 * i] + a * from[2 * i + 1] + oy - to[2 * i + 1];
            residual += dx * dx + dy * dy;
        }
        return Math.sqrt(residual / n);
    }

    /** The landmark indices {@code first..last}, for {@link #fit}. */
    public static int[] range(int first, int last) {
        return java.util.stream.IntStream.rangeClosed(first, last).toArray();
    }

    /** Applies the transform stored at {@code t[at..at+3]} to all points of {@code src}. */
    public static void apply(float[] t, int at, float[] src, float[] dst) {
        float a = t[at];
        float b = t[at + 1];
        float ox = t[at + 2];
        float oy = t[at + 3];
        for (int i = 0; i < src.length; i += 2) {
            float x = src[i];
            float y = src[i + 1];
            dst[i] = a * x - b * y + ox;
            dst[i + 1] = b * x + a * y + oy;
        }
    }
}
