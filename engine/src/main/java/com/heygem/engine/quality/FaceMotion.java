package com.heygem.engine.quality;

import com.heygem.engine.face.Landmarks;
import com.heygem.engine.face.Similarity;
import com.heygem.engine.template.MouthDescriptor;
import com.heygem.engine.template.TemplateProfile;
import java.util.Arrays;

/**
 * Frame-to-frame motion of a video's face, from landmarks found in it (not from any plan): how
 * far the jaw outline moves between two frames once head motion is taken out, and how fast the
 * mouth opens and closes. A render compared with its template on these shows jumps between mouth
 * sources and mouths that move faster than the person ever does.
 */
public final class FaceMotion {
    /** Jaw outline points compared: the visible outline from cheek to cheek. */
    static final int OUTLINE_FIRST = 2;
    static final int OUTLINE_LAST = 14;
    public static final double PERCENTILE = 0.95;

    private FaceMotion() {
    }

    /** The {@link #PERCENTILE} of the jaw outline's mean point movement per frame, in canonical face units. */
    public static double outlineJump(TemplateProfile p) {
        int n = p.frames();
        float[] a = new float[Landmarks.VALUES];
        float[] b = new float[Landmarks.VALUES];
        float[] ca = new float[Landmarks.VALUES];
        float[] cb = new float[Landmarks.VALUES];
        double[] moves = new double[n];
        int count = 0;
        boolean[] present = p.facePresent();
        for (int f = 1; f < n; f++) {
            if (!present[f] || !present[f - 1]) {
                continue;
            }
            p.landmarks(f - 1, a);
            p.landmarks(f, b);
            // Each frame in its own canonical pose: head motion out, the jaw's own motion left.
            Similarity.apply(p.transforms(), 4 * (f - 1), a, ca);
            Similarity.apply(p.transforms(), 4 * f, b, cb);
            double sum = 0;
            for (int i = OUTLINE_FIRST; i <= OUTLINE_LAST; i++) {
                sum += Math.hypot(ca[2 * i] - cb[2 * i], ca[2 * i + 1] - cb[2 * i + 1]);
            }
            moves[count++] = sum / (OUTLINE_LAST - OUTLINE_FIRST + 1);
        }
        return percentile(moves, count, PERCENTILE);
    }

    /** The {@link #PERCENTILE} of the inner mouth opening's change per frame (descriptor units). */
    public static double mouthSpeed(TemplateProfile p) {
        int n = p.frames();
        int d = MouthDescriptor.SIZE;
        double[] speeds = new double[n];
        int count = 0;
        boolean[] present = p.facePresent();
        for (int f = 1; f < n; f++) {
            if (present[f] && present[f - 1]) {
                speeds[count++] = Math.abs(p.mouth()[f * d + MouthDescriptor.INNER_OPEN]
                        - p.mouth()[(f - 1) * d + MouthDescriptor.INNER_OPEN]);
            }
        }
        return percentile(speeds, count, PERCENTILE);
    }

    static double percentile(double[] values, int count, double q) {
        if (count == 0) {
            return Double.NaN;
        }
        double[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        int i = (int) Math.min(count - 1, Math.max(0, Math.ceil(q * count) - 1));
        return sorted[i];
    }
}
