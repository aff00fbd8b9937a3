package com.heygem.engine.template;

import com.heygem.engine.face.Landmarks;
import com.heygem.engine.image.YuvImage;
import java.util.Arrays;

/**
 * Frames where the mouth is covered (a hand, a microphone, a caption box) or its landmarks sit on
 * something that is not a mouth. The landmark model always draws a plausible mouth, so the
 * pictures decide: the luma of the box round points 48-67, its mean and spread, against the
 * template's own usual values. A covering object is flat (little spread) or far darker or
 * brighter than any of the person's mouths while also flatter than they are, or so much darker or
 * brighter that the box must lie half on it; an open mouth is darker but never flat (teeth and
 * lips) nor that dark.
 *
 * <p>Such frames are never used as a mouth source and, as backgrounds, are left as they are.
 */
public final class MouthCover {
    /** Spread below this share of the usual spread: flat, so covered. */
    static final double FLAT = 0.35;
    /** Mean this far from the usual mean (levels, or robust deviations if more)... */
    static final double SHIFT_LEVELS = 45;
    static final double SHIFT_DEVIATIONS = 6;
    /** ...and spread below this share of the usual: a dark or bright object, not an open mouth. */
    static final double FLATTISH = 0.7;
    /** Frames either side of a covered one counted too: an object moving in is half there. */
    static final int MARGIN = 2;
    /** Gaps this short between covered frames are covered too: the object does not leave for a moment. */
    static final int GAP = 6;

    private MouthCover() {
    }

    /**
     * Mean and standard deviation of the luma round the mouth into {@code out[at]}, {@code out[at + 1]}.
     *
     * @param box scratch for the mouth's box, four ints
     */
    static void measure(YuvImage frame, float[] p, float[] out, int at, int[] box) {
        Landmarks.mouthBox(p, 0.15f, frame.width, frame.height, box);
        int x0 = box[0];
        int y0 = box[1];
        int x1 = box[2];
        int y1 = box[3];
        long s = 0;
        long ss = 0;
        int n = 0;
        for (int y = y0; y <= y1; y++) {
            int row = y * frame.width;
            for (int x = x0; x <= x1; x++) {
                int v = frame.data[row + x] & 0xFF;
                s += v;
                ss += v * v;
                n++;
            }
        }
        if (n == 0) {
            out[at] = Float.NaN;
            out[at + 1] = Float.NaN;
            return;
        }
        double mean = s / (double) n;
        out[at] = (float) mean;
        out[at + 1] = (float) Math.sqrt(Math.max(0, ss / (double) n - mean * mean));
    }

    /**
     * @param stats   per frame, mean and spread from {@link #measure} (pairs)
     * @param present frames with a face
     * @return per frame, whether the mouth is covered
     */
    static boolean[] covered(float[] stats, boolean[] present) {
        int n = present.length;
        double[] means = new double[n];
        double[] spreads = new double[n];
        int k = 0;
        for (int f = 0; f < n; f++) {
            if (present[f] && !Float.isNaN(stats[2 * f])) {
                means[k] = stats[2 * f];
                spreads[k] = stats[2 * f + 1];
                k++;
            }
        }
        boolean[] covered = new boolean[n];
        if (k < 5) {
            return covered;
        }
        double meanMedian = median(means, k);
        double spreadMedian = median(spreads, k);
        double[] deviations = new double[k];
        for (int i = 0; i < k; i++) {
            deviations[i] = Math.abs(means[i] - meanMedian);
        }
        double mad = 1.4826 * median(deviations, k);
        double shift = Math.max(SHIFT_LEVELS, SHIFT_DEVIATIONS * mad);
        boolean[] raw = new boolean[n];
        for (int f = 0; f < n; f++) {
            if (!present[f] || Float.isNaN(stats[2 * f])) {
                continue;
            }
            double mean = stats[2 * f];
            double spread = stats[2 * f + 1];
            double off = Math.abs(mean - meanMedian);
            // Twice the shift is no mouth of this person whatever its spread: the landmarks have
            // slid onto the covering object's edge.
            raw[f] = spread < FLAT * spreadMedian || off > 2 * shift
                    || (off > shift && spread < FLATTISH * spreadMedian);
        }
        int last = -1;
        for (int f = 0; f < n; f++) {
            if (raw[f]) {
                if (last >= 0 && f - last - 1 <= GAP) {
                    Arrays.fill(raw, last + 1, f, true);
                }
                last = f;
            }
        }
        for (int f = 0; f < n; f++) {
            if (raw[f]) {
                for (int g = Math.max(0, f - MARGIN); g <= Math.min(n - 1, f + MARGIN); g++) {
                    covered[g] |= present[g];
                }
            }
        }
        return covered;
    }

    private static double median(double[] values, int n) {
        double[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
