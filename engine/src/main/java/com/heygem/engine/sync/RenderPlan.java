package com.heygem.engine.sync;

/**
 * What to show at each output frame: the template frame in the background (eyes, head, body:
 * untouched) and the template frame whose mouth is composited over it, or -1 to show the
 * background as it is (no face there); around a change of mouth source, a second source mixed in.
 *
 * @param background template frame per output frame
 * @param source     template frame whose mouth is used, or -1
 * @param jumps      cuts between non-consecutive source frames
 * @param distinct   distinct source frames used
 * @param fade       template frame whose mouth is mixed in (a dissolve across a change of source), or -1
 * @param fadeWeight weight of {@code fade}, 0..0.5
 */
public record RenderPlan(int[] background, int[] source, double fps, int jumps, int distinct, int[] fade,
        float[] fadeWeight) {

    /** A plan without dissolves. */
    public RenderPlan(int[] background, int[] source, double fps, int jumps, int distinct) {
        this(background, source, fps, jumps, distinct, filled(background.length), new float[background.length]);
    }

    private static int[] filled(int n) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, -1);
        return a;
    }

    public int length() {
        return background.length;
    }

    /** Output frames that composite a mouth. */
    public int composited() {
        int n = 0;
        for (int s : source) {
            if (s >= 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * The same plan with each change of mouth source turned into a two-frame dissolve: the frame
     * before the change mixes in a third of the new run's natural predecessor, the frame of the
     * change a third of the old run's natural continuation. Where that neighbour is not a usable
     * mouth (no face, held out), that side stays a plain cut.
     *
     * @param usable    template frames that may be shown as a mouth
     * @param cutBefore per template frame, whether a cut lies between it and the frame before: a
     *                  run's neighbour across a cut is another shot, not its continuation
     */
    public RenderPlan withDissolves(boolean[] usable, boolean[] cutBefore) {
        int n = length();
        int[] f = filled(n);
        float[] w = new float[n];
        for (int t = 1; t < n; t++) {
            int a = source[t - 1];
            int b = source[t];
            if (a < 0 || b < 0 || b == a || b == a + 1) {
                continue;
            }
            if (b - 1 >= 0 && usable[b - 1] && !cutBefore[b] && b - 1 != a && f[t - 1] < 0) {
                f[t - 1] = b - 1;
                w[t - 1] = DISSOLVE_WEIGHT;
            }
            if (a + 1 < usable.length && usable[a + 1] && !cutBefore[a + 1] && a + 1 != b) {
                f[t] = a + 1;
                w[t] = DISSOLVE_WEIGHT;
            }
        }
        return new RenderPlan(background, source, fps, jumps, distinct, f, w);
    }

    /** The other mouth's share on each of the two frames of a dissolve. */
    public static final float DISSOLVE_WEIGHT = 1f / 3;
}
