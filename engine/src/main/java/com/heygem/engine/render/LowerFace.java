package com.heygem.engine.render;

import com.heygem.engine.face.Landmarks;

/**
 * The region whose pixels the lip sync replaces: from just below the nose to below the chin,
 * kept inside the cheeks so the seam lies on smooth skin, never on the face's outline, the hair
 * or the background. Shared by the compositor and the evaluator, which must measure exactly
 * where the compositor blends.
 */
public final class LowerFace {
    /** Jaw points 2..14, then under the nose 35..31. */
    public static final int POINTS = 13 + 5;
    /** How far the cheek points are pulled towards the mouth: onto the skin, off the outline. */
    static final float CHEEK_PULL = 0.14f;
    /** How far below the chin the region reaches, as a share of the chin's distance from the mouth. */
    static final float BELOW_CHIN = 0.12f;
    /** How far below the nose the region starts, as a share of the nose-to-lip distance. */
    static final float BELOW_NOSE = 0.30f;
    /** Feather half-width, as a share of the face width. */
    public static final float FEATHER = 0.045f;

    private LowerFace() {
    }

    /** Jaw width (point 0 to 16), the unit of every size here. */
    public static float faceWidth(float[] p) {
        return (float) Landmarks.distance(p, 0, 16);
    }

    /**
     * The region's polygon in image coordinates into {@code out} ({@link #POINTS} x, y pairs).
     *
     * @param background the landmarks of the frame being edited
     * @param source     the mouth source's landmarks already mapped into that frame, or null: the
     *                   region then covers both chins, so no trace of the other one is left
     */
    public static void polygon(float[] background, float[] source, float[] out) {
        float cx = (Landmarks.x(background, 33) + Landmarks.x(background, 8)) / 2;
        float cy = (Landmarks.y(background, 33) + Landmarks.y(background, 8)) / 2;
        int o = 0;
        for (int i = 2; i <= 14; i++) {
            float x = Landmarks.x(background, i);
            float y = Landmarks.y(background, i);
            boolean chin = i >= 5 && i <= 11;
            if (source != null) {
                float sx = Landmarks.x(source, i);
                float sy = Landmarks.y(source, i);
                float rb = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                float rs = (sx - cx) * (sx - cx) + (sy - cy) * (sy - cy);
                // Chin: the lower of the two; cheeks: the inner of the two.
                if (chin == (rs > rb)) {
                    x = sx;
                    y = sy;
                }
            }
            float k = chin ? 1 + BELOW_CHIN * chinWeight(i) : 1 - CHEEK_PULL;
            out[o++] = cx + (x - cx) * k;
            out[o++] = cy + (y - cy) * k;
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

    /** The chin's middle reaches furthest below, its ends blend into the cheeks. */
    private static float chinWeight(int i) {
        return 1 - Math.abs(i - 8) / 4f;
    }
}
