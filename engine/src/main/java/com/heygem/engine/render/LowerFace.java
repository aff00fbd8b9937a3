package com.heygem.engine.render;

import com.heygem.engine.face.Landmarks;

/**
 * The region whose pixels come from the mouth source: the mouth and the skin around it, from just
 * below the nose to above the chin, and everywhere far enough inside the background frame's own
 * face outline that the feather has died out before it reaches the outline. The jaw line, and
 * whatever lies beyond it (wall, hair, collar), always stays the background frame's: the chin
 * follows the mouth by moving the background's own pixels ({@link JawWarp}). Shared by the
 * compositor and the evaluator, which must measure exactly where the compositor blends.
 */
public final class LowerFace {
    /** Jaw points 2..14, then under the nose 35..31. */
    public static final int POINTS = 13 + 5;
    /** Feather half-width, as a share of the face width. */
    public static final float FEATHER = 0.045f;
    /**
     * How far inside the face outline the polygon stays, in face widths: the feather's full reach
     * plus a margin for landmark error (dlib's jaw points wander about 2 % of the face width).
     */
    static final float INSET = FEATHER + 0.035f;
    /** How far below the nose the region starts, as a share of the nose-to-lip distance. */
    static final float BELOW_NOSE = 0.30f;

    private LowerFace() {
    }

    /**
     * How far from the chin points (jaw 6-10) the chin's movement can reach, in pixels: outside
     * it and outside the mask, a frame is exactly the background.
     */
    public static float chinReach(float[] p) {
        return (JawWarp.SUPPORT + JawWarp.MAX_MOVE) * faceWidth(p);
    }

    /** Jaw width (point 0 to 16), the unit of every size here. */
    public static float faceWidth(float[] p) {
        return (float) Landmarks.distance(p, 0, 16);
    }

    /** {@link #faceWidth(float[])} of frame {@code f} in a flat array of 136 values per frame. */
    static float faceWidth(float[] all, int f) {
        int o = f * Landmarks.VALUES;
        return (float) Math.hypot(all[o + 32] - all[o], all[o + 33] - all[o + 1]);
    }

    /**
     * The region's polygon in image coordinates into {@code out} ({@link #POINTS} x, y pairs).
     *
     * @param background the landmarks of the frame being edited
     * @param chin       where the chin (jaw points 6-10, x and y interleaved) will be after the
     *                   {@link JawWarp}, or null when it stays where {@code background} has it
     */
    public static void polygon(float[] background, float[] chin, float[] out) {
        float inset = INSET * faceWidth(background);
        // Towards the mouth's centre: the outline's normal, near enough on a face.
        float mx = (Landmarks.x(background, 62) + Landmarks.x(background, 66)) / 2;
        float my = (Landmarks.y(background, 62) + Landmarks.y(background, 66)) / 2;
        int o = 0;
        for (int i = 2; i <= 14; i++) {
            boolean moved = chin != null && i >= JawWarp.CHIN_FIRST && i <= JawWarp.CHIN_LAST;
            float x = moved ? chin[2 * (i - JawWarp.CHIN_FIRST)] : Landmarks.x(background, i);
            float y = moved ? chin[2 * (i - JawWarp.CHIN_FIRST) + 1] : Landmarks.y(background, i);
            float dx = mx - x;
            float dy = my - y;
            float d = (float) Math.hypot(dx, dy);
            // Never past 80 % of the way to the mouth: a tiny face keeps a (thin) region.
            float k = d <= 0 ? 0 : Math.min(0.8f, inset / d);
            out[o++] = x + dx * k;
            out[o++] = y + dy * k;
        }
        float lipX = Landmarks.x(background, 51);
        float lipY = Landmarks.y(background, 51);
        for (int i = 35; i >= 31; i--) {
            float x = Landmarks.x(background, i);
            float y = Landmarks.y(background, i);
            out[o++] = x + (lipX - x) * BELOW_NOSE * 0.3f;
            out[o++] = y + (lipY - y) * BELOW_NOSE;
        }
    }
}
