package com.heygem.engine.template;

import com.heygem.engine.face.Landmarks;
import com.heygem.engine.image.YuvImage;

/**
 * What the mouth looks like in one frame, as six numbers the lip-sync search compares.
 *
 * <p>The shape measures come from landmarks aligned to the canonical face (box side 200 units),
 * so they do not change with face size or head tilt. The appearance measures come from the
 * pixels inside the inner lip contour.
 */
public final class MouthDescriptor {
    /** Gap between the inner lip contours, canonical units. */
    public static final int INNER_OPEN = 0;
    /** Height of the outer lip contour, canonical units. */
    public static final int OUTER_OPEN = 1;
    /** Corner-to-corner width, canonical units. */
    public static final int WIDTH = 2;
    /** Outer height over width: rounded vowels (o, u) raise it, spread ones (i, e) lower it. */
    public static final int ROUNDING = 3;
    /** Fraction of the inner-mouth area that is bright and colourless: teeth. */
    public static final int TEETH = 4;
    /** How much darker the inner mouth is than the lips, 0 (same) to 1 (black). */
    public static final int DARKNESS = 5;
    public static final int SIZE = 6;
    public static final String[] NAMES = {"innerOpen", "outerOpen", "width", "rounding", "teeth", "darkness"};

    private MouthDescriptor() {
    }

    /** Shape measures from canonical-aligned landmarks into {@code out[at + INNER_OPEN .. ROUNDING]}. */
    public static void shape(float[] canonical, float[] out, int at) {
        double inner = (Landmarks.distance(canonical, 61, 67) + Landmarks.distance(canonical, 62, 66)
                + Landmarks.distance(canonical, 63, 65)) / 3;
        double outer = (Landmarks.distance(canonical, 50, 58) + Landmarks.distance(canonical, 51, 57)
                + Landmarks.distance(canonical, 52, 56)) / 3;
        double width = Landmarks.distance(canonical, 48, 54);
        out[at + INNER_OPEN] = (float) inner;
        out[at + OUTER_OPEN] = (float) outer;
        out[at + WIDTH] = (float) width;
        out[at + ROUNDING] = (float) (width <= 0 ? 0 : outer / width);
    }

    /**
     * Appearance measures from the frame's pixels inside the inner lip contour (points 60-67 of
     * {@code landmarks}, image coordinates) into {@code out[at + TEETH]} and {@code out[at + DARKNESS]}.
     */
    public static void appearance(YuvImage frame, float[] landmarks, float[] out, int at) {
        // Lip brightness: luma along the outer contour.
        double lip = 0;
        for (int i = 48; i <= 59; i++) {
            lip += lumaAt(frame, landmarks[2 * i], landmarks[2 * i + 1]);
        }
        lip /= 12;
        float minX = Float.MAX_VALUE;
        float maxX = -Float.MAX_VALUE;
        float minY = Float.MAX_VALUE;
        float maxY = -Float.MAX_VALUE;
        for (int i = 60; i <= 67; i++) {
            minX = Math.min(minX, landmarks[2 * i]);
            maxX = Math.max(maxX, landmarks[2 * i]);
            minY = Math.min(minY, landmarks[2 * i + 1]);
            maxY = Math.max(maxY, landmarks[2 * i + 1]);
        }
        int x0 = Math.max(0, (int) Math.floor(minX));
        int x1 = Math.min(frame.width - 1, (int) Math.ceil(maxX));
        int y0 = Math.max(0, (int) Math.floor(minY));
        int y1 = Math.min(frame.height - 1, (int) Math.ceil(maxY));
        int inside = 0;
        int teeth = 0;
        long lumaSum = 0;
        int cw = frame.chromaWidth();
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                if (!insideInnerLips(landmarks, x + 0.5f, y + 0.5f)) {
                    continue;
                }
                int luma = frame.data[y * frame.width + x] & 0xFF;
                int c = (y >> 1) * cw + (x >> 1);
                int u = (frame.data[frame.uOffset() + c] & 0xFF) - 128;
                int v = (frame.data[frame.vOffset() + c] & 0xFF) - 128;
                inside++;
                lumaSum += luma;
                if (luma > lip + 25 && Math.abs(u) + Math.abs(v) < 40) {
                    teeth++;
                }
            }
        }
        // A closed mouth has (almost) no inner area: nothing dark, no teeth.
        if (inside < 6 || lip <= 0) {
            out[at + TEETH] = 0;
            out[at + DARKNESS] = 0;
            return;
        }
        out[at + TEETH] = (float) teeth / inside;
        out[at + DARKNESS] = (float) Math.max(0, Math.min(1, (lip - (double) lumaSum / inside) / lip));
    }

    private static int lumaAt(YuvImage frame, float x, float y) {
        int xi = Math.max(0, Math.min(frame.width - 1, Math.round(x)));
        int yi = Math.max(0, Math.min(frame.height - 1, Math.round(y)));
        return frame.data[yi * frame.width + xi] & 0xFF;
    }

    /** Even-odd test against the inner lip polygon 60..67. */
    private static boolean insideInnerLips(float[] p, float x, float y) {
        boolean in = false;
        for (int i = 60, j = 67; i <= 67; j = i++) {
            float xi = p[2 * i];
            float yi = p[2 * i + 1];
            float xj = p[2 * j];
            float yj = p[2 * j + 1];
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) {
                in = !in;
            }
        }
        return in;
    }
}
