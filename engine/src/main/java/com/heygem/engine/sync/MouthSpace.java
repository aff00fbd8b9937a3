package com.heygem.engine.sync;

import com.heygem.engine.template.MouthDescriptor;
import com.heygem.engine.template.TemplateProfile;
import java.util.Arrays;

/**
 * A template's mouth descriptors as z-scores over its own face frames, so one distance weighs
 * opening, width and teeth alike whatever the face's size or the descriptor's unit.
 */
public final class MouthSpace {
    public static final int D = MouthDescriptor.SIZE;
    private final float[] mean = new float[D];
    private final float[] sd = new float[D];
    /** Per template frame, z-scored descriptor; zeros for frames without a face. */
    final float[] z;
    /** The relaxed closed mouth: median descriptor of the frames at or below {@link #closedLevel}. */
    final float[] rest = new float[D];
    /** The template's closed-mouth level: 20th percentile of the inner opening (descriptor units). */
    final float closedLevel;

    public MouthSpace(TemplateProfile profile) {
        int n = profile.frames();
        float[] m = profile.mouth();
        boolean[] present = profile.facePresent();
        int count = 0;
        for (int f = 0; f < n; f++) {
            if (present[f]) {
                count++;
                for (int d = 0; d < D; d++) {
                    mean[d] += m[f * D + d];
                }
            }
        }
        for (int d = 0; d < D; d++) {
            mean[d] /= Math.max(1, count);
        }
        for (int f = 0; f < n; f++) {
            if (present[f]) {
                for (int d = 0; d < D; d++) {
                    float v = m[f * D + d] - mean[d];
                    sd[d] += v * v;
                }
            }
        }
        for (int d = 0; d < D; d++) {
            // A measure that never varies (a mouth that never shows teeth) must not blow up.
            sd[d] = (float) Math.max(1e-3, Math.sqrt(sd[d] / Math.max(1, count)));
        }
        z = new float[n * D];
        float[] open = new float[count];
        int k = 0;
        for (int f = 0; f < n; f++) {
            if (present[f]) {
                for (int d = 0; d < D; d++) {
                    z[f * D + d] = (m[f * D + d] - mean[d]) / sd[d];
                }
                open[k++] = m[f * D + MouthDescriptor.INNER_OPEN];
            }
        }
        Arrays.sort(open);
        closedLevel = count == 0 ? 0 : open[(int) (0.2 * (count - 1))];
        float[][] closed = new float[D][count];
        int c = 0;
        for (int f = 0; f < n; f++) {
            if (present[f] && m[f * D + MouthDescriptor.INNER_OPEN] <= closedLevel) {
                for (int d = 0; d < D; d++) {
                    closed[d][c] = z[f * D + d];
                }
                c++;
            }
        }
        for (int d = 0; d < D; d++) {
            Arrays.sort(closed[d], 0, c);
            rest[d] = c == 0 ? 0 : closed[d][c / 2];
        }
    }

    public float closedLevel() {
        return closedLevel;
    }

    /** z-score of descriptor {@code d} value {@code v}. */
    public float toZ(int d, double v) {
        return (float) ((v - mean[d]) / sd[d]);
    }
}
