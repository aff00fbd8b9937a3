package com.heygem.engine.sync;

/**
 * What to show at each output frame: the template frame in the background (eyes, head, body:
 * untouched) and the template frame whose lower face is composited over it, or -1 to show the
 * background as it is (no face there).
 *
 * @param background template frame per output frame
 * @param source     template frame whose mouth is used, or -1
 * @param jumps      cuts between non-consecutive source frames
 * @param distinct   distinct source frames used
 */
public record RenderPlan(int[] background, int[] source, double fps, int jumps, int distinct) {
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
}
