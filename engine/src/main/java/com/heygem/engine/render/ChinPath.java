package com.heygem.engine.render;

import com.heygem.engine.face.Landmarks;
import com.heygem.engine.sync.RenderPlan;

/**
 * Where the chin goes at every output frame, smoothed over time. Each mouth source brings its
 * own chin; followed frame by frame, the chin would jump at every change of source (4-5 times a
 * second) and move faster than the person's own. The offsets of the planned chin (jaw points
 * 6-10) from the background's, in the background face's own axes and in face widths, are
 * low-passed with a short zero-phase kernel, never across a shot cut or a frame without a face.
 */
final class ChinPath {
    static final int POINTS = JawWarp.CHIN_LAST - JawWarp.CHIN_FIRST + 1;
    /** Zero-phase kernel over neighbouring output frames: about 3 frames wide at half height. */
    static final float[] KERNEL = {1, 2, 3, 2, 1};

    private final float[] offsets;
    /** Scratch for {@link #place}: the background face's axes. */
    private final float[] axes = new float[3];
    private final boolean[] valid;

    private ChinPath(float[] offsets, boolean[] valid) {
        this.offsets = offsets;
        this.valid = valid;
    }

    /**
     * @param landmarks the template's landmarks, 136 per frame
     * @param cutBefore per template frame, whether a shot cut lies between it and the frame before
     */
    static ChinPath of(RenderPlan plan, float[] landmarks, boolean[] cutBefore) {
        int n = plan.length();
        float[] raw = new float[n * 2 * POINTS];
        boolean[] valid = new boolean[n];
        float[] bg = new float[Landmarks.VALUES];
        float[] planned = new float[Landmarks.VALUES];
        float[] scratch = new float[Landmarks.VALUES];
        float[] other = new float[Landmarks.VALUES];
        float[] t4 = new float[4];
        float[] faceAxes = new float[3];
        for (int t = 0; t < n; t++) {
            int s = plan.source()[t];
            if (s < 0) {
                continue;
            }
            valid[t] = true;
            System.arraycopy(landmarks, plan.background()[t] * Landmarks.VALUES, bg, 0, Landmarks.VALUES);
            Compositor.place(landmarks, s, bg, t4, scratch, planned);
            int o = plan.fade()[t];
            float w = plan.fadeWeight()[t];
            boolean fading = o >= 0 && w > 0;
            if (fading) {
                Compositor.place(landmarks, o, bg, t4, scratch, other);
            }
            axes(bg, faceAxes);
            float cos = faceAxes[0];
            float sin = faceAxes[1];
            float fw = faceAxes[2];
            for (int k = 0; k < POINTS; k++) {
                int i = JawWarp.CHIN_FIRST + k;
                float px = Landmarks.x(planned, i);
                float py = Landmarks.y(planned, i);
                if (fading) {
                    px += w * (Landmarks.x(other, i) - px);
                    py += w * (Landmarks.y(other, i) - py);
                }
                float dx = px - Landmarks.x(bg, i);
                float dy = py - Landmarks.y(bg, i);
                raw[(t * POINTS + k) * 2] = (dx * cos + dy * sin) / fw;
                raw[(t * POINTS + k) * 2 + 1] = (-dx * sin + dy * cos) / fw;
            }
        }
        float[] smoothed = new float[raw.length];
        int half = KERNEL.length / 2;
        for (int t = 0; t < n; t++) {
            if (!valid[t]) {
                continue;
            }
            float total = 0;
            for (int j = -half; j <= half; j++) {
                int u = t + j;
                if (u < 0 || u >= n || !valid[u] || crossesCut(plan, cutBefore, t, u)) {
                    continue;
                }
                float k = KERNEL[j + half];
                total += k;
                for (int v = 0; v < 2 * POINTS; v++) {
                    smoothed[t * 2 * POINTS + v] += k * raw[u * 2 * POINTS + v];
                }
            }
            for (int v = 0; v < 2 * POINTS; v++) {
                smoothed[t * 2 * POINTS + v] /= total;
            }
        }
        return new ChinPath(smoothed, valid);
    }

    /** Whether output frames t and u show backgrounds on different sides of a shot cut. */
    private static boolean crossesCut(RenderPlan plan, boolean[] cutBefore, int t, int u) {
        int a = Math.min(t, u);
        int b = Math.max(t, u);
        for (int k = a + 1; k <= b; k++) {
            int prev = plan.background()[k - 1];
            int here = plan.background()[k];
            // Not neighbours (a loop's restart), or neighbours with a cut between them.
            if (Math.abs(here - prev) > 1 || (here != prev && cutBefore[Math.max(prev, here)])) {
                return true;
            }
        }
        return false;
    }

    /**
     * The background face's own axes, in which the offsets are kept: cosine and sine of its roll
     * and its width, into {@code out[0..2]}.
     */
    private static void axes(float[] bg, float[] out) {
        double roll = Landmarks.roll(bg);
        out[0] = (float) Math.cos(roll);
        out[1] = (float) Math.sin(roll);
        out[2] = LowerFace.faceWidth(bg);
    }

    /**
     * Writes output frame {@code t}'s chin (jaw points 6-10) into {@code into}, placed on the
     * background landmarks {@code bg}.
     */
    void place(int t, float[] bg, float[] into) {
        axes(bg, axes);
        float cos = axes[0];
        float sin = axes[1];
        float fw = axes[2];
        for (int k = 0; k < POINTS; k++) {
            int i = JawWarp.CHIN_FIRST + k;
            float u = offsets[(t * POINTS + k) * 2] * fw;
            float v = offsets[(t * POINTS + k) * 2 + 1] * fw;
            into[2 * i] = Landmarks.x(bg, i) + u * cos - v * sin;
            into[2 * i + 1] = Landmarks.y(bg, i) + u * sin + v * cos;
        }
    }

    /** Largest chin offset at output frame {@code t}, in face widths (0 where nothing is composited). */
    float magnitude(int t) {
        if (!valid[t]) {
            return 0;
        }
        float m = 0;
        for (int k = 0; k < POINTS; k++) {
            m = Math.max(m, (float) Math.hypot(offsets[(t * POINTS + k) * 2], offsets[(t * POINTS + k) * 2 + 1]));
        }
        return m;
    }
}
