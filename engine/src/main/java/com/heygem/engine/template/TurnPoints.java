package com.heygem.engine.template;

import com.heygem.engine.face.Landmarks;
import com.heygem.engine.media.LoopMode;
import com.heygem.engine.media.Timeline;

/**
 * Where a ping-pong timeline turns round, for a speech longer than its template: at a still
 * moment near each end (the head barely moving, the mouth near closed, the face in view), not
 * at the file's last frame, where a presenter is as likely as not to be mid-nod. The render, the
 * evaluator and the strips all take the timeline from here, so they agree on it.
 */
public final class TurnPoints {
    /** How far from each end a turn may be: this share of the template... */
    static final double WINDOW_SHARE = 0.25;
    /** ...and at most this long. */
    static final double WINDOW_SECONDS = 3;
    /** Head speed (inter-ocular distances per frame) that costs as much as a wide-open mouth. */
    static final double MOTION_SCALE = 0.01;
    /** Cost of turning at the far edge of the window rather than at the end: footage is not wasted lightly. */
    static final double DISTANCE_COST = 0.5;

    private TurnPoints() {
    }

    /** The template's timeline for a speech of {@code seconds}. */
    public static Timeline timeline(TemplateProfile p, double seconds, LoopMode mode) {
        int[] turns = of(p);
        return Timeline.build(p.frames(), p.summary().fps(), seconds, mode, turns[1], turns[0]);
    }

    /** {backward turn, forward turn}: frames near the start and near the end. */
    public static int[] of(TemplateProfile p) {
        int n = p.frames();
        int window = (int) Math.min(WINDOW_SHARE * n, WINDOW_SECONDS * p.summary().fps());
        if (window < 2) {
            return new int[] {0, n - 1};
        }
        double[] cost = stillness(p);
        int forward = n - 1;
        int backward = 0;
        double bestForward = Double.MAX_VALUE;
        double bestBackward = Double.MAX_VALUE;
        for (int k = 0; k <= window; k++) {
            double distance = DISTANCE_COST * k / window;
            int f = n - 1 - k;
            if (cost[f] + distance < bestForward) {
                bestForward = cost[f] + distance;
                forward = f;
            }
            int b = k;
            if (cost[b] + distance < bestBackward) {
                bestBackward = cost[b] + distance;
                backward = b;
            }
        }
        return new int[] {backward, forward};
    }

    /** Per frame, how much a turn there would show: head speed plus mouth opening; no face or a cut nearby costs most. */
    static double[] stillness(TemplateProfile p) {
        int n = p.frames();
        double[] cost = new double[n];
        float[] a = new float[Landmarks.VALUES];
        float[] b = new float[Landmarks.VALUES];
        float low = p.summary().mouthLow()[MouthDescriptor.INNER_OPEN];
        float high = p.summary().mouthHigh()[MouthDescriptor.INNER_OPEN];
        float range = Math.max(1e-3f, high - low);
        for (int f = 0; f < n; f++) {
            int before = Math.max(0, f - 1);
            int after = Math.min(n - 1, f + 1);
            boolean usable = p.mouthVisible(f) && p.facePresent()[before] && p.facePresent()[after]
                    && !p.cutBefore()[f] && (after == f || !p.cutBefore()[after]);
            if (!usable) {
                cost[f] = 10;
                continue;
            }
            p.landmarks(before, a);
            p.landmarks(after, b);
            double speed = Math.hypot(Landmarks.rigidCenterX(b) - Landmarks.rigidCenterX(a),
                    Landmarks.rigidCenterY(b) - Landmarks.rigidCenterY(a)) / Math.max(1, after - before)
                    / Math.max(1, Landmarks.interocular(a));
            double open = (p.mouth()[f * MouthDescriptor.SIZE + MouthDescriptor.INNER_OPEN] - low) / range;
            cost[f] = speed / MOTION_SCALE + Math.max(0, Math.min(1, open));
        }
        return cost;
    }
}
